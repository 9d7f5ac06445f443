// The signer against the worked examples of AWS's S3 documentation ("Signature Calculations for
// the Authorization Header: Transferring Payload in a Single Chunk"), whose expected canonical
// requests, strings to sign and signatures are published.
import { canonicalQuery, canonicalRequest, EMPTY_SHA256, sha256Hex, signRequest, uriEncode } from './s3-signer';

const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const NOW = new Date(Date.UTC(2013, 4, 24, 0, 0, 0));
const HOST = 'https://examplebucket.s3.amazonaws.com';

function signatureOf(headers: Record<string, string>): string | undefined {
  return /Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? '')?.[1];
}

describe('SigV4 for S3: AWS published examples', () => {
  it('GET Object (a Range header, empty payload): canonical request, string to sign and Authorization', () => {
    const url = new URL(`${HOST}/test.txt`);
    const headers = signRequest({
      method: 'GET',
      url,
      headers: { Range: 'bytes=0-9' },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      now: NOW,
    });
    const canonical = canonicalRequest(
      'GET',
      url,
      {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
        'x-amz-date': '20130524T000000Z',
      },
      EMPTY_SHA256,
    );
    expect(canonical).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        `x-amz-content-sha256:${EMPTY_SHA256}`,
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(sha256Hex(canonical)).toBe('7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
    expect(headers).not.toHaveProperty('host');
  });

  it('PUT Object (a $ in the key, a Date and a storage-class header, signed payload)', () => {
    const headers = signRequest({
      method: 'PUT',
      url: new URL(`${HOST}/test$file.text`),
      headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      payloadHash: sha256Hex('Welcome to Amazon S3.'),
      region: 'us-east-1',
      credentials: CREDENTIALS,
      now: NOW,
    });
    expect(headers.authorization).toContain(
      'SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,',
    );
    expect(signatureOf(headers)).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('GET Bucket Lifecycle (a query parameter without a value)', () => {
    const headers = signRequest({
      method: 'GET',
      url: new URL(`${HOST}/?lifecycle`),
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      now: NOW,
    });
    expect(signatureOf(headers)).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  });

  it('GET Bucket (List Objects): query parameters sorted by name', () => {
    const headers = signRequest({
      method: 'GET',
      url: new URL(`${HOST}/?prefix=J&max-keys=2`),
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      now: NOW,
    });
    expect(signatureOf(headers)).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });
});

describe('SigV4 details', () => {
  it('signs and sends a session token', () => {
    const headers = signRequest({
      method: 'GET',
      url: new URL(`${HOST}/test.txt`),
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      credentials: { ...CREDENTIALS, sessionToken: 'FQoGZXIvYXdzEXAMPLE' },
      now: NOW,
    });
    expect(headers['x-amz-security-token']).toBe('FQoGZXIvYXdzEXAMPLE');
    expect(headers.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
    const without = signRequest({
      method: 'GET',
      url: new URL(`${HOST}/test.txt`),
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      now: NOW,
    });
    expect(signatureOf(headers)).not.toBe(signatureOf(without));
  });

  it('encodes per RFC 3986 and sorts equal names by value', () => {
    expect(uriEncode("a b!'()*~._-/")).toBe('a%20b%21%27%28%29%2A~._-%2F');
    expect(canonicalQuery('?b=2&a=y&a=x&acl')).toBe('a=x&a=y&acl=&b=2');
    expect(canonicalQuery('')).toBe('');
  });

  it('includes the port in the signed host when it is not the default', () => {
    const at = (url: string): string | undefined =>
      signatureOf(
        signRequest({
          method: 'GET',
          url: new URL(url),
          payloadHash: EMPTY_SHA256,
          region: 'us-east-1',
          credentials: CREDENTIALS,
          now: NOW,
        }),
      );
    expect(at('http://127.0.0.1:9000/b/k')).not.toBe(at('http://127.0.0.1:9001/b/k'));
  });
});
