// The PostgreSQL schema as numbered migrations, applied in order under an advisory lock (several processes may start at once).
import type { PoolClient } from 'pg'

export const MIGRATIONS: Array<{ version: string; sql: string }> = [
  {
    version: '0001_initial',
    sql: `
CREATE TABLE deliveries (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  plugin TEXT NOT NULL,
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  method TEXT NOT NULL,
  headers TEXT NOT NULL,
  query TEXT NOT NULL DEFAULT '',
  body BYTEA,
  body_size INTEGER NOT NULL DEFAULT 0,
  client_ip TEXT NOT NULL DEFAULT '',
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  dedup_key TEXT,
  response_status INTEGER,
  response_body TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  received_at BIGINT NOT NULL,
  finished_at BIGINT,
  duration_ms DOUBLE PRECISION,
  duplicates INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until BIGINT
);
CREATE UNIQUE INDEX deliveries_dedup ON deliveries(plugin, dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX deliveries_unfinished ON deliveries(seq) WHERE status IN ('queued', 'processing');
CREATE INDEX deliveries_plugin ON deliveries(plugin, seq);
CREATE INDEX deliveries_received ON deliveries(received_at);

CREATE TABLE outbox (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  chat_key TEXT NOT NULL,
  message TEXT NOT NULL,
  plugin TEXT,
  delivery_id TEXT,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT,
  last_error TEXT
);
CREATE INDEX outbox_unfinished ON outbox(chat_key, seq) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_state ON outbox(state, seq);
CREATE INDEX outbox_chat ON outbox(chat_key, seq);

CREATE TABLE outbox_attempts (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  ok BOOLEAN NOT NULL,
  http_status INTEGER,
  error TEXT,
  duration_ms DOUBLE PRECISION NOT NULL
);
CREATE INDEX outbox_attempts_message ON outbox_attempts(message_id, seq);

CREATE TABLE kv (
  plugin TEXT NOT NULL,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (plugin, scope, key)
);

CREATE TABLE plugin_state (
  plugin TEXT PRIMARY KEY,
  enabled BOOLEAN NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE web_messages (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  room TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  outbox_id TEXT UNIQUE
);
CREATE INDEX web_messages_room ON web_messages(room, seq);
`,
  },
  {
    version: '0002_tasks',
    sql: `
CREATE TABLE tasks (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  plugin TEXT NOT NULL,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  policy TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  progress_message TEXT,
  result TEXT,
  error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  next_attempt_at BIGINT
);
CREATE INDEX tasks_unfinished ON tasks(seq) WHERE status IN ('queued', 'running');
CREATE INDEX tasks_plugin ON tasks(plugin, seq);
`,
  },
  {
    version: '0003_coordination',
    sql: `
CREATE TABLE outbox_chat_leases (
  chat_key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  lease_until BIGINT NOT NULL
);
CREATE TABLE rate_buckets (
  key TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX deliveries_lease ON deliveries(lease_until) WHERE status IN ('queued', 'processing');
`,
  },
  {
    version: '0004_task_leases',
    sql: `
ALTER TABLE tasks ADD COLUMN lease_owner TEXT;
ALTER TABLE tasks ADD COLUMN lease_until BIGINT;
CREATE INDEX tasks_lease ON tasks(lease_until) WHERE status IN ('queued', 'running');
`,
  },
  {
    version: '0010_security',
    sql: `
-- Dedup is scoped to the route: the same sender id at another route of the plugin is another delivery.
DROP INDEX IF EXISTS deliveries_dedup;
CREATE UNIQUE INDEX deliveries_dedup_route ON deliveries(plugin, route, dedup_key) WHERE dedup_key IS NOT NULL;
-- Refused requests are counted here; only a bounded sample of them is kept as delivery rows.
CREATE TABLE refusal_counts (
  plugin TEXT NOT NULL,
  route TEXT NOT NULL,
  reason TEXT NOT NULL,
  status INTEGER NOT NULL,
  count BIGINT NOT NULL,
  first_at BIGINT NOT NULL,
  last_at BIGINT NOT NULL,
  PRIMARY KEY (plugin, route, reason)
);
CREATE INDEX tasks_finished ON tasks(created_at) WHERE status IN ('completed', 'failed', 'interrupted');
`,
  },
  {
    // What a delivery was (the sender's event type) and what the handler said it came to (ignored/filtered, why);
    // the outcome shown is computed from these, the status and the delivery's messages (storage/outcome.ts).
    version: '0011_delivery_event',
    sql: `
ALTER TABLE deliveries ADD COLUMN event TEXT;
ALTER TABLE deliveries ADD COLUMN outcome TEXT;
ALTER TABLE deliveries ADD COLUMN outcome_reason TEXT;
CREATE INDEX deliveries_event ON deliveries(event, seq);
CREATE INDEX outbox_delivery ON outbox(delivery_id) WHERE delivery_id IS NOT NULL;
`,
  },
  {
    version: '0014_digest',
    sql: `
-- Digests: a member is marked carried by the digest that replaced it; a digest sits at its first member's position.
ALTER TABLE outbox ADD COLUMN carried_by TEXT;
ALTER TABLE outbox ADD COLUMN position BIGINT;
CREATE INDEX outbox_carried ON outbox(carried_by) WHERE carried_by IS NOT NULL;
-- Chats muted by an operator until a time (messages are held, never dropped).
CREATE TABLE outbox_mutes (
  chat_key TEXT PRIMARY KEY,
  until_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
`,
  },
  {
    version: '0015_order',
    sql: `
-- The ordering key of an async delivery (see DeliveryRow.orderingKey): its first attempt waits for earlier ones of the key.
ALTER TABLE deliveries ADD COLUMN ordering_key TEXT;
CREATE INDEX deliveries_ordering ON deliveries(ordering_key, seq) WHERE ordering_key IS NOT NULL AND attempts = 0 AND status IN ('queued', 'processing');
`,
  },
]

const LOCK_KEY = 0x686f6f6b // "hook"

/** Applies pending migrations, each in its own transaction, while holding an advisory lock. */
export async function migrate(client: PoolClient): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)')
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version))
    const applied: string[] = []
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue
      await client.query('BEGIN')
      try {
        await client.query(migration.sql)
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
      applied.push(migration.version)
    }
    return applied
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY])
  }
}
