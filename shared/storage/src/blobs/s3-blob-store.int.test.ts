// S3BlobStore against a small S3 stand-in on node:http. The stand-in checks every request's
// Signature V4 with its own, deliberately minimal, implementation (not the adapter's signer), the
// payload hash against the body it received, and the request's shape (method, path, headers).
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotFoundError, UnavailableError } from '@wormhole/interfaces';
import { S3BlobStore } from './s3-blob-store';

const SECRET = 'test-secret/with+chars';
const ACCESS_KEY = 'AKIDLOCALTEST';
const REGION = 'eu-west-3';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: http.IncomingHttpHeaders;
}

const hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** The verifier's own SigV4: the raw path as sent must already be the canonical URI. */
function expectedSignature(req: http.IncomingMessage, signedHeaders: string[], scope: string[]): string {
  const [pathPart = '', query = ''] = (req.url ?? '').split('?');
  const canonical = [
    req.method,
    pathPart,
    query.split('&').filter(Boolean).sort().join('&'),
    signedHeaders.map((h) => `${h}:${String(req.headers[h]).trim()}\n`).join(''),
    signedHeaders.join(';'),
    String(req.headers['x-amz-content-sha256']),
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', String(req.headers['x-amz-date']), scope.join('/'), hex(canonical)].join('\n');
  let key: string | Buffer = `AWS4${SECRET}`;
  for (const part of scope) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/** Why the request is refused, or undefined when its signature and payload hash hold. */
function authError(req: http.IncomingMessage, body: Buffer): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
    String(req.headers.authorization),
  );
  if (!auth) return 'AuthorizationHeaderMalformed';
  const [accessKey, ...scope] = (auth[1] ?? '').split('/');
  const signedHeaders = (auth[2] ?? '').split(';');
  if (accessKey !== ACCESS_KEY) return 'InvalidAccessKeyId';
  if (scope[1] !== REGION || scope[2] !== 's3' || scope[3] !== 'aws4_request') return 'AuthorizationHeaderMalformed';
  if (!String(req.headers['x-amz-date']).startsWith(scope[0] ?? '-')) return 'AuthorizationHeaderMalformed';
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signedHeaders.includes(required)) return 'AuthorizationHeaderMalformed';
  }
  if (hex(body) !== req.headers['x-amz-content-sha256']) return 'XAmzContentSHA256Mismatch';
  if (expectedSignature(req, signedHeaders, scope) !== auth[3]) return 'SignatureDoesNotMatch';
  return undefined;
}

async function startFakeS3(): Promise<{
  url: string;
  port: number;
  objects: Map<string, Buffer>;
  /** When each object was last put (ms), as LastModified; tests may move them back. */
  times: Map<string, number>;
  received: Received[];
  close(): Promise<void>;
}> {
  const objects = new Map<string, Buffer>();
  const times = new Map<string, number>();
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '';
      received.push({ method: req.method ?? '', path, host: String(req.headers.host), headers: req.headers });
      const error = authError(req, body);
      if (error) {
        res.writeHead(403, { 'content-type': 'application/xml' }).end(`<Error><Code>${error}</Code></Error>`);
        return;
      }
      const object = `${String(req.headers.host)}${path}`;
      const [bucketPath = '', query = ''] = path.split('?');
      if (req.method === 'GET' && query.split('&').includes('list-type=2')) {
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(listing(String(req.headers.host), bucketPath, query));
      } else if (req.method === 'PUT') {
        objects.set(object, body);
        times.set(object, Date.now());
        res.writeHead(200).end();
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        const isBucket = path.endsWith('/');
        const stored = objects.get(object);
        if (!isBucket && stored === undefined) {
          res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
        } else {
          res.writeHead(200).end(req.method === 'GET' ? stored : undefined);
        }
      } else if (req.method === 'DELETE') {
        objects.delete(object);
        times.delete(object);
        res.writeHead(204).end();
      } else {
        res.writeHead(405).end();
      }
    });
  });
  /** ListObjectsV2, two objects a page; the token has characters that need encoding in a query. */
  function listing(host: string, bucketPath: string, query: string): string {
    const token = query
      .split('&')
      .find((p) => p.startsWith('continuation-token='))
      ?.slice('continuation-token='.length);
    const start = token === undefined ? 0 : Number(/^page=(\d+)\+\/x$/.exec(decodeURIComponent(token))?.[1]);
    const prefix = `${host}${bucketPath}`;
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const page = keys.slice(start, start + 2);
    const contents = page
      .map((k) => {
        const at = new Date(times.get(k) ?? 0).toISOString();
        return `<Contents><Key>${k.slice(prefix.length)}</Key><LastModified>${at}</LastModified></Contents>`;
      })
      .join('');
    const more = start + 2 < keys.length;
    const next = more ? `<NextContinuationToken>page=${start + 2}+/x</NextContinuationToken>` : '';
    return `<ListBucketResult><IsTruncated>${more}</IsTruncated>${contents}${next}</ListBucketResult>`;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    objects,
    times,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A fetch that sends every request to the local server while keeping the URL's host in the
 * Host header, so virtual-hosted URLs (`bucket.s3.example`) reach it without DNS.
 */
function fetchVia(port: number): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input);
      const headers = { ...(init?.headers as Record<string, string>), host: url.host };
      const req = http.request(
        { host: '127.0.0.1', port, method: init?.method ?? 'GET', path: `${url.pathname}${url.search}`, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 500;
            const body = status === 204 || init?.method === 'HEAD' ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status }));
          });
        },
      );
      req.on('error', reject);
      req.end(init?.body as Buffer | undefined);
    });
}

