import { JqRuntimeError } from './errors';
import { add, divide, has, index, modulo, multiply, setIndex, slice, sliceBounds, subtract } from './ops';

describe('ops', () => {
  it('adds by type: null is the identity, objects merge shallowly', () => {
    expect(add(null, 1)).toBe(1);
    expect(add([1], [2])).toEqual([1, 2]);
    expect(add({ a: { x: 1 } }, { a: { y: 2 } })).toEqual({ a: { y: 2 } });
    expect(() => add(1, 'a')).toThrow('number (1) and string ("a") cannot be added');
  });

  it('subtracts arrays by removing every equal element', () => {
    expect(subtract([1, 2, 1, 3], [1])).toEqual([2, 3]);
  });

  it('multiplies objects recursively and repeats strings', () => {
    expect(multiply({ a: { x: 1 } }, { a: { y: 2 } })).toEqual({ a: { x: 1, y: 2 } });
    expect(multiply('ab', 3)).toBe('ababab');
    expect(multiply('ab', 0)).toBe('');
    expect(multiply('ab', -1)).toBeNull();
  });

  it('divides strings by splitting and refuses a zero divisor', () => {
    expect(divide('a,b', ',')).toEqual(['a', 'b']);
    expect(() => divide(1, 0)).toThrow('number (1) and number (0) cannot be divided because the divisor is zero');
  });

  it('takes the remainder of truncated integers, with the sign of the dividend', () => {
    expect(modulo(5, -3)).toBe(2);
    expect(modulo(-5, 3)).toBe(-2);
    expect(modulo(5.9, 2.1)).toBe(1);
    expect(() => modulo(1, 0.5)).toThrow(JqRuntimeError);
  });

  it('indexes arrays with floored, negative and out-of-range indices', () => {
    expect(index([1, 2, 3], 1.7)).toBe(2);
    expect(index([1, 2, 3], -1)).toBe(3);
    expect(index([1, 2, 3], 5)).toBeNull();
    expect(index(null, 'a')).toBeNull();
    expect(() => index({}, 0)).toThrow('Cannot index object with number (0)');
  });

  it('slices by codepoints, rounding the start down and the end up', () => {
    expect(sliceBounds(6, 1.2, 3.5)).toEqual([1, 4]);
    expect(slice('a😀bc', 1, 3)).toBe('😀b');
  });

  it('sets indices, padding arrays with null', () => {
    expect(setIndex(null, 2, 'x')).toEqual([null, null, 'x']);
    expect(() => setIndex([], -1, 1)).toThrow('Out of bounds negative array index');
  });

  it('answers has for objects and arrays, false for null', () => {
    expect(has({ a: 1 }, 'a')).toBe(true);
    expect(has([1], 1)).toBe(false);
    expect(has(null, 'a')).toBe(false);
    expect(() => has({}, 0)).toThrow('Cannot check whether object has a number key');
  });
});
