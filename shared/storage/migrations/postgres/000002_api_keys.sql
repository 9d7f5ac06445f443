-- API keys of tenants (AUTH_MODE=apikey). Only the SHA-256 of a key is stored; the hash is unique
-- over all tenants, so a presented key finds its one row (and its tenant) by index.
CREATE TABLE api_keys (
  tenant_id text NOT NULL,
  id text NOT NULL,
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
