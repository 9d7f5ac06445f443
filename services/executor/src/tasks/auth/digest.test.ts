import { digestAuthorization, parseChallenges } from './digest';

// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
const RFC_CHALLENGE = (algorithm: string): string =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
  `nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
const CREDENTIALS = { username: 'Mufasa', password: 'Circle of Life' };
const REQUEST = { method: 'GET', url: new URL('http://www.example.org/dir/index.html') };
const CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

const field = (header: string, name: string): string | undefined => parseChallenges(header)[0]?.params.get(name);

describe('digestAuthorization', () => {
  it('computes the RFC 7616 example responses for MD5 and SHA-256', () => {
    const md5 = digestAuthorization(RFC_CHALLENGE('MD5'), CREDENTIALS, REQUEST, CNONCE)!;
    expect(field(md5, 'response')).toBe('8ca523f5e9506fed4657c9700eebdbec');
    const sha = digestAuthorization(RFC_CHALLENGE('SHA-256'), CREDENTIALS, REQUEST, CNONCE)!;
    expect(field(sha, 'response')).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(sha).toContain('uri="/dir/index.html"');
    expect(sha).toContain('qop=auth,');
    expect(sha).toContain('nc=00000001');
    expect(field(sha, 'opaque')).toBe('FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
  });

  it('prefers SHA-256 when a server offers both, in one header or joined headers', () => {
    const both = `${RFC_CHALLENGE('MD5')}, ${RFC_CHALLENGE('SHA-256')}, Basic realm="x"`;
    const answer = digestAuthorization(both, CREDENTIALS, REQUEST, CNONCE)!;
    expect(field(answer, 'algorithm')).toBe('SHA-256');
  });

  it('answers nothing without a Digest challenge it can use', () => {
    expect(digestAuthorization('Basic realm="x"', CREDENTIALS, REQUEST)).toBeUndefined();
    expect(
      digestAuthorization('Digest realm="x", nonce="n", algorithm=SHA-512-256', CREDENTIALS, REQUEST),
    ).toBeUndefined();
    expect(digestAuthorization('Digest realm="x", nonce="n", qop="bogus"', CREDENTIALS, REQUEST)).toBeUndefined();
  });

  it('parses quoted values with escapes and commas', () => {
    const [challenge] = parseChallenges('Digest realm="a \\"b\\", c", nonce=xyz');
    expect(challenge?.scheme).toBe('digest');
    expect(challenge?.params.get('realm')).toBe('a "b", c');
    expect(challenge?.params.get('nonce')).toBe('xyz');
  });
});
