// The compiled library lives under dist/; this file lets `@trainyard/contracts` resolve to it at run time.
module.exports = require('../../dist/libs/contracts/src/index.js');
