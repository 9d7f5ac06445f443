import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError } from '@wormhole/interfaces';
import type { ContractContext } from './helpers';
import { ISO_MS } from './helpers';

const freshHash = (): string => createHash('sha256').update(randomBytes(32)).digest('hex');

export function apiKeyContract(ctx: ContractContext): void {
  describe('api keys', () => {
    it('creates a key, lists it and finds it by its hash', async () => {
      const tenant = ctx.tenant();
      const hash = freshHash();
      const key = await ctx.db().apiKeys.create(tenant, { name: 'ci', hash });
      expect(key).toEqual({
        id: expect.stringMatching(/^ak_/),
        tenant_id: tenant,
        name: 'ci',
        created_at: expect.stringMatching(ISO_MS),
        revoked: false,
      });
      expect(JSON.stringify(key)).not.toContain(hash);
      expect(await ctx.db().apiKeys.findActiveByHash(hash)).toEqual(key);
      expect(await ctx.db().apiKeys.findActiveByHash(freshHash())).toBeUndefined();
      const second = await ctx.db().apiKeys.create(tenant, { name: 'deploy', hash: freshHash() });
      expect((await ctx.db().apiKeys.list(tenant)).map((k) => k.id)).toEqual([key.id, second.id]);
    });

    it("keeps each tenant's keys to itself", async () => {
      const [a, b] = [ctx.tenant(), ctx.tenant()];
      const key = await ctx.db().apiKeys.create(a, { name: 'a', hash: freshHash() });
      expect(await ctx.db().apiKeys.list(b)).toEqual([]);
      await expect(ctx.db().apiKeys.revoke(b, key.id)).rejects.toThrow(NotFoundError);
      expect((await ctx.db().apiKeys.list(a))[0]?.revoked).toBe(false);
    });

    it('revokes: the hash no longer finds the key, the list still shows it, revoking again changes nothing', async () => {
      const tenant = ctx.tenant();
      const hash = freshHash();
      const key = await ctx.db().apiKeys.create(tenant, { name: 'old', hash });
      const revoked = await ctx.db().apiKeys.revoke(tenant, key.id);
      expect(revoked).toMatchObject({ id: key.id, revoked: true, revoked_at: expect.stringMatching(ISO_MS) });
      expect(await ctx.db().apiKeys.findActiveByHash(hash)).toBeUndefined();
      expect(await ctx.db().apiKeys.list(tenant)).toEqual([revoked]);
      expect(await ctx.db().apiKeys.revoke(tenant, key.id)).toEqual(revoked);
      await expect(ctx.db().apiKeys.revoke(tenant, 'ak_missing')).rejects.toThrow(NotFoundError);
    });
  });
}
