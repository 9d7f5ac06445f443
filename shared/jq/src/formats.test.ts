import { applyFormat, base64Decode, isFormat, tostring } from './formats';

describe('formats', () => {
  it('formats text, json, html, uri, csv, tsv and sh like jq', () => {
    expect(tostring([1, 'a'])).toBe('[1,"a"]');
    expect(applyFormat('html', `<a href='x'>&"`)).toBe('&lt;a href=&apos;x&apos;&gt;&amp;&quot;');
    expect(applyFormat('uri', 'a b/é~')).toBe('a%20b%2F%C3%A9~');
    expect(applyFormat('csv', [1, 'a"b', null, true])).toBe('1,"a""b",,true');
    expect(applyFormat('tsv', ['a\tb', 'c\\d'])).toBe('a\\tb\tc\\\\d');
    expect(applyFormat('sh', ["it's", 2])).toBe(`'it'\\''s' 2`);
  });

  it('round-trips base64 and base32, and reports bad base64', () => {
    expect(applyFormat('base64', 'héllo')).toBe('aMOpbGxv');
    expect(base64Decode('aMOpbGxv')).toBe('héllo');
    expect(applyFormat('base32d', applyFormat('base32', 'wormhole'))).toBe('wormhole');
    expect(() => base64Decode('QUJDa')).toThrow('trailing base64 byte found');
  });

  it('refuses rows that are not arrays and unknown formats', () => {
    expect(() => applyFormat('csv', 'x')).toThrow('string ("x") cannot be csv-formatted, only array');
    expect(() => applyFormat('sh', {})).toThrow('can not be escaped for shell');
    expect(isFormat('nope')).toBe(false);
  });
});
