import { createKeys } from './keys';

describe('createKeys', () => {
  const keys = createKeys('wh-test:');

  it('builds the workflow stream name the design requires, under the prefix', () => {
    expect(keys.workflowEvents('acme', 'wf_01')).toBe('wh-test:tenant:acme:workflow:wf_01:events');
  });

  it('parses a workflow stream key back into its ids, and nothing else', () => {
    expect(keys.parseWorkflowEvents('wh-test:tenant:acme:workflow:wf_01:events')).toEqual({
      tenantId: 'acme',
      workflowId: 'wf_01',
    });
    expect(keys.parseWorkflowEvents('other:tenant:acme:workflow:wf_01:events')).toBeUndefined();
    expect(keys.parseWorkflowEvents(keys.deadLetters('acme'))).toBeUndefined();
  });

  it('keeps every key under the prefix and distinct', () => {
    const all = [
      keys.workflowEvents('a', 'w'),
      keys.streamRegistry(),
      keys.streamAnnouncements(),
      keys.groupRegistry(),
      keys.epoch(),
      keys.lastErrors('worker'),
      keys.deadLetters('a'),
      keys.poisonMessages('a'),
    ];
    for (const key of all) expect(key.startsWith('wh-test:')).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  it('refuses ids that would make a key ambiguous', () => {
    expect(() => keys.workflowEvents('a:b', 'w')).toThrow(/tenant id/);
    expect(() => keys.deadLetters('')).toThrow(/tenant id/);
  });

  it('escapes a prefix with regular-expression characters', () => {
    const odd = createKeys('a.b+');
    expect(odd.parseWorkflowEvents('a.b+tenant:t:workflow:w:events')).toEqual({ tenantId: 't', workflowId: 'w' });
    expect(odd.parseWorkflowEvents('axb+tenant:t:workflow:w:events')).toBeUndefined();
  });
});
