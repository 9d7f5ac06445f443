import type { Env } from '@wormhole/platform';
import { ApiClient, ApiError } from './api-client';
import type { Command } from './commands';
import { EXIT, apply, cancel, dlq, executions, get, list, logs, run, watch } from './commands';
import { UsageError, parseArgs, stringFlag } from './args';
import type { Output } from './output';

const COMMANDS: Record<string, Command> = { apply, list, get, run, executions, watch, logs, cancel, dlq };

export const USAGE = `wormhole: run and operate Wormhole

Servers:
  wormhole all | api | worker | executor     start every role in one process, or one role
  wormhole migrate                           bring the configured backends' schemas up to date, then exit
  wormhole blob-gc                           delete the blobs no record references any more, then exit

Client (talks to the REST API at --url, env WORMHOLE_URL, default http://localhost:8080):
  wormhole apply -f workflow.yaml            create a workflow, or a new version of the one with its name
  wormhole list [--tags a,b] [--search s]    list workflows
  wormhole get <wf_…|ex_…>                   show a workflow or an execution
  wormhole run <wf_…> [--input JSON] [--wait] start an execution (and wait for its end)
  wormhole executions [wf_…] [--status s]    list executions
  wormhole watch <ex_…>                      follow an execution live
  wormhole logs <ex_…>                       an execution's log lines
  wormhole cancel <ex_…> [--reason text]     cancel an execution
  wormhole dlq list | dlq redrive <id>       dead letters

Options: --tenant <id> (env WORMHOLE_TENANT, default "default"), --api-key <key> (env WORMHOLE_API_KEY),
         --json (machine-readable output).
Exit codes: 0 ok, 1 API error, 2 usage error, 3 the execution faulted or was cancelled.`;

/** Runs one CLI command; returns the process exit code. Errors print the API's message, no stack. */
export async function runCli(argv: readonly string[], env: Env, io: Omit<Output, 'json'>): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const name = args.positional[0];
  const command = name ? COMMANDS[name] : undefined;
  if (!command || args.flags.help === true || args.flags.h === true) {
    (command ? io.out : io.err)(USAGE);
    return command || name === undefined ? EXIT.ok : EXIT.usage;
  }
  const output: Output = { ...io, json: args.flags.json === true };
  try {
    const client = new ApiClient({
      baseUrl: stringFlag(args, 'url') ?? env.WORMHOLE_URL ?? 'http://localhost:8080',
      tenant: stringFlag(args, 'tenant') ?? env.WORMHOLE_TENANT ?? 'default',
      ...((stringFlag(args, 'api-key') ?? env.WORMHOLE_API_KEY)
        ? { apiKey: stringFlag(args, 'api-key') ?? env.WORMHOLE_API_KEY }
        : {}),
    });
    return await command(client, args, output);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof ApiError) {
      if (output.json) {
        io.out(JSON.stringify({ error: e.code, message: e.message, details: e.details, status: e.status }));
      } else io.err(`error: ${e.message} (${e.code}${e.status ? `, HTTP ${e.status}` : ''})\n`);
      return EXIT.apiError;
    }
    io.err(`error: ${(e as Error).message}\n`);
    return EXIT.apiError;
  }
}
