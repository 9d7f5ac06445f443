import { afterTick, latestDueTick } from './ticks';
import { readSchedule } from './schedule';

const at = (iso: string): Date => new Date(iso);
const created = at('2026-11-25T03:00:00.300Z');

describe('latestDueTick', () => {
  it('every: the latest multiple of the interval since the epoch, at or before now', () => {
    const every = { everyMs: 1000 };
    expect(latestDueTick(every, created, at('2026-11-25T04:00:02.999Z'))).toEqual(at('2026-11-25T04:00:02.000Z'));
    expect(latestDueTick(every, created, at('2026-11-25T04:00:03.000Z'))).toEqual(at('2026-11-25T04:00:03.000Z'));
    expect(latestDueTick({ everyMs: 3_600_000 }, created, at('2026-11-25T05:59:59.000Z'))).toEqual(
      at('2026-11-25T05:00:00.000Z'),
    );
  });

  it('never a tick from before the workflow was created', () => {
    expect(latestDueTick({ everyMs: 1000 }, created, at('2026-11-25T03:00:00.900Z'))).toBeUndefined();
    expect(latestDueTick({ everyMs: 1000 }, created, at('2026-11-25T03:00:01.000Z'))).toEqual(
      at('2026-11-25T03:00:01.000Z'),
    );
    expect(latestDueTick({ cron: '0 0 * * *' }, created, at('2026-11-25T23:59:59.000Z'))).toBeUndefined();
  });

  it('missed ticks are not made up: after a long pause only the latest is due', () => {
    expect(latestDueTick({ everyMs: 60_000 }, created, at('2026-11-25T09:17:42.000Z'))).toEqual(
      at('2026-11-25T09:17:00.000Z'),
    );
    expect(latestDueTick({ cron: '0 0 * * *' }, created, at('2026-11-28T08:00:00.000Z'))).toEqual(
      at('2026-11-28T00:00:00.000Z'),
    );
  });

  it('cron: the latest match at or before now, in UTC, with an optional seconds field', () => {
    expect(latestDueTick({ cron: '*/15 * * * *' }, created, at('2026-11-25T04:44:59.000Z'))).toEqual(
      at('2026-11-25T04:30:00.000Z'),
    );
    expect(latestDueTick({ cron: '*/15 * * * *' }, created, at('2026-11-25T04:45:00.000Z'))).toEqual(
      at('2026-11-25T04:45:00.000Z'),
    );
    expect(latestDueTick({ cron: '*/2 * * * * *' }, created, at('2026-11-25T04:00:05.500Z'))).toEqual(
      at('2026-11-25T04:00:04.000Z'),
    );
  });

  it('with both every and cron, the later of their ticks; with neither, none', () => {
    const both = { everyMs: 3_600_000, cron: '30 * * * *' };
    expect(latestDueTick(both, created, at('2026-11-25T04:40:00.000Z'))).toEqual(at('2026-11-25T04:30:00.000Z'));
    expect(latestDueTick(both, created, at('2026-11-25T05:10:00.000Z'))).toEqual(at('2026-11-25T05:00:00.000Z'));
    expect(latestDueTick({ afterMs: 1000 }, created, at('2026-11-25T05:10:00.000Z'))).toBeUndefined();
  });
});

describe('afterTick', () => {
  it('first at the creation, then after the end of the latest execution, none while it runs', () => {
    expect(afterTick(5000, created, undefined)).toEqual(created);
    expect(afterTick(5000, created, { ended: false })).toBeUndefined();
    expect(afterTick(5000, created, { ended: true, completed_at: '2026-11-25T04:00:00.000Z' })).toEqual(
      at('2026-11-25T04:00:05.000Z'),
    );
  });
});

describe('readSchedule', () => {
  it('reads durations, cron and on.one / on.any', () => {
    expect(readSchedule({})).toBeUndefined();
    expect(readSchedule({ schedule: { every: 'PT1S', after: { minutes: 2 }, cron: '0 0 * * *' } })).toEqual({
      everyMs: 1000,
      afterMs: 120_000,
      cron: '0 0 * * *',
    });
    expect(readSchedule({ schedule: { on: { one: { with: { type: 'a' } } } } })).toEqual({
      on: { mode: 'one', filters: [{ type: 'a' }] },
    });
    expect(readSchedule({ schedule: { on: { any: [{ with: { type: 'a' } }, {}] } } })).toEqual({
      on: { mode: 'any', filters: [{ type: 'a' }, {}] },
    });
  });

  it('refuses what it cannot run, pointing into the schedule', () => {
    const problems = (schedule: unknown): string[] => {
      try {
        readSchedule({ schedule });
        return [];
      } catch (e) {
        return (e as { details: { path: string }[] }).details.map((d) => d.path);
      }
    };
    expect(problems({ every: 'PT0S' })).toEqual(['/schedule/every']);
    expect(problems({ after: 'P1M' })).toEqual(['/schedule/after']);
    expect(problems({ cron: '61 * * * *' })).toEqual(['/schedule/cron']);
    expect(problems({ on: { all: [{ with: { type: 'a' } }, { with: { type: 'b' } }] } })).toEqual([]);
    expect(problems({ on: { all: [] } })).toEqual(['/schedule/on/all']);
    expect(problems({ on: { any: [{ with: { type: 'a' } }], until: '${ true }' } })).toEqual(['/schedule/on/until']);
    expect(problems({ on: { any: [{ with: { type: 'a' }, correlate: {} }] } })).toEqual([
      '/schedule/on/any/0/correlate',
    ]);
  });
});
