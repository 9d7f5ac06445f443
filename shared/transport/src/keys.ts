/**
 * Every Redis key the transport touches, built in one place so that no key name is ever written
 * inline. All keys live under one configurable prefix, which is how tests isolate themselves and
 * how two deployments can share a Redis.
 */
export interface TransportKeys {
  readonly prefix: string;
  /** The stream of one workflow's engine events: `<prefix>tenant:<tenant>:workflow:<workflow>:events`. */
  workflowEvents(tenantId: string, workflowId: string): string;
  /** Set of every workflow stream ever published to: how a starting subscriber finds them all. */
  streamRegistry(): string;
  /** Stream announcing each newly registered workflow stream, so running subscribers pick it up at once. */
  streamAnnouncements(): string;
  /** Set of every consumer group that ever subscribed: a stream is trimmed only below all of them. */
  groupRegistry(): string;
  /** A random value written once: missing or changed after a reconnect, Redis lost the transport's data. */
  epoch(): string;
  /** Hash of the last handler error of messages still being retried, field `<stream> <id>`, per group. */
  lastErrors(group: string): string;
  /** A tenant's dead letters: messages that failed `maxDeliveries` times. */
  deadLetters(tenantId: string): string;
  /** A tenant's poison messages: entries that could not be parsed as an engine event. */
  poisonMessages(tenantId: string): string;
  /** The inverse of `workflowEvents`; undefined for any other key. */
  parseWorkflowEvents(key: string): { tenantId: string; workflowId: string } | undefined;
}

// Tenant ids are [a-z0-9_-] (TENANT_ID_PATTERN) and workflow ids are prefixed ULIDs, so ':' never
// occurs inside them and the key can be split unambiguously.
const SEGMENT = /^[^:\s]+$/;

function segment(kind: string, value: string): string {
  if (!SEGMENT.test(value)) throw new Error(`invalid ${kind} for a stream key: '${value}'`);
  return value;
}

export function createKeys(prefix: string): TransportKeys {
  const workflowEventsPattern = new RegExp(`^${escapeRegExp(prefix)}tenant:([^:]+):workflow:([^:]+):events$`);
  return {
    prefix,
    workflowEvents: (tenantId, workflowId) =>
      `${prefix}tenant:${segment('tenant id', tenantId)}:workflow:${segment('workflow id', workflowId)}:events`,
    streamRegistry: () => `${prefix}transport:streams`,
    streamAnnouncements: () => `${prefix}transport:streams:announced`,
    groupRegistry: () => `${prefix}transport:groups`,
    epoch: () => `${prefix}transport:epoch`,
    lastErrors: (group) => `${prefix}transport:group:${segment('group', group)}:errors`,
    deadLetters: (tenantId) => `${prefix}tenant:${segment('tenant id', tenantId)}:deadletters`,
    poisonMessages: (tenantId) => `${prefix}tenant:${segment('tenant id', tenantId)}:poison`,
    parseWorkflowEvents: (key) => {
      const match = workflowEventsPattern.exec(key);
      if (!match?.[1] || !match[2]) return undefined;
      return { tenantId: match[1], workflowId: match[2] };
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
