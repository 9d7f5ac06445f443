import { newId } from './ids';

describe('newId', () => {
  it('is the kind prefix and a ULID, unique across many calls (the random pool refills)', () => {
    const ids = Array.from({ length: 5000 }, () => newId('event'));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^ev_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every character of the ULID alphabet in the random part', () => {
    const seen = new Set(Array.from({ length: 500 }, () => newId('log').slice(-16)).join(''));
    expect(seen.size).toBe(32);
  });
});
