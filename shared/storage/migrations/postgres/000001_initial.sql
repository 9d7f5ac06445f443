-- Wormhole's tables. Runs with search_path set to the target schema, so names are unqualified.
-- Every table is keyed by tenant_id first: every query filters by it, and it leads every index.
-- Timestamps are stored at millisecond precision (the domain's ISO strings carry milliseconds), so
-- inclusive range filters compare exactly what clients see.

CREATE TABLE tenants (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
);

CREATE TABLE workflows (
  tenant_id text NOT NULL REFERENCES tenants (id),
  id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- The current version; its document is the matching workflow_versions row.
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  spec_version text NOT NULL,
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'inactive')),
  tags text[] NOT NULL DEFAULT '{}',
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- For ops and GraphQL full-text queries ('simple': no stemming, lower-cased words). The
  -- repository's `search` filter is a substring match and does not use it (see HOW_IT_WORKS.md).
  search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || description)) STORED,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX workflows_created_at_idx ON workflows (tenant_id, created_at, id);
CREATE INDEX workflows_updated_at_idx ON workflows (tenant_id, updated_at, id);
CREATE INDEX workflows_name_idx ON workflows (tenant_id, name COLLATE "C", id);
CREATE INDEX workflows_state_idx ON workflows (tenant_id, state);
CREATE INDEX workflows_tags_idx ON workflows USING gin (tags);
CREATE INDEX workflows_search_idx ON workflows USING gin (search_vector);

CREATE TABLE workflow_versions (
  tenant_id text NOT NULL,
  workflow_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  spec jsonb NOT NULL,
  -- true on the workflow's current version only; the one column that may change.
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, workflow_id, version),
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX workflow_versions_active_idx ON workflow_versions (tenant_id, workflow_id) WHERE is_active;

CREATE FUNCTION workflow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'workflow version % of % is immutable', OLD.version, OLD.workflow_id
    USING ERRCODE = 'restrict_violation';
END
$$;
-- Executions refer to (workflow_id, version): a stored version must never change under them.
CREATE TRIGGER workflow_versions_immutable
  BEFORE UPDATE ON workflow_versions
  FOR EACH ROW
  WHEN (
    OLD.spec IS DISTINCT FROM NEW.spec
    OR OLD.version IS DISTINCT FROM NEW.version
    OR OLD.workflow_id IS DISTINCT FROM NEW.workflow_id
    OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at
  )
  EXECUTE FUNCTION workflow_versions_immutable();

-- Who changed which workflow, written in the same transaction as the change.
CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL,
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
  actor text,
  -- The resource's version after the change.
  version integer,
  -- Names of the fields the change set.
  changed_fields text[] NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL
);
CREATE INDEX audit_events_resource_idx ON audit_events (tenant_id, resource_type, resource_id, occurred_at);
CREATE INDEX audit_events_time_idx ON audit_events (tenant_id, occurred_at);

-- No foreign key to workflows: executions outlive the workflow they ran.
CREATE TABLE executions (
  tenant_id text NOT NULL REFERENCES tenants (id),
  id text NOT NULL,
  workflow_id text NOT NULL,
  workflow_version integer NOT NULL,
  status text NOT NULL CHECK (
    status IN ('pending', 'running', 'waiting', 'suspended', 'cancelled', 'faulted', 'completed')
  ),
  correlation_id text,
  idempotency_key text,
  input jsonb NOT NULL,
  output jsonb,
  error jsonb,
  current_task text,
  started_at timestamptz NOT NULL,
  completed_at timestamptz,
  duration_ms bigint,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX executions_idempotency_idx
  ON executions (tenant_id, workflow_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX executions_started_at_idx ON executions (tenant_id, started_at, id);
CREATE INDEX executions_completed_at_idx ON executions (tenant_id, completed_at, id);
CREATE INDEX executions_workflow_idx ON executions (tenant_id, workflow_id, started_at);
CREATE INDEX executions_status_idx ON executions (tenant_id, status, started_at);
-- The reconciler's scan: only runs that have not ended, across tenants.
CREATE INDEX executions_unfinished_idx ON executions (updated_at, id)
  WHERE status IN ('pending', 'running', 'waiting', 'suspended');
CREATE INDEX executions_correlation_idx
  ON executions (tenant_id, correlation_id, started_at) WHERE correlation_id IS NOT NULL;

-- One run of one task (an attempt; a task in a loop runs once per iteration). No foreign key to executions: the engine may record a step before
-- (or without) the execution row being visible to this transaction.
CREATE TABLE step_runs (
  tenant_id text NOT NULL,
  id text NOT NULL,
  execution_id text NOT NULL,
  task_name text NOT NULL,
  task_path text NOT NULL,
  task_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'faulted', 'cancelled', 'skipped')),
  attempt integer NOT NULL CHECK (attempt >= 1),
  input jsonb,
  output jsonb,
  error jsonb,
  started_at timestamptz NOT NULL,
  completed_at timestamptz,
  duration_ms bigint,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX step_runs_attempt_idx ON step_runs (tenant_id, execution_id, task_path, attempt);
CREATE INDEX step_runs_execution_idx ON step_runs (tenant_id, execution_id, started_at);

-- An execution's history. `attributes` is the CloudEvent envelope without `data`; `payload` is
-- `data`. `sequence` is 1, 2, 3… per execution, assigned under a per-execution advisory lock.
CREATE TABLE events (
  tenant_id text NOT NULL,
  execution_id text NOT NULL,
  sequence bigint NOT NULL CHECK (sequence >= 1),
  id text NOT NULL,
  type text NOT NULL,
  attributes jsonb NOT NULL,
  payload jsonb,
  time timestamptz,
  recorded_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  PRIMARY KEY (tenant_id, execution_id, sequence),
  UNIQUE (tenant_id, execution_id, id)
);
CREATE INDEX events_type_idx ON events (tenant_id, type, time);

-- The newest snapshot of an execution's folded state, and the last event sequence it includes.
CREATE TABLE execution_snapshots (
  tenant_id text NOT NULL,
  execution_id text NOT NULL,
  sequence bigint NOT NULL CHECK (sequence >= 0),
  state jsonb NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  PRIMARY KEY (tenant_id, execution_id)
);

CREATE TABLE execution_logs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL,
  execution_id text NOT NULL,
  step_run_id text,
  task text,
  level text NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message text NOT NULL,
  context jsonb,
  timestamp timestamptz NOT NULL
);
CREATE INDEX execution_logs_execution_idx ON execution_logs (tenant_id, execution_id, timestamp, id);
CREATE INDEX execution_logs_step_idx ON execution_logs (tenant_id, execution_id, step_run_id);
CREATE INDEX execution_logs_level_idx ON execution_logs (tenant_id, level);
-- For a retention job deleting old lines across tenants.
CREATE INDEX execution_logs_timestamp_idx ON execution_logs (timestamp);
