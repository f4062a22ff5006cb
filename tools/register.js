// Runs TypeScript sources directly (decorator metadata, tsconfig path aliases) without a build step.
const os = require('node:os');
const path = require('node:path');
// RS256 signing runs on libuv's thread pool (crypto.sign with a callback). libuv reads this once, when the pool
// first starts, so it is set here, before any module can start async crypto, fs or dns work. One thread per core
// signs fastest; the default of 4 on 2 cores makes them fight. An explicit value wins.
process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || String(os.availableParallelism());
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
