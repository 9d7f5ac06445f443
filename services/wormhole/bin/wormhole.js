#!/usr/bin/env node
// The `wormhole` command. In a checkout it runs the TypeScript sources through tsx (a dev
// dependency), so `npx wormhole …` and `npm start` work right after `npm ci` and never run a stale
// build; where tsx or the sources are absent (a production image) it runs the compiled entry point.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'src', 'main.ts');
function tsxAvailable() {
  try {
    require.resolve('tsx/cjs/api');
    return true;
  } catch {
    return false;
  }
}

if (fs.existsSync(source) && tsxAvailable()) {
  // The workspace's tsconfig maps @wormhole/* to the packages' sources, wherever this is run from.
  const tsconfig = path.join(__dirname, '..', '..', '..', 'tsconfig.json');
  if (fs.existsSync(tsconfig)) process.env.TSX_TSCONFIG_PATH ??= tsconfig;
  require('tsx/cjs/api').register();
  require(source);
} else {
  require(path.join(__dirname, '..', 'dist', 'main.js'));
}
