import type { JsonValue } from '@wormhole/interfaces';
import { BLOB_ESCAPE_KEY, isBlobRef } from '@wormhole/interfaces';
import { mapFields, place, readStored } from './offload';

/** A string value whose JSON encoding (with its two quotes) is exactly `bytes` long. */
const stringOf = (bytes: number, char = 'x'): string => char.repeat(bytes - 2);
const REF = { $blob: 'a'.repeat(64), bytes: 5000, sha256: 'a'.repeat(64) };

describe('place', () => {
  it('keeps a value of exactly the threshold inline and sends threshold + 1 out of line', () => {
    expect(place(stringOf(1024), 1024)).toEqual({ inline: stringOf(1024) });
    expect(place(stringOf(1025), 1024)).toEqual({ outOfLine: JSON.stringify(stringOf(1025)) });
  });

  it('measures UTF-8 bytes, not characters', () => {
    // 'é' is 2 bytes: 511 of them + 2 quotes = 1024 bytes; 512 = 1026 bytes.
    expect('inline' in place('é'.repeat(511), 1024)).toBe(true);
    expect('outOfLine' in place('é'.repeat(512), 1024)).toBe(true);
    // Characters alone would say 514 < 1024; the bytes (4 per emoji) say 1026 > 1024.
    expect('outOfLine' in place('😀'.repeat(256), 1024)).toBe(true);
  });

  it('sends a whole object out of line when its encoding is large, wherever the bulk sits', () => {
    const value = { small: 1, nested: { deep: [stringOf(2000)] } };
    expect(place(value, 1024)).toEqual({ outOfLine: JSON.stringify(value) });
  });

  it('escapes a small user value that has a reserved key, and nothing else', () => {
    expect(place(REF, 1024)).toEqual({ inline: { [BLOB_ESCAPE_KEY]: REF } });
    expect(place({ $blob: 1 }, 1024)).toEqual({ inline: { [BLOB_ESCAPE_KEY]: { $blob: 1 } } });
    expect(place({ [BLOB_ESCAPE_KEY]: 2 }, 1024)).toEqual({ inline: { [BLOB_ESCAPE_KEY]: { [BLOB_ESCAPE_KEY]: 2 } } });
    // Only the field's own value is looked at: a reference-shaped value nested inside is plain data.
    const nested = { inner: REF, list: [REF] };
    expect(place(nested, 1024)).toEqual({ inline: nested });
    expect(place([REF], 1024)).toEqual({ inline: [REF] });
  });
});

describe('readStored', () => {
  const roundTrip = (value: JsonValue): JsonValue => {
    const placed = place(value, 1024);
    if (!('inline' in placed)) throw new Error('expected inline');
    const read = readStored(placed.inline);
    if (!('inline' in read)) throw new Error(`read as a reference: ${JSON.stringify(placed.inline)}`);
    return read.inline;
  };

  it.each<[string, JsonValue]>([
    ['a reference-shaped object', REF],
    ['an object with $blob only', { $blob: 'x' }],
    ['an escape-shaped object', { [BLOB_ESCAPE_KEY]: { $blob: 'x' } }],
    ['an escape key beside others', { [BLOB_ESCAPE_KEY]: 1, other: 2 }],
    ['a nested reference', { inner: REF }],
    ['null', null],
    ['a number', 42],
    ['a string', '$blob'],
    ['an array', [1, '2', { $blob: 3 }]],
    ['an empty object', {}],
  ])('gives back %s unchanged, never as a reference', (_name, value) => {
    expect(roundTrip(value)).toEqual(value);
  });

  it('reads a reference as a reference', () => {
    expect(readStored(REF)).toEqual({ ref: REF });
    expect(isBlobRef(REF)).toBe(true);
  });

  it('reads a near-reference (extra field, wrong type) as a plain value', () => {
    expect(readStored({ ...REF, extra: 1 })).toEqual({ inline: { ...REF, extra: 1 } });
    expect(readStored({ ...REF, bytes: '5000' })).toEqual({ inline: { ...REF, bytes: '5000' } });
  });
});

describe('mapFields', () => {
  const upper = (value: JsonValue): Promise<JsonValue> =>
    Promise.resolve(typeof value === 'string' ? value.toUpperCase() : value);

  it('swaps only listed fields that are present, on a copy', async () => {
    const record = { input: 'a', output: 'b', error: 'c' };
    const mapped = await mapFields(record, ['input', 'missing'], upper);
    expect(mapped).toEqual({ input: 'A', output: 'b', error: 'c' });
    expect(record).toEqual({ input: 'a', output: 'b', error: 'c' });
  });

  it('returns the record itself when nothing changed', async () => {
    const record = { input: 1, output: 2 };
    expect(await mapFields(record, ['input', 'output'], upper)).toBe(record);
  });
});
