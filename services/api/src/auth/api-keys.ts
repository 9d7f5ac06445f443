import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every plaintext key starts with this, so leaked keys are easy to recognise (secret scanners). */
export const API_KEY_PREFIX = 'whk_';

/** A new key: the prefix and 32 random bytes (256 bits) in base64url. Shown to its owner once. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The stored form of a key: its SHA-256, hex. A slow password hash (bcrypt, scrypt) protects
 * guessable secrets; these keys carry 256 random bits, so no dictionary or brute force can reverse
 * a plain hash, and a fast hash lets every request be checked by one indexed lookup.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two secrets in time independent of where they differ (digests make lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
