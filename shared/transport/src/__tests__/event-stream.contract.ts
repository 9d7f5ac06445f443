import type { TestServer } from '@wormhole/platform';
import { testServersReachable } from '@wormhole/platform';
/**
 * The EventStream contract: one suite, run against every backend (Redis Streams, Postgres table).
 * A backend's `*.int.test.ts` calls `eventStreamContract(name, open)`; `open` returns a fresh,
 * isolated stream (own key prefix / schema) configured with CONTRACT_SETTINGS, probes the suite
 * needs to look under the interface (stored entries, raw appends, quarantined poison), and a
 * cleanup that removes everything it created. Tests share one opened stream but use their own
 * tenants and groups; the ones that need a pristine stream (handles, trimming) open their own.
 */
import type { EventStream } from '@wormhole/interfaces';
import type { ContractContext, OpenEventStream, OpenedEventStream } from './contract/harness';
import { deliveryContract } from './contract/delivery.contract';
import { failureContract } from './contract/failures.contract';
import { lifecycleContract } from './contract/lifecycle.contract';

export { CONTRACT_SETTINGS } from './contract/harness';
export type { OpenedEventStream, OpenEventStream } from './contract/harness';

/** `servers`: what the backend needs; without them the suite is skipped and the run says so. */
export function eventStreamContract(name: string, open: OpenEventStream, servers: readonly TestServer[] = []): void {
  (testServersReachable(servers) ? describe : describe.skip)(`EventStream contract: ${name}`, () => {
    let opened: OpenedEventStream | undefined;

    beforeAll(async () => {
      opened = await open();
    });

    afterAll(async () => {
      await opened?.stream.close();
      await opened?.cleanup();
    });

    const ctx: ContractContext = {
      opened: () => {
        if (!opened) throw new Error('event stream not opened');
        return opened;
      },
      stream: (): EventStream => ctx.opened().stream,
      open,
    };

    describe('delivery', () => deliveryContract(ctx));
    describe('failures', () => failureContract(ctx));
    describe('lifecycle', () => lifecycleContract(ctx));
  });
}
