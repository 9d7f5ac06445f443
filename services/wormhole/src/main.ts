#!/usr/bin/env node
// The `wormhole` command: server roles (all, api, worker, executor), migrate, blob-gc, and the CLI client.
import { bootApi } from '@wormhole/api';
import { bootExecutor } from '@wormhole/executor';
import { runBlobGc } from '@wormhole/storage';
import { EnvReader, createWinstonLogger, runService, LOG_LEVEL_SETTINGS } from '@wormhole/platform';
import { bootWorker } from '@wormhole/worker';
import { bootAllInOne } from './all-in-one';
import { runCli } from './cli/run-cli';
import { runMigrate } from './migrate';

const ROLES = { all: bootAllInOne, api: bootApi, worker: bootWorker, executor: bootExecutor } as const;
/** Commands that do one job and exit with its code: migrate the backends, collect unreferenced blobs. */
const ONE_SHOTS = { migrate: runMigrate, 'blob-gc': runBlobGc } as const;

const [command = 'help', ...rest] = process.argv.slice(2);
if (command in ROLES) {
  runService(command === 'all' ? 'wormhole' : command, () => ROLES[command as keyof typeof ROLES](process.env));
} else if (command in ONE_SHOTS) {
  const name = command as keyof typeof ONE_SHOTS;
  const level = new EnvReader(process.env).oneOf('LOG_LEVEL', LOG_LEVEL_SETTINGS, 'info');
  ONE_SHOTS[name](process.env, createWinstonLogger({ service: name, level })).then(
    (code) => {
      // exitCode rather than exit(): lets the last log lines reach stdout.
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
} else {
  runCli([command, ...rest], process.env, {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
}
