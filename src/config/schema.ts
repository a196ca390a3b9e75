// The schema of hookcat.yaml: server, storage, adapters, plugins, retention and delivery settings.
import { z } from 'zod'
import { byteSize, duration } from './size.js'
import { checkPeople, peopleSchema } from './people.js'
import { chatsSchema } from './shaping.js'

const NAME = /^[a-z0-9][a-z0-9_]*$/

export const serverSchema = z
  .object({
    host: z.string().default('0.0.0.0').describe('Interface to listen on'),
    port: z.number().int().min(0).max(65535).default(8021).describe('TCP port to listen on'),
    publicUrl: z.url().optional().describe('Base URL the outside world uses to reach hookcat; webhook URLs are built from it'),
    bodyLimit: byteSize.default(1024 * 1024).describe('Default largest request body a webhook accepts'),
    adminToken: z.string().min(16, 'must be at least 16 characters').optional().describe('Token for the admin API and web UI; generated on first start when absent'),
    requestTimeout: duration.default(30_000).describe('Time a client has to send its whole request'),
    handlerTimeout: duration.default(30_000).describe('Time a synchronous handler has to answer'),
    maxInFlight: z.number().int().positive().default(2048).describe('Requests handled at once before new ones get 503'),
    trustProxy: z.boolean().default(false).describe('Take the client address from X-Forwarded-For'),
    unverifiedBodyBudget: byteSize.default(32 * 1024 * 1024).describe('Bytes all request bodies not yet verified may hold at once; beyond it new ones get 503 + Retry-After'),
    maxUnverifiedPerClient: z.number().int().positive().default(8).describe('Request bodies not yet verified one client address may send at once'),
  })
  .strict()
  .prefault({})

export const retentionSchema = z
  .object({
    maxDeliveries: z.number().int().positive().default(100_000).describe('Deliveries kept in the log; older ones are pruned'),
    maxAge: duration.default(30 * 86_400_000).describe('Age after which deliveries are pruned'),
    storeBodyLimit: byteSize.default(1024 * 1024).describe('Largest request body kept in the delivery log'),
    maxTasks: z.number().int().positive().default(10_000).describe('Finished tasks kept; older ones are pruned'),
    maxTaskAge: duration.default(30 * 86_400_000).describe('Age after which finished tasks are pruned'),
  })
  .strict()
  .prefault({})

export const inboxSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(8).describe('Attempts of an async handler before the delivery is kept as failed'),
    backoffBase: duration.default(1000).describe('First retry delay of an async handler; doubles each attempt, with jitter'),
    backoffMax: duration.default(15 * 60_000).describe('Longest retry delay'),
    concurrency: z.number().int().positive().default(16).describe('Async handlers running at once'),
    maxBacklog: z.number().int().positive().default(50_000).describe('Queued async deliveries before new ones get 503'),
    maxBacklogBytes: byteSize.default(256 * 1024 * 1024).describe('Body bytes of queued async deliveries before new ones get 503 (with Retry-After)'),
  })
  .strict()
  .prefault({})

export const tasksSchema = z
  .object({
    concurrency: z.number().int().positive().default(4).describe('Plugin tasks running at once in one process'),
    perPlugin: z.number().int().positive().default(2).describe("Tasks of one plugin running at once, so that one plugin's long jobs leave room for the others'"),
    maxQueued: z.number().int().positive().default(1000).describe('Unfinished tasks one plugin may have queued in one process; tasks.start() beyond it fails with TASK_QUEUE_FULL (503)'),
  })
  .strict()
  .prefault({})

export const outboxSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(1000).default(20).describe('Attempts before a message becomes a dead letter'),
    maxAge: duration.default(86_400_000).describe('Age after which an undelivered message becomes a dead letter'),
    backoffBase: duration.default(1000),
    backoffMax: duration.default(10 * 60_000),
    sendTimeout: duration.default(15_000).describe('Time one platform call may take'),
    chats: chatsSchema.describe('Digests, quiet hours and locale per chat_key or adapter instance (docs/configuration.md)'),
    memory: z
      .object({
        perChat: z.number().int().min(10).max(100_000).default(100).describe('Messages one chat keeps in memory; a longer backlog waits in storage and is read in pages'),
        total: z.number().int().min(100).max(10_000_000).default(5000).describe('Messages all chats keep in memory (each chat keeps at least 20)'),
      })
      .strict()
      .prefault({})
      .describe('One process (SQLite): how many waiting messages the outbox keeps in memory'),
  })
  .strict()
  .prefault({})

export const adapterInstanceSchema = z.looseObject({ type: z.string().regex(NAME).optional() })

export const pluginEntrySchema = z
  .object({
    enabled: z.boolean().default(true),
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .prefault({})

export const configSchema = z
  .object({
    server: serverSchema,
    storage: z
      .string()
      .default('sqlite:./data/hookcat.db')
      .refine((s) => s.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(s), 'must be "sqlite:<path>" or a postgres:// URL')
      .describe('sqlite:<path> (embedded) or a postgres:// URL'),
    dataDir: z.string().default('./data').describe('Where hookcat keeps its files and each plugin its data directory'),
    pluginsDir: z.string().default('./plugins').describe('Folder whose .ts/.js files and folders are loaded as plugins'),
    packages: z.array(z.string()).default([]).describe('npm packages to load as plugins'),
    builtins: z.boolean().default(true).describe('Load the built-in plugins'),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().prefault({}),
    retention: retentionSchema,
    inbox: inboxSchema,
    outbox: outboxSchema,
    tasks: tasksSchema,
    adapters: z
      .record(z.string().regex(NAME, 'adapter names are lower-case letters, digits and _'), adapterInstanceSchema)
      .default({}),
    plugins: z.record(z.string(), pluginEntrySchema).default({}),
    people: peopleSchema,
  })
  .strict()
  .superRefine((c, ctx) => checkPeople(c.people, Object.keys(c.adapters), ctx, c.plugins))

export type HookcatConfigInput = z.input<typeof configSchema>
export type HookcatConfig = z.output<typeof configSchema>
