// The compiled library lives under dist/; this file lets `@trainyard/storage` resolve to it at run time.
module.exports = require('../../dist/libs/storage/src/index.js');
