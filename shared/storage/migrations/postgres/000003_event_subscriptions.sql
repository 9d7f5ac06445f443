-- The listen tasks waiting for events: the worker's event router reads a tenant's rows for each
-- event on the tenant's event stream. Rows are removed when the listen ends.
CREATE TABLE event_subscriptions (
  tenant_id text NOT NULL,
  execution_id text NOT NULL,
  listen_id text NOT NULL,
  workflow_id text NOT NULL,
  task_path text NOT NULL,
  filters jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, execution_id, listen_id)
);
CREATE INDEX event_subscriptions_tenant_idx ON event_subscriptions (tenant_id, created_at);
