// The compiled library lives under dist/; this file lets `@trainyard/temporal` resolve to it at run time.
module.exports = require('../../dist/libs/temporal/src/index.js');
