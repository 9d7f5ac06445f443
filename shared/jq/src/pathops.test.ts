import { delpaths, getpath, setpath } from './pathops';
import { toJson } from './value';

describe('path operations', () => {
  it('getpath walks through null and fails on type errors', () => {
    expect(getpath({ a: { b: 1 } }, ['a', 'b'])).toBe(1);
    expect(getpath(null, ['a', 0])).toBeNull();
    expect(() => getpath({ a: 1 }, ['a', 'b'])).toThrow('Cannot index number with string ("b")');
  });

  it('setpath creates missing containers', () => {
    expect(setpath(null, ['a', 1], true)).toEqual({ a: [null, true] });
  });

  it('delpaths deletes all paths at once, resolving negative indices and slices first', () => {
    const input = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(delpaths(input, [[1], [-6], [2], [{ start: -3, end: 9 }]])).toEqual([0, 3, 5, 6, 9]);
    expect(delpaths({ a: 1, b: 2 }, [['a'], ['zz']])).toEqual({ b: 2 });
    expect(() => delpaths(1, [['a']])).toThrow('Cannot delete fields from number');
  });

  it('handles paths of 10000 steps without the stack, and refuses longer ones', () => {
    const long = Array.from({ length: 10000 }, () => 0);
    const deep = setpath(null, long, 'x');
    expect(getpath(deep, long)).toBe('x');
    // Compared as text: jest's own deep equality would recurse 10000 levels.
    expect(toJson(delpaths(deep, [long]))).toBe(toJson(setpath(null, long.slice(0, -1), [])));
    expect(() => setpath(null, [...long, 0], 1)).toThrow('Path too deep');
    expect(() => getpath(null, [...long, 0])).toThrow('Path too deep');
  });
});
