// The SQLite schema as numbered migrations, applied in order and recorded in schema_migrations.
import type { Database } from 'better-sqlite3'

export const MIGRATIONS: Array<{ version: string; sql: string }> = [
  {
    version: '0001_initial',
    sql: `
CREATE TABLE deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  plugin TEXT NOT NULL,
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  method TEXT NOT NULL,
  headers TEXT NOT NULL,
  query TEXT NOT NULL DEFAULT '',
  body BLOB,
  body_size INTEGER NOT NULL DEFAULT 0,
  client_ip TEXT NOT NULL DEFAULT '',
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  dedup_key TEXT,
  response_status INTEGER,
  response_body TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  received_at INTEGER NOT NULL,
  finished_at INTEGER,
  duration_ms REAL,
  duplicates INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX deliveries_dedup ON deliveries(plugin, dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX deliveries_unfinished ON deliveries(status) WHERE status IN ('queued', 'processing');
CREATE INDEX deliveries_plugin ON deliveries(plugin, seq);
CREATE INDEX deliveries_received ON deliveries(received_at);

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  chat_key TEXT NOT NULL,
  message TEXT NOT NULL,
  plugin TEXT,
  delivery_id TEXT,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT
);
CREATE INDEX outbox_unfinished ON outbox(seq) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_state ON outbox(state, seq);
CREATE INDEX outbox_chat ON outbox(chat_key, seq);

CREATE TABLE outbox_attempts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  http_status INTEGER,
  error TEXT,
  duration_ms REAL NOT NULL
);
CREATE INDEX outbox_attempts_message ON outbox_attempts(message_id, seq);

CREATE TABLE kv (
  plugin TEXT NOT NULL,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (plugin, scope, key)
) WITHOUT ROWID;

CREATE TABLE plugin_state (
  plugin TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE web_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  room TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  outbox_id TEXT UNIQUE
);
CREATE INDEX web_messages_room ON web_messages(room, seq);
`,
  },
  {
    version: '0002_tasks',
    sql: `
CREATE TABLE tasks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  plugin TEXT NOT NULL,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  policy TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  progress REAL NOT NULL DEFAULT 0,
  progress_message TEXT,
  result TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  next_attempt_at INTEGER
);
CREATE INDEX tasks_unfinished ON tasks(seq) WHERE status IN ('queued', 'running');
CREATE INDEX tasks_plugin ON tasks(plugin, seq);
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
ALTER TABLE outbox ADD COLUMN position INTEGER;
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
`,
  },
]

/** Applies the migrations not yet recorded, each in its own transaction; returns the versions applied. */
export function migrate(db: Database): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: string }>).map((r) => r.version))
  const applied: string[] = []
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now())
    }).immediate()
    applied.push(migration.version)
  }
  return applied
}

/** Versions that exist in code but are not applied yet. */
export function pendingMigrations(db: Database): string[] {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()
  if (!hasTable) return MIGRATIONS.map((m) => m.version)
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: string }>).map((r) => r.version))
  return MIGRATIONS.filter((m) => !done.has(m.version)).map((m) => m.version)
}

/** Connection settings for every hookcat SQLite connection: WAL, full durability, a busy timeout. */
export function configureConnection(db: Database): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
}
