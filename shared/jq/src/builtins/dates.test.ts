import { jq, jqError } from '../__tests__/helpers';

describe('date builtins', () => {
  it('converts between epoch seconds, broken-down time and ISO 8601', () => {
    expect(jq('todate', 1425599507)).toEqual(['2015-03-05T23:51:47Z']);
    expect(jq('fromdate', '2015-03-05T23:51:47Z')).toEqual([1425599507]);
    expect(jq('gmtime', 1425599507)).toEqual([[2015, 2, 5, 23, 51, 47, 4, 63]]);
    expect(jq('gmtime | mktime', 1425599507)).toEqual([1425599507]);
    expect(jq('strptime("%Y-%m-%dT%H:%M:%SZ")', '2015-03-05T23:51:47Z')).toEqual([[2015, 2, 5, 23, 51, 47, 4, 63]]);
  });

  it('formats with strftime', () => {
    expect(jq('strftime("%A, %B %d, %Y %j %e %I%p")', 1435677542.822351)).toEqual([
      'Tuesday, June 30, 2015 181 30 03PM',
    ]);
    expect(jq('strftime("%Y-%m-%dT%H:%M:%SZ")', [2024, 2, 15])).toEqual(['2024-03-15T00:00:00Z']);
  });

  it('keeps fractional seconds in gmtime and has now, date and dateadd', () => {
    expect(jq('gmtime | .[5]', 1.5)).toEqual([1.5]);
    expect(jq('now | type')).toEqual(['number']);
    expect(jq('[date, dateadd("seconds"; 60)]', 0)).toEqual([['1970-01-01T00:00:00Z', 60]]);
  });

  it('reports text that does not match the format', () => {
    expect(jqError('strptime("%Y-%m-%d")', 'x')).toBe('date "x" does not match format "%Y-%m-%d"');
    expect(jqError('mktime', 'x')).toBe('mktime requires array inputs');
  });
});
