import { probeBackend, roleHealth } from './probe-backend';

describe('probeBackend', () => {
  it('reports a ping that resolves as ok, with its latency', async () => {
    const health = await probeBackend('db', () => new Promise((r) => setTimeout(r, 5)));
    expect(health).toMatchObject({ name: 'db', ok: true });
    expect(health.latency_ms).toBeGreaterThanOrEqual(4);
  });

  it('reports a ping that fails as not ok, with the message, without throwing', async () => {
    expect(await probeBackend('db', () => Promise.reject(new Error('refused')))).toEqual({
      name: 'db',
      ok: false,
      error: 'refused',
    });
  });
});

describe('roleHealth', () => {
  it('lists the database entries, then the transport', async () => {
    const db = { health: () => Promise.resolve([{ name: 'postgres', ok: true }]) };
    const stream = { health: () => Promise.resolve({ name: 'stream:redis', ok: false, error: 'down' }) };
    expect(await roleHealth(db, stream)).toEqual([
      { name: 'postgres', ok: true },
      { name: 'stream:redis', ok: false, error: 'down' },
    ]);
  });
});
