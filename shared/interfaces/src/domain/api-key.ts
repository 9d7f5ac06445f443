/**
 * An API key of one tenant, as stored: never the key itself, only its SHA-256 hash (`hash` is not
 * part of what the API returns). Keys are revoked, never deleted, so an audit keeps their names.
 */
export interface ApiKey {
  /** "ak_…" */
  readonly id: string;
  readonly tenant_id: string;
  readonly name: string;
  readonly created_at: string;
  readonly revoked: boolean;
  readonly revoked_at?: string;
}

export interface NewApiKey {
  readonly name: string;
  /** Lower-case hex SHA-256 of the plaintext key; unique over all tenants. */
  readonly hash: string;
}
