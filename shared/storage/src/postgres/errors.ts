import { AppError, ConflictError, UnavailableError, ValidationError, ensureError } from '@wormhole/interfaces';

export const BACKEND = 'postgres';

// Socket-level failures (Node) and SQLSTATEs meaning "the server cannot serve us right now".
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

// node-postgres reports some connection losses only through the message.
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
  /client was closed and is not queryable/i,
  /client has encountered a connection error/i,
];

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isConnectionFailure(error: Error): boolean {
  const code = codeOf(error);
  if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message));
}

/**
 * Maps a driver error to the shared hierarchy: connection failures become UnavailableError (the
 * caller may retry), unexpected unique violations ConflictError, bad data (SQLSTATE class 22, e.g.
 * an unparsable timestamp) ValidationError. Domain errors pass through unchanged.
 */
export function translatePgError(value: unknown): Error {
  if (value instanceof AppError) return value;
  const error = ensureError(value);
  if (isConnectionFailure(error)) return new UnavailableError(BACKEND, error.message, { cause: error });
  const code = codeOf(error);
  if (code === '23505') return new ConflictError(error.message, { cause: error });
  if (code?.startsWith('22')) return new ValidationError(error.message, [], { cause: error });
  return error;
}
