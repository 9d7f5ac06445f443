import type { Request, Response } from 'express';
import type { Database, Execution } from '@wormhole/interfaces';
import { isTerminalStatus } from '@wormhole/interfaces';

const POLL_MS = 100;
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of one execution: `status` (the execution, whenever its status or task
 * changes) and `event` (each history event, in order), ending once the run has ended and its
 * last events were sent. The history is the source, so a client that reconnects with
 * `Last-Event-ID` (a sequence) resumes where it left off.
 */
export async function streamExecution(
  db: Database,
  tenantId: string,
  executionId: string,
  req: Request,
  res: Response,
): Promise<void> {
  let execution = await db.executions.get(tenantId, executionId);
  res.status(200).set({
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  let closed = false;
  req.on('close', () => (closed = true));
  const send = (event: string, data: unknown, id?: number): void => {
    res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let sequence = Number(req.header('last-event-id') ?? '0') || 0;
  let lastStatus = '';
  let lastBeat = Date.now();
  send('status', execution);
  lastStatus = statusKey(execution);
  while (!closed) {
    const events = await db.events.list(tenantId, executionId, sequence);
    for (const event of events) send('event', event, event.sequence);
    sequence = events.at(-1)?.sequence ?? sequence;
    execution = await db.executions.get(tenantId, executionId);
    if (statusKey(execution) !== lastStatus) {
      send('status', execution);
      lastStatus = statusKey(execution);
    }
    if (isTerminalStatus(execution.status) && events.length === 0) break;
    if (Date.now() - lastBeat > HEARTBEAT_MS) {
      res.write(': keep-alive\n\n');
      lastBeat = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  res.end();
}

function statusKey(execution: Execution): string {
  return `${execution.status}|${execution.current_task ?? ''}`;
}
