#!/usr/bin/env node
// The `wormhole` command: server roles (all, api, worker, executor), migrate, and the CLI client.
import { bootApi } from '@wormhole/api';
import { bootExecutor } from '@wormhole/executor';
import { EnvReader, createWinstonLogger, runService, LOG_LEVEL_SETTINGS } from '@wormhole/platform';
import { bootWorker } from '@wormhole/worker';
import { bootAllInOne } from './all-in-one';
import { runCli } from './cli/run-cli';
import { runMigrate } from './migrate';

const ROLES = { all: bootAllInOne, api: bootApi, worker: bootWorker, executor: bootExecutor } as const;

const [command = 'help', ...rest] = process.argv.slice(2);
if (command in ROLES) {
  runService(command === 'all' ? 'wormhole' : command, () => ROLES[command as keyof typeof ROLES](process.env));
} else if (command === 'migrate') {
  const level = new EnvReader(process.env).oneOf('LOG_LEVEL', LOG_LEVEL_SETTINGS, 'info');
  runMigrate(process.env, createWinstonLogger({ service: 'migrate', level })).then(
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
