import type { BackendHealth, BlobRef, BlobStore, StoredBlob } from '@wormhole/interfaces';
import { NotFoundError, UnavailableError, ensureError, isValidTenantId } from '@wormhole/interfaces';
import { checkBlobKey, checkTenant, isBlobKey } from './blob-keys';
import type { S3Credentials } from './s3-signer';
import { EMPTY_SHA256, sha256Hex, signRequest, uriEncode } from './s3-signer';

export interface S3Settings {
  /** e.g. `http://minio:9000`; absent: AWS S3 of `region`. */
  readonly endpoint?: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: S3Credentials;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint host>/<key>` (MinIO and most self-hosted services). */
  readonly forcePathStyle: boolean;
}

/** A request that takes longer than this is abandoned and reported as unavailable. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Blobs as objects `<tenant>/<sha256>` in a bucket of an S3-compatible service (AWS S3, MinIO,
 * R2, …), over plain fetch with Signature V4. S3 writes an object whole or not at all, and the
 * key is the content's digest, so a repeated put rewrites the same bytes: puts are idempotent
 * (and move the object's LastModified, which the listing of old blobs relies on).
 * The payload hash is signed, so the service rejects a body damaged on the way.
 */
export class S3BlobStore implements BlobStore {
  readonly name = 'blobs:s3';

  private readonly clock: () => Date;
  private readonly fetch: typeof fetch;

  /** `options` replace the clock and the HTTP client (tests: a fixed time, a local server). */
  constructor(
    private readonly settings: S3Settings,
    options: { clock?: () => Date; fetch?: typeof fetch } = {},
  ) {
    this.clock = options.clock ?? ((): Date => new Date());
    this.fetch = options.fetch ?? fetch;
  }

  async put(tenantId: string, content: string | Uint8Array, contentType: string): Promise<BlobRef> {
    checkTenant(tenantId);
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const sha256 = sha256Hex(body);
    const response = await this.send('PUT', this.objectUrl(tenantId, sha256), sha256, body, {
      'content-type': contentType,
    });
    await this.expectOk(response, `put blob '${sha256}'`);
    return { $blob: sha256, bytes: body.byteLength, sha256 };
  }

  async get(tenantId: string, key: string): Promise<string> {
    checkTenant(tenantId);
    checkBlobKey(key);
    const response = await this.send('GET', this.objectUrl(tenantId, key), EMPTY_SHA256);
    if (response.status === 404) {
      await response.body?.cancel();
      throw new NotFoundError('blob', tenantId, key);
    }
    await this.expectOk(response, `get blob '${key}'`);
    return response.text();
  }

  async delete(tenantId: string, key: string): Promise<void> {
    checkTenant(tenantId);
    checkBlobKey(key);
    const response = await this.send('DELETE', this.objectUrl(tenantId, key), EMPTY_SHA256);
    if (response.status === 404) {
      await response.body?.cancel();
      return;
    }
    await this.expectOk(response, `delete blob '${key}'`);
  }

  /**
   * ListObjectsV2 over the bucket, a page (up to 1,000 objects) at a time. Objects that are not
   * `<tenant>/<sha256>` (anything else in a shared bucket) are skipped.
   */
  async *listStoredBefore(before: Date): AsyncIterable<StoredBlob> {
    let token: string | undefined;
    do {
      const url = this.bucketUrl();
      url.search = `?${token !== undefined ? `continuation-token=${uriEncode(token)}&` : ''}list-type=2`;
      const response = await this.send('GET', url, EMPTY_SHA256);
      await this.expectOk(response, 'list blobs');
      const page = parseListing(await response.text());
      for (const object of page.objects) {
        const [tenantId = '', key = '', ...rest] = object.key.split('/');
        if (rest.length > 0 || !isValidTenantId(tenantId) || !isBlobKey(key)) continue;
        if (object.lastModified < before.getTime()) yield { tenantId, key };
      }
      token = page.next;
    } while (token !== undefined);
  }

  async health(): Promise<BackendHealth> {
    const started = Date.now();
    try {
      const response = await this.send('HEAD', this.bucketUrl(), EMPTY_SHA256);
      await response.body?.cancel();
      if (!response.ok) return { name: this.name, ok: false, error: `HEAD bucket answered ${response.status}` };
      return { name: this.name, ok: true, latency_ms: Date.now() - started };
    } catch (e) {
      return { name: this.name, ok: false, error: ensureError(e).message };
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The bucket's URL, path-style or virtual-hosted. */
  bucketUrl(): URL {
    const base = new URL(this.settings.endpoint ?? `https://s3.${this.settings.region}.amazonaws.com`);
    const basePath = base.pathname.replace(/\/+$/, '');
    if (this.settings.forcePathStyle) {
      base.pathname = `${basePath}/${uriEncode(this.settings.bucket)}/`;
    } else {
      base.hostname = `${this.settings.bucket}.${base.hostname}`;
      base.pathname = `${basePath}/`;
    }
    return base;
  }

  objectUrl(tenantId: string, key: string): URL {
    const url = this.bucketUrl();
    url.pathname = `${url.pathname}${uriEncode(tenantId)}/${uriEncode(key)}`;
    return url;
  }

  private async send(
    method: string,
    url: URL,
    payloadHash: string,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const signed = signRequest({
      method,
      url,
      headers: body ? { ...headers, 'content-length': String(body.byteLength) } : headers,
      payloadHash,
      region: this.settings.region,
      credentials: this.settings.credentials,
      now: this.clock(),
    });
    try {
      return await this.fetch(url, {
        method,
        headers: signed,
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      throw new UnavailableError(this.name, `${method} ${url.pathname} failed`, { cause: ensureError(e) });
    }
  }

  private async expectOk(response: Response, what: string): Promise<void> {
    if (response.ok) return;
    const text = await response.text().catch(() => '');
    // S3 errors are short XML documents; the code in them (AccessDenied, NoSuchBucket) is what helps.
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    throw new UnavailableError(this.name, `${what}: HTTP ${response.status}${code ? ` ${code}` : ''}`);
  }
}

/** The objects of one ListObjectsV2 page and the token of the next (S3's XML has no nesting we need). */
function parseListing(xml: string): { objects: { key: string; lastModified: number }[]; next?: string } {
  const objects = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map((m) => ({
    key: unescapeXml(/<Key>([^<]*)<\/Key>/.exec(m[1] ?? '')?.[1] ?? ''),
    lastModified: Date.parse(/<LastModified>([^<]*)<\/LastModified>/.exec(m[1] ?? '')?.[1] ?? ''),
  }));
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
  const next = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1];
  return truncated && next !== undefined ? { objects, next: unescapeXml(next) } : { objects };
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
