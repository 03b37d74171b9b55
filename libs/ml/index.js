// The compiled library lives under dist/; this file lets `@trainyard/ml` resolve to it at run time.
module.exports = require('../../dist/libs/ml/src/index.js');
