import type { TaskExecutor, TaskOutcome, TaskRequest } from '@wormhole/interfaces';
import { dslError, ensureError } from '@wormhole/interfaces';
import type { HttpExchange } from './http-exchange';
import { buildHttpRequest, HttpArgumentsError } from './http-request';
import type { HttpRequestSpec } from './http-request';

/**
 * `call: http`: the task's `with` becomes one request sent through the shared exchange. Every
 * request carries the step's `Idempotency-Key`, so a server can recognise a repeated step.
 */
export class HttpCallExecutor implements TaskExecutor {
  readonly kind = 'call:http';

  constructor(private readonly exchange: HttpExchange) {}

  async execute(request: TaskRequest, signal: AbortSignal): Promise<TaskOutcome> {
    let spec: HttpRequestSpec;
    try {
      spec = buildHttpRequest(request);
    } catch (e) {
      return argumentsFailure(request, e);
    }
    return this.exchange.send(request, spec, signal);
  }
}

/** A step whose arguments cannot make a request fails with the error kind the arguments error names. */
export function argumentsFailure(request: TaskRequest, e: unknown): TaskOutcome {
  const error = ensureError(e);
  const kind = e instanceof HttpArgumentsError ? e.kind : 'configuration';
  return { kind: 'failed', error: dslError(kind, { detail: error.message, instance: request.taskPath }) };
}
