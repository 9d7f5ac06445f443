import { randomUUID } from 'node:crypto';
import type { EventStream, StreamMessage, SubscribeOptions, Subscription } from '@wormhole/interfaces';

/**
 * Settings every backend under contract must be opened with: short enough for a quick suite,
 * long enough that a healthy handler is never mistaken for a dead one.
 */
export const CONTRACT_SETTINGS = {
  claimIdleMs: 300,
  maxDeliveries: 3,
  trimIntervalMs: 100,
} as const;

export interface OpenedEventStream {
  readonly stream: EventStream;
  /** Closes what `open` opened (if the test did not) and removes every key, row or schema it created. */
  cleanup(): Promise<void>;
  /** Entries currently stored for a workflow's stream, acknowledged ones not yet trimmed included. */
  storedCount(tenantId: string, workflowId: string): Promise<number>;
  /** Appends a raw body to a workflow's stream, bypassing publish's validation (a poison message). */
  appendRaw(tenantId: string, workflowId: string, raw: string): Promise<void>;
  /** Poison messages quarantined for a tenant. */
  listPoison(tenantId: string): Promise<readonly { readonly raw: string; readonly error: string }[]>;
}

export type OpenEventStream = () => Promise<OpenedEventStream>;

export interface ContractContext {
  opened(): OpenedEventStream;
  stream(): EventStream;
  open: OpenEventStream;
}

export function uniqueGroup(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export interface Collector {
  readonly messages: StreamMessage[];
  readonly subscription: Subscription;
  waitFor(count: number, timeoutMs?: number): Promise<StreamMessage[]>;
}

/**
 * Subscribes and records the messages of one tenant; `handler` may throw or block to shape the
 * test. Messages of other tenants (left by earlier tests: a new group starts at the beginning of
 * every stream) are acknowledged and ignored.
 */
export function collect(
  stream: EventStream,
  options: SubscribeOptions,
  tenant: string,
  handler: (message: StreamMessage) => Promise<void> = () => Promise.resolve(),
): Collector {
  const messages: StreamMessage[] = [];
  const subscription = stream.subscribe(options, async (message) => {
    if (message.event.tenantid !== tenant) return;
    messages.push(message);
    await handler(message);
  });
  return {
    messages,
    subscription,
    waitFor: async (count, timeoutMs = 5000) => {
      await eventually(
        `${count} deliveries to ${options.group}/${options.consumer}`,
        () => messages.length >= count,
        timeoutMs,
      );
      return messages;
    },
  };
}

export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
  fail(error: Error): void;
}

export function gate(): Gate {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  // A gate failed after the test no longer awaits it must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, open, fail };
}
