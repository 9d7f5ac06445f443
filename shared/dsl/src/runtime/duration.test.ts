import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import { durationToMs } from './duration';
import { DslFault } from './errors';

describe('durationToMs', () => {
  it.each([
    ['PT1S', 1000],
    ['PT1M30S', 90_000],
    ['PT0.25S', 250],
    ['PT2H', 7_200_000],
    ['P1D', 86_400_000],
    ['P1DT1H', 90_000_000],
    ['P2W', 1_209_600_000],
  ])('ISO 8601 %s is %d ms', (text, ms) => {
    expect(durationToMs(text)).toBe(ms);
  });

  it('adds up the inline form', () => {
    expect(durationToMs({ days: 1, hours: 2, minutes: 3, seconds: 4, milliseconds: 5 })).toBe(93_784_005);
    expect(durationToMs({ seconds: 10 })).toBe(10_000);
  });

  it.each([['P1Y'], ['P1M'], ['PT'], ['P'], ['1 second'], [{ weeks: 1 }], [{ seconds: -1 }], [42], [null]])(
    'refuses %j with a configuration error',
    (value) => {
      let caught: unknown;
      try {
        durationToMs(value);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DslFault);
      expect((caught as DslFault).error.type).toBe(DSL_ERROR_TYPES.configuration.type);
    },
  );
});
