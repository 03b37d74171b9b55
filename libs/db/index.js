// The compiled library lives under dist/; this file lets `@trainyard/db` resolve to it at run time.
module.exports = require('../../dist/libs/db/src/index.js');
