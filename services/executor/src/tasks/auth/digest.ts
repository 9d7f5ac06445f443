import { createHash, randomBytes } from 'node:crypto';

/** One challenge of a `WWW-Authenticate` header: its scheme (lower case) and parameters. */
export interface Challenge {
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
}

export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
}

export interface DigestRequest {
  readonly method: string;
  readonly url: URL;
  readonly body?: string;
}

/** RFC 7616 algorithms and the hash each uses; SHA-256 is preferred when a server offers both. */
const ALGORITHMS: ReadonlyMap<string, { hash: 'md5' | 'sha256'; session: boolean; rank: number }> = new Map([
  ['SHA-256', { hash: 'sha256', session: false, rank: 3 }],
  ['SHA-256-SESS', { hash: 'sha256', session: true, rank: 2 }],
  ['MD5', { hash: 'md5', session: false, rank: 1 }],
  ['MD5-SESS', { hash: 'md5', session: true, rank: 0 }],
] as const);

/**
 * The `Authorization` header answering the best Digest challenge of `header` (RFC 7616: MD5,
 * SHA-256 and their -sess variants; qop auth, else auth-int, else the RFC 2069 form without qop),
 * or undefined when the server offers no Digest challenge this can answer.
 */
export function digestAuthorization(
  header: string,
  credentials: DigestCredentials,
  request: DigestRequest,
  cnonce: string = randomBytes(16).toString('hex'),
): string | undefined {
  const challenge = bestChallenge(parseChallenges(header));
  if (challenge === undefined) return undefined;
  const { params, algorithm } = challenge;
  const { hash, session } = ALGORITHMS.get(algorithm.toUpperCase())!;
  const h = (text: string): string => createHash(hash).update(text, 'utf8').digest('hex');
  const realm = params.get('realm') ?? '';
  const nonce = params.get('nonce') ?? '';
  const offered = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : undefined;
  if (params.has('qop') && qop === undefined) return undefined;
  const uri = `${request.url.pathname}${request.url.search}`;
  const nc = '00000001';
  const userhash = params.get('userhash')?.toLowerCase() === 'true';
  const username = userhash ? h(`${credentials.username}:${realm}`) : credentials.username;

  let ha1 = h(`${credentials.username}:${realm}:${credentials.password}`);
  if (session) ha1 = h(`${ha1}:${nonce}:${cnonce}`);
  const ha2 =
    qop === 'auth-int' ? h(`${request.method}:${uri}:${h(request.body ?? '')}`) : h(`${request.method}:${uri}`);
  const response = qop ? h(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);

  const fields = [
    `username=${quoted(username)}`,
    `realm=${quoted(realm)}`,
    `uri=${quoted(uri)}`,
    `algorithm=${algorithm}`,
    `nonce=${quoted(nonce)}`,
    ...(qop ? [`nc=${nc}`, `cnonce=${quoted(cnonce)}`, `qop=${qop}`] : []),
    `response=${quoted(response)}`,
    ...(params.has('opaque') ? [`opaque=${quoted(params.get('opaque')!)}`] : []),
    ...(userhash ? ['userhash=true'] : []),
  ];
  return `Digest ${fields.join(', ')}`;
}

function bestChallenge(
  challenges: readonly Challenge[],
): { params: ReadonlyMap<string, string>; algorithm: string } | undefined {
  let best: { params: ReadonlyMap<string, string>; algorithm: string; rank: number } | undefined;
  for (const challenge of challenges) {
    if (challenge.scheme !== 'digest') continue;
    const algorithm = challenge.params.get('algorithm') ?? 'MD5';
    const known = ALGORITHMS.get(algorithm.toUpperCase());
    if (known !== undefined && (best === undefined || known.rank > best.rank)) {
      best = { params: challenge.params, algorithm, rank: known.rank };
    }
  }
  return best;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;

/**
 * The challenges of a `WWW-Authenticate` value. Several challenges (or several headers joined with
 * commas) may be listed; a token followed by `=` is a parameter of the current challenge, any
 * other token starts a new one.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: { scheme: string; params: Map<string, string> }[] = [];
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < header.length && chars.test(header[i]!)) i++;
  };
  while (i < header.length) {
    skip(/[\s,]/);
    TOKEN.lastIndex = i;
    const name = TOKEN.exec(header)?.[0];
    if (name === undefined) {
      i++; // not a token: skip the character rather than give up on the rest
      continue;
    }
    i += name.length;
    skip(/[ \t]/);
    if (header[i] !== '=') {
      challenges.push({ scheme: name.toLowerCase(), params: new Map() });
      continue;
    }
    i++;
    skip(/[ \t]/);
    let value = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) {
        if (header[i] === '\\') i++;
        value += header[i] ?? '';
      }
      i++;
    } else {
      while (i < header.length && !/[\s,]/.test(header[i]!)) value += header[i++];
    }
    challenges[challenges.length - 1]?.params.set(name.toLowerCase(), value);
  }
  return challenges;
}

function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
