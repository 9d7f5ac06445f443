import type { TestServer } from '@wormhole/platform';
import { testServersReachable } from '@wormhole/platform';
/**
 * The Database contract: one suite, run against every backend (postgres, redis, mongo, embedded).
 * A backend's `*.int.test.ts` calls `databaseContract(name, open)`; `open` returns a fresh,
 * isolated database (own schema / key prefix / database name) and a cleanup that removes it.
 * Within one database every test uses its own tenant ids, so tests never see each other's rows.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@wormhole/interfaces';
import type { ContractContext } from './contract/helpers';
import { workflowContract } from './contract/workflows.contract';
import { executionContract, maintenanceContract } from './contract/executions.contract';
import { historyContract } from './contract/history.contract';
import { advanceContract } from './contract/advance.contract';
import { apiKeyContract } from './contract/api-keys.contract';
import { subscriptionContract } from './contract/subscriptions.contract';
import { correlationHistoryContract } from './contract/correlation-histories.contract';

export interface OpenedDatabase {
  readonly db: Database;
  cleanup(): Promise<void>;
}

/** `servers`: what the backend needs; without them the suite is skipped and the run says so. */
export function databaseContract(
  name: string,
  open: () => Promise<OpenedDatabase>,
  servers: readonly TestServer[] = [],
): void {
  (testServersReachable(servers) ? describe : describe.skip)(`Database contract: ${name}`, () => {
    let opened: OpenedDatabase | undefined;

    beforeAll(async () => {
      opened = await open();
    });

    afterAll(async () => {
      await opened?.cleanup();
    });

    const ctx: ContractContext = {
      db: () => {
        if (!opened) throw new Error('database not opened');
        return opened.db;
      },
      tenant: () => `t-${randomUUID().slice(0, 8)}`,
    };

    it('reports itself healthy', async () => {
      const health = await ctx.db().health();
      expect(health.length).toBeGreaterThan(0);
      for (const backend of health) expect(backend).toMatchObject({ ok: true });
      expect(ctx.db().backend).toBe(name);
    });

    workflowContract(ctx);
    executionContract(ctx);
    historyContract(ctx);
    advanceContract(ctx);
    maintenanceContract(ctx);
    apiKeyContract(ctx);
    subscriptionContract(ctx);
    correlationHistoryContract(ctx);

    it('close() is idempotent', async () => {
      // A second, throwaway database: closing the shared one would break the other tests.
      const extra = await open();
      await extra.db.close();
      await expect(extra.db.close()).resolves.toBeUndefined();
      await extra.cleanup();
    });
  });
}
