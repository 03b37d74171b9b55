// The compiled library lives under dist/; this file lets `@trainyard/client` resolve to it at run time.
module.exports = require('../../dist/libs/client/src/index.js');
