-- The event router's lookup by event type: a subscription whose filters all name a literal `type`
-- has one row here per type (any_type false); one with a filter of any type (no `type`, a
-- predicate, `any: []`) has none and any_type true. Rows stored before this migration are all
-- any_type: still offered every event, as before. Rows here go with their subscription.
ALTER TABLE event_subscriptions ADD COLUMN any_type boolean NOT NULL DEFAULT true;
CREATE INDEX event_subscriptions_any_type_idx ON event_subscriptions (tenant_id, created_at) WHERE any_type;
CREATE TABLE event_subscription_types (
  tenant_id text NOT NULL,
  event_type text NOT NULL,
  execution_id text NOT NULL,
  listen_id text NOT NULL,
  PRIMARY KEY (tenant_id, event_type, execution_id, listen_id),
  FOREIGN KEY (tenant_id, execution_id, listen_id)
    REFERENCES event_subscriptions (tenant_id, execution_id, listen_id) ON DELETE CASCADE
);
-- The cascade's lookup from a subscription to its types.
CREATE INDEX event_subscription_types_listen_idx ON event_subscription_types (tenant_id, execution_id, listen_id);
