-- The scheduler's query (maintenance.findScheduled, every SCHEDULER_TICK_MS on every worker): the
-- current versions whose document has a top-level `schedule`, found through this small partial
-- index instead of reading every workflow's current definition each tick.
CREATE INDEX workflow_versions_scheduled_idx ON workflow_versions (tenant_id, workflow_id)
  WHERE is_active AND (spec -> 'schedule') IS NOT NULL;
