/*
 * AWS Signature Version 4 for S3 requests, header-based, with a signed payload hash
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html). Written on
 * node:crypto so the S3 adapter needs no SDK; tested against AWS's published examples.
 */
import { createHash, createHmac } from 'node:crypto';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary credentials (STS) come with a token, sent and signed as x-amz-security-token. */
  readonly sessionToken?: string;
}

export interface SignInput {
  readonly method: string;
  readonly url: URL;
  /** Headers to send and sign besides host and the x-amz-* ones added here. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body (of the empty string for none). */
  readonly payloadHash: string;
  readonly region: string;
  readonly credentials: S3Credentials;
  readonly now: Date;
  /** "s3" unless another service is meant. */
  readonly service?: string;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The headers to send: the given ones plus x-amz-date, x-amz-content-sha256, the session token
 * and Authorization. `host` is signed but not returned: fetch sets it from the URL.
 */
export function signRequest(input: SignInput): Record<string, string> {
  const amzDate = input.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const service = input.service ?? 's3';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['x-amz-date'] = amzDate;
  headers['x-amz-content-sha256'] = input.payloadHash;
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;

  const signed = { ...headers, host: input.url.host };
  const canonical = canonicalRequest(input.method, input.url, signed, input.payloadHash);
  const scope = `${day}/${input.region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = signingKey(input.credentials.secretAccessKey, day, input.region, service);
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope},` +
    `SignedHeaders=${signedHeaderNames(signed)},Signature=${signature}`;
  return headers;
}

/** The canonical request: method, URI, query, headers, signed header names, payload hash. */
export function canonicalRequest(
  method: string,
  url: URL,
  headers: Readonly<Record<string, string>>,
  payloadHash: string,
): string {
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort();
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  const canonicalHeaders = names.map((n) => `${n}:${(lower[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  return [
    method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    canonicalHeaders,
    names.join(';'),
    payloadHash,
  ].join('\n');
}

/** S3 encodes each path segment once (not twice, unlike other services), slashes kept. */
export function canonicalUri(pathname: string): string {
  if (pathname === '') return '/';
  return pathname
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/');
}

/** Parameters sorted by name then value, each name and value URI-encoded; `?acl` becomes `acl=`. */
export function canonicalQuery(search: string): string {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (raw === '') return '';
  return raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      const value = eq === -1 ? '' : part.slice(eq + 1);
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))] as const;
    })
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded (upper-case hex). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const date = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  const regional = createHmac('sha256', date).update(region).digest();
  const serviced = createHmac('sha256', regional).update(service).digest();
  return createHmac('sha256', serviced).update('aws4_request').digest();
}

function signedHeaderNames(headers: Readonly<Record<string, string>>): string {
  return Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort()
    .join(';');
}
