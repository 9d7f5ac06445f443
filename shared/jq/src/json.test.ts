import { JqRuntimeError } from './errors';
import { parseJson } from './json';

describe('parseJson', () => {
  it('reads standard JSON', () => {
    expect(parseJson('{"a":[1,2.5e1,"x",null,true]}')).toEqual({ a: [1, 25, 'x', null, true] });
  });

  it("accepts jq's extensions: a byte order mark, nan and infinities", () => {
    expect(parseJson('\ufeff"bom"')).toBe('bom');
    const [nan, negNan, inf, negInf] = parseJson('[nan, -NaN, Infinity, -Infinity]') as number[];
    expect(Number.isNaN(nan)).toBe(true);
    expect(Number.isNaN(negNan)).toBe(true);
    expect([inf, negInf]).toEqual([Infinity, -Infinity]);
  });

  it('reports where the text stops being JSON', () => {
    expect(() => parseJson('NaN1')).toThrow(JqRuntimeError);
    expect(() => parseJson('NaN1')).toThrow(
      "Invalid numeric literal at EOF at line 1, column 4 (while parsing 'NaN1')",
    );
    expect(() => parseJson('[1 2]')).toThrow(/Expected separator/);
  });

  it('refuses text nested deeper than 10000, as jq does', () => {
    expect(() => parseJson('['.repeat(10001) + ']'.repeat(10001))).toThrow('Exceeds depth limit for parsing');
    expect(parseJson('['.repeat(10000) + ']'.repeat(10000))).toBeDefined();
  });
});
