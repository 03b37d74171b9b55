// The compiled library lives under dist/; this file lets `@trainyard/config` resolve to it at run time.
module.exports = require('../../dist/libs/config/src/index.js');