describe('S3BlobStore against a verifying S3 stand-in', () => {
  let s3: Awaited<ReturnType<typeof startFakeS3>>;
  beforeAll(async () => {
    s3 = await startFakeS3();
  });
  afterAll(() => s3.close());

  const credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET };

  it('path-style: puts, gets and deletes under <bucket>/<tenant>/<sha256>, every request signed', async () => {
    const store = new S3BlobStore({
      endpoint: s3.url,
      bucket: 'wormhole-blobs',
      region: REGION,
      credentials,
      forcePathStyle: true,
    });
    const content = JSON.stringify({ text: 'é'.repeat(3000) });
    const ref = await store.put('acme', content, 'application/json');
    const sha = createHash('sha256').update(content, 'utf8').digest('hex');
    expect(ref).toEqual({ $blob: sha, bytes: Buffer.byteLength(content), sha256: sha });

    const put = s3.received.at(-1)!;
    expect(put).toMatchObject({ method: 'PUT', path: `/wormhole-blobs/acme/${sha}`, host: s3.url.slice(7) });
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.headers['x-amz-content-sha256']).toBe(sha);
    expect(s3.objects.get(`${put.host}${put.path}`)?.toString('utf8')).toBe(content);

    expect(await store.get('acme', ref.$blob)).toBe(content);
    await expect(store.get('globex', ref.$blob)).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.health()).ok).toBe(true);
    expect(s3.received.at(-1)).toMatchObject({ method: 'HEAD', path: '/wormhole-blobs/' });

    await store.delete('acme', ref.$blob);
    await store.delete('acme', ref.$blob);
    await expect(store.get('acme', ref.$blob)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('virtual-hosted style with a session token: the bucket is in the Host header', async () => {
    const store = new S3BlobStore(
      {
        endpoint: 'https://s3.example.test',
        bucket: 'payloads',
        region: REGION,
        credentials: { ...credentials, sessionToken: 'session-token-1' },
        forcePathStyle: false,
      },
      { fetch: fetchVia(s3.port) },
    );
    const ref = await store.put('acme', 'x'.repeat(2048), 'application/json');
    const put = s3.received.at(-1)!;
    expect(put).toMatchObject({ method: 'PUT', host: 'payloads.s3.example.test', path: `/acme/${ref.$blob}` });
    expect(put.headers['x-amz-security-token']).toBe('session-token-1');
    expect(String(put.headers.authorization)).toContain('x-amz-security-token');
    expect(await store.get('acme', ref.$blob)).toBe('x'.repeat(2048));
  });

  it('reports a refused signature as unavailable, naming the S3 error code', async () => {
    const store = new S3BlobStore({
      endpoint: s3.url,
      bucket: 'wormhole-blobs',
      region: REGION,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'wrong' },
      forcePathStyle: true,
    });
    const failure = store.put('acme', 'hello', 'application/json');
    await expect(failure).rejects.toBeInstanceOf(UnavailableError);
    await expect(failure).rejects.toThrow(/403 SignatureDoesNotMatch/);
    expect((await store.health()).ok).toBe(false);
  });

  it('defaults to AWS S3 of the region, virtual-hosted', () => {
    const store = new S3BlobStore({ bucket: 'b1', region: 'us-west-2', credentials, forcePathStyle: false });
    expect(store.objectUrl('acme', 'ab'.repeat(32)).href).toBe(
      `https://b1.s3.us-west-2.amazonaws.com/acme/${'ab'.repeat(32)}`,
    );
    const pathStyle = new S3BlobStore({
      endpoint: 'http://minio:9000/base/',
      bucket: 'b1',
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    expect(pathStyle.bucketUrl().href).toBe('http://minio:9000/base/b1/');
  });

  it('lists every tenant’s blobs last put before a time, page by page; a put again makes one new', async () => {
    const store = new S3BlobStore({
      endpoint: s3.url,
      bucket: 'listed-blobs',
      region: REGION,
      credentials,
      forcePathStyle: true,
    });
    const host = s3.url.slice(7);
    const refs = await Promise.all(['a', 'b', 'c'].map((text) => store.put('acme', text, 'text/plain')));
    const other = await store.put('globex', 'g', 'text/plain');
    await store.put('acme', 'recent', 'text/plain');
    // Not a blob: another application's object in a shared bucket.
    s3.objects.set(`${host}/listed-blobs/exports/report.csv`, Buffer.from('x'));
    const hourAgo = Date.now() - 3_600_000;
    for (const [tenant, ref] of [...refs.map((r) => ['acme', r] as const), ['globex', other] as const]) {
      s3.times.set(`${host}/listed-blobs/${tenant}/${ref.$blob}`, hourAgo);
    }
    const listed = async (): Promise<string[]> => {
      const found: string[] = [];
      for await (const blob of store.listStoredBefore(new Date(Date.now() - 60_000))) {
        found.push(`${blob.tenantId}/${blob.key}`);
      }
      return found.sort();
    };
    const old = [...refs.map((r) => `acme/${r.$blob}`), `globex/${other.$blob}`].sort();
    expect(await listed()).toEqual(old);
    // Three pages of two were read, each signed with its continuation token.
    expect(s3.received.filter((r) => r.path.includes('list-type=2')).length).toBeGreaterThanOrEqual(3);

    await store.put('globex', 'g', 'text/plain');
    expect(await listed()).toEqual(refs.map((r) => `acme/${r.$blob}`).sort());
  });
});
