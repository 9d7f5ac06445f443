/**
 * Every Redis key the storage backend writes, built in one place under one prefix. Per-tenant
 * keys carry the tenant, so a key of tenant A is never read through tenant B.
 */
export function storageKeys(prefix: string) {
  const t = (tenantId: string): string => `${prefix}tenant:${tenantId}`;
  return {
    prefix,
    /** The key the original design used for a definition (a hash). */
    workflow: (id: string) => `${prefix}workflow:definition:${id}`,
    workflowVersions: (id: string) => `${prefix}workflow:definition:${id}:versions`,
    workflowsByCreated: (tenantId: string) => `${t(tenantId)}:workflows:by_created`,
    workflowsByUpdated: (tenantId: string) => `${t(tenantId)}:workflows:by_updated`,
    workflowsByName: (tenantId: string) => `${t(tenantId)}:workflows:by_name`,
    stats: (tenantId: string) => `${t(tenantId)}:stats`,
    execution: (tenantId: string, id: string) => `${t(tenantId)}:execution:${id}`,
    executionsByStarted: (tenantId: string) => `${t(tenantId)}:executions:by_started`,
    /**
     * Prefix of the tenant's narrower execution indexes, by start time like `by_started`:
     * `by_workflow:<id>`, `by_status:<status>` and `by_workflow:<id>:status:<status>` (see
     * executionIndex). The update script builds the status ones from it when a status changes.
     */
    executionIndexes: (tenantId: string) => `${t(tenantId)}:executions:`,
    /** Set once the tenant's executions stored before the narrower indexes were added to them. */
    executionIndexesBackfilled: (tenantId: string) => `${t(tenantId)}:executions:indexed`,
    idempotency: (tenantId: string, workflowId: string, key: string) =>
      `${t(tenantId)}:workflow:${workflowId}:idempotency:${key}`,
    steps: (tenantId: string, executionId: string) => `${t(tenantId)}:execution:${executionId}:steps`,
    stepOrder: (tenantId: string, executionId: string) => `${t(tenantId)}:execution:${executionId}:steps:order`,
    events: (tenantId: string, executionId: string) => `${t(tenantId)}:execution:${executionId}:events`,
    eventIds: (tenantId: string, executionId: string) => `${t(tenantId)}:execution:${executionId}:events:ids`,
    snapshot: (tenantId: string, executionId: string) => `${t(tenantId)}:execution:${executionId}:snapshot`,
    /** Hash of the tenant's waiting listens, field `<execution> <listen>`, value the subscription as JSON. */
    subscriptions: (tenantId: string) => `${t(tenantId)}:subscriptions`,
    /** The event types each subscription is indexed under: field → JSON array, `[]` for any type. */
    subscriptionTypes: (tenantId: string) => `${t(tenantId)}:subscriptions:types`,
    /** Prefix of the sets of the fields whose filters name a literal type: the prefix plus the type. */
    subscriptionsOfType: (tenantId: string) => `${t(tenantId)}:subscriptions:type:`,
    /** The set of the fields with a filter of any type (no literal `type`). */
    subscriptionsOfAnyType: (tenantId: string) => `${t(tenantId)}:subscriptions:any_type`,
    /** Set once the tenant's subscriptions stored before the type index were added to it. */
    subscriptionTypesBackfilled: (tenantId: string) => `${t(tenantId)}:subscriptions:types:indexed`,
    logs: (tenantId: string, executionId: string) => `${t(tenantId)}:execution:${executionId}:logs`,
    /** Every tenant's log keys by the time of their oldest line, for the retention purge. */
    logsByOldestLine: () => `${prefix}logs:by_oldest_line`,
    apiKey: (tenantId: string, id: string) => `${t(tenantId)}:api_key:${id}`,
    apiKeysByCreated: (tenantId: string) => `${t(tenantId)}:api_keys:by_created`,
    /** The tenant and id of the unrevoked key with this hash (all tenants share the lookup). */
    apiKeyByHash: (hash: string) => `${prefix}api_key_hash:${hash}`,
    /**
     * Ids of the workflows (every tenant) whose current definition may have a `schedule`: a
     * superset kept by the workflow scripts, narrowed by reading each definition.
     */
    scheduledWorkflows: () => `${prefix}workflows:scheduled`,
    /** Set once the workflows stored before `scheduledWorkflows` existed were added to it. */
    scheduledWorkflowsBackfilled: () => `${prefix}workflows:scheduled:backfilled`,
    /** Unfinished executions of every tenant by last update, for the reconciler. */
    unfinished: () => `${prefix}executions:unfinished`,
  };
}

export type StorageKeys = ReturnType<typeof storageKeys>;
