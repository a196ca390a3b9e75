// The OpenAPI 3.1 document of the admin API, written by hand; a test checks it lists every route the app serves.
type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required })
const str: Schema = { type: 'string' }
const int: Schema = { type: 'integer' }
const arr = (items: Schema): Schema => ({ type: 'array', items })

interface Param {
  name: string
  in: 'path' | 'query' | 'header'
  description?: string
  schema?: Schema
}

interface Op {
  summary: string
  params?: Param[]
  body?: Schema
  /** The body may be left out. */
  bodyOptional?: boolean
  ok: [number, Schema | null, string?]
  /** Authenticated with ?ticket= instead of the bearer header (EventSource). */
  sse?: boolean
  errors?: number[]
}

const p = (name: string, description?: string): Param => ({ name, in: 'path', description, schema: str })
const q = (name: string, description: string, schema: Schema = str): Param => ({ name, in: 'query', description, schema })

const timeQ = (name: string, what: string) => q(name, `${what}: epoch milliseconds or an ISO 8601 date`)
const pageQ = [q('before', 'Only rows with a seq below this (the `next` of the previous page)', int), q('limit', '1-500, default 50', int)]

const OPS: Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', Op>>> = {
  '/openapi.json': { get: { summary: 'This document', ok: [200, { type: 'object' }] } },
  '/plugins': { get: { summary: 'Every plugin with its webhooks and their full URLs, plus plugins that could not be loaded', ok: [200, obj({ plugins: arr(ref('Plugin')), loadProblems: arr(obj({ source: str, error: str })) })] } },
  '/plugins/{name}': { get: { summary: 'One plugin', params: [p('name')], ok: [200, ref('Plugin')], errors: [404] } },
  '/plugins/{name}/enable': { post: { summary: 'Enable (kept across restarts)', params: [p('name')], ok: [200, ref('Plugin')], errors: [404] } },
  '/plugins/{name}/disable': { post: { summary: 'Disable (kept across restarts)', params: [p('name')], ok: [200, ref('Plugin')], errors: [404] } },
  '/plugins/{name}/reload': { post: { summary: 'Reload code and config; the old version serves until the new one is set up', params: [p('name')], ok: [200, ref('Plugin')], errors: [404, 500] } },
  '/plugins/{name}/config': {
    get: { summary: 'Config with secrets shown only as {secret,set}, and its JSON Schema (secret fields writeOnly)', params: [p('name')], ok: [200, ref('PluginConfig')], errors: [404] },
    put: {
      summary:
        'Change the fields given (others keep their value; null removes one), validate, store only the fields that then differ from hookcat.yaml as overrides, and reload. Secret fields left out or sent as {secret:true,set:true} keep their value; {secret:true,set:false} clears one; a typed secret is stored encrypted.',
      params: [p('name')],
      body: obj({ config: { type: 'object' } }, ['config']),
      ok: [200, ref('PluginConfig')],
      errors: [400, 404, 500],
    },
  },
  '/plugins/{name}/config/revert': {
    post: {
      summary: 'Remove overrides (the fields given and the paths below them, or all when none or no body is given) so that hookcat.yaml applies again, and reload',
      params: [p('name')],
      body: obj({ fields: arr(str) }),
      bodyOptional: true,
      ok: [200, ref('PluginConfig')],
      errors: [400, 404, 500],
    },
  },
  '/plugins/{name}/samples': { get: { summary: 'The bundled sample events a preview can render', params: [p('name')], ok: [200, obj({ samples: arr(str) }, ['samples'])], errors: [404] } },
  '/plugins/{name}/preview': {
    post: {
      summary:
        'What each platform would receive for a bundled sample (event) or a given body, with the saved config and the fields given in config on top (templates, locale, routes); route picks a route\'s template. A template error is a 400 naming its path.',
      params: [p('name')],
      body: obj({ event: str, body: { type: 'object' }, config: { type: 'object' }, adapter: { oneOf: [str, arr(str)] }, locale: { enum: ['zh-CN', 'en'] }, route: int }, ['event']),
      ok: [200, obj({ event: str, template: { type: ['string', 'null'] }, message: { type: ['object', 'null'] }, platforms: arr(obj({ adapter: str, parts: arr({}) })) }, ['event', 'message', 'platforms'])],
      errors: [400, 404],
    },
  },
  '/deliveries': {
    get: {
      summary: 'Deliveries, newest first, without bodies',
      params: [q('plugin', 'Plugin name'), q('status', 'received, queued, processing, done, failed or rejected'), timeQ('since', 'Received at or after'), timeQ('until', 'Received before'), q('q', 'Text in the path or body, or a delivery id'), q('event', 'The sender\'s event type, exactly (push, firing, …)'), q('outcome', 'pending, delivered, ignored, filtered, failed or dead'), ...pageQ],
      ok: [200, obj({ deliveries: arr(ref('DeliverySummary')), next: int }, ['deliveries'])],
      errors: [400],
    },
  },
  '/deliveries/{id}': { get: { summary: 'One delivery: redacted headers, body (utf8 or base64), response, timing', params: [p('id')], ok: [200, ref('DeliveryDetail')], errors: [404] } },
  '/deliveries/{id}/replay': { post: { summary: 'Run the stored request through its handler again, as a new async delivery', params: [p('id')], ok: [202, obj({ id: str, replayOf: str })], errors: [404, 409] } },
  '/outbox': {
    get: { summary: 'Outbox messages, newest first', params: [q('state', 'pending, sending, delivered, dead or discarded'), q('chatKey', 'Only this chat'), ...pageQ], ok: [200, obj({ messages: arr(ref('Message')), next: int }, ['messages'])], errors: [400] },
  },
  '/outbox/{id}': { get: { summary: 'A message and its send attempts with the platform error text', params: [p('id')], ok: [200, obj({ message: ref('Message'), attempts: arr(ref('Attempt')) })], errors: [404] } },
  '/outbox/{id}/retry': { post: { summary: 'Send a dead (or discarded) letter again from attempt 1', params: [p('id')], ok: [200, ref('Message')], errors: [404, 409] } },
  '/outbox/{id}/discard': { post: { summary: 'Drop a dead letter (kept as discarded)', params: [p('id')], ok: [200, ref('Message')], errors: [404, 409] } },
  '/mutes': {
    get: { summary: 'Muted chats with when each mute ends and how many messages it holds', ok: [200, obj({ mutes: arr(ref('Mute')) })] },
    post: { summary: 'Mute a chat for a duration ("2h", "30m") or until a time (ms): messages are held, then sent as a digest', body: obj({ chatKey: str, duration: str, until: int }, ['chatKey']), ok: [200, ref('Mute')], errors: [400] },
  },
  '/mutes/{chatKey}': { delete: { summary: 'Unmute a chat: what it held is sent now, as a digest', params: [p('chatKey')], ok: [200, obj({ chatKey: str, unmuted: { type: 'boolean' } })], errors: [404] } },
  '/outbox/retry': { post: { summary: 'Retry a selection', body: ref('Selection'), ok: [200, ref('SelectionResult')], errors: [400] } },
  '/outbox/discard': { post: { summary: 'Discard a selection', body: ref('Selection'), ok: [200, ref('SelectionResult')], errors: [400] } },
  '/tasks': {
    get: {
      summary: 'Durable tasks (plugin.tasks), newest first',
      params: [q('plugin', 'Plugin name'), q('status', 'queued, running, completed, failed or interrupted'), ...pageQ],
      ok: [200, obj({ tasks: arr(ref('Task')), next: int }, ['tasks'])],
      errors: [400],
    },
  },
  '/tasks/{id}': { get: { summary: 'One task: status, progress, result or error', params: [p('id')], ok: [200, ref('Task')], errors: [404] } },
  '/send': { post: { summary: 'Send a message to a chat through the outbox', body: obj({ chatKey: str, message: { oneOf: [str, { type: 'object' }] } }, ['chatKey', 'message']), ok: [202, obj({ id: str, chatKey: str })], errors: [400] } },
  '/chats': { get: { summary: 'chat_keys seen in the outbox with counts per state, and the configured adapters', ok: [200, obj({ chats: arr({ type: 'object' }), adapters: arr(obj({ name: str, type: str })) })] } },
  '/web/rooms': { get: { summary: 'Rooms of the built-in web chat', ok: [200, obj({ rooms: arr(obj({ room: str, count: int, lastAt: int })) })] } },
  '/web/rooms/{room}/messages': { get: { summary: 'Messages of a room after a seq', params: [p('room'), q('after', 'Only messages with a larger seq', int), q('limit', '1-500, default 200', int)], ok: [200, obj({ room: str, messages: arr(ref('WebMessage')) })], errors: [400] } },
  '/web/rooms/{room}/stream': {
    get: { summary: 'Server-Sent Events of new messages in a room; id: is the seq, resume with Last-Event-ID or ?after=', sse: true, params: [p('room'), q('after', 'Resume after this seq', int)], ok: [200, null, 'text/event-stream'], errors: [400] },
  },
  '/events': { get: { summary: 'Server-Sent Events `delivery` and `message` for live lists', sse: true, ok: [200, null, 'text/event-stream'] } },
  '/tickets': {
    post: {
      summary: 'A single-use ticket, valid 60 s, for ?ticket= on the one SSE route it names, so that the token never goes into a URL',
      body: obj({ stream: { type: 'string', description: '"/events" or "/web/rooms/<room>/stream"' } }, ['stream']),
      ok: [201, obj({ ticket: str, expiresAt: int, stream: str })],
      errors: [400],
    },
  },
  '/refusals': {
    get: {
      summary: 'Refused webhook requests counted per plugin, route and reason (error code); only a sample of them is in the delivery log',
      params: [q('plugin', 'Only this plugin')],
      ok: [200, obj({ total: int, refusals: arr(obj({ plugin: str, route: str, reason: str, status: int, count: int, firstAt: int, lastAt: int })) })],
      errors: [400],
    },
  },
  '/subscriptions': {
    get: {
      summary: 'Two-way chat: the subscriptions chats made with /hookcat subscribe, the chat commands, and the state of adapters with a live link',
      ok: [
        200,
        obj({
          subscriptions: arr(obj({ forge: str, target: str, chatKey: str, events: arr(str), by: str, at: int })),
          commands: arr(obj({ plugin: str, name: str, description: str, usage: str, permission: str })),
          adapters: { type: 'object', description: 'adapter name → {state: up|down|connecting, detail, bots: [{selfId, connectedAt, lastHeartbeatAt}]}' },
        }),
      ],
    },
  },
  '/stats': { get: { summary: 'Deliveries per minute over the last hour, success rate, outbox counts, dead letters, inbox backlog', ok: [200, { type: 'object' }] } },
}

const SCHEMAS: Record<string, Schema> = {
  Error: obj({ error: obj({ code: str, message: str, details: { type: 'object', description: 'VALIDATION_FAILED: {fields: {"a.b": "message"}}' } }, ['code', 'message']) }, ['error']),
  Webhook: obj({ path: str, url: str, methods: arr(str), mode: { enum: ['sync', 'async'] }, verify: arr(str), public: { type: 'boolean' }, secretSet: { type: 'boolean' }, access: { enum: ['open', 'verified', 'refused'], description: 'From the check the ingress runs: open (nothing checked), verified, refused (a secret is missing)' }, description: str }),
  Plugin: obj({ name: str, version: str, description: str, source: str, state: { enum: ['loaded', 'disabled', 'failed'] }, enabled: { type: 'boolean' }, error: str, webhooks: arr(ref('Webhook')), secretFields: arr(str), overridden: arr(str) }),
  PluginConfig: obj({ plugin: str, source: { enum: ['file', 'admin'] }, config: { type: 'object' }, fileConfig: { type: 'object' }, overridden: arr(str), schema: { type: ['object', 'null'] }, secretFields: arr(str) }),
  DeliverySummary: obj({ id: str, seq: int, plugin: str, path: str, method: str, mode: str, status: str, responseStatus: { type: ['integer', 'null'] }, receivedAt: int, durationMs: { type: ['integer', 'null'] }, event: { type: ['string', 'null'] }, outcome: { enum: ['pending', 'delivered', 'ignored', 'filtered', 'failed', 'dead'] }, outcomeReason: { type: ['string', 'null'] } }),
  DeliveryDetail: obj({ id: str, messageIds: arr(str), headers: { type: 'object' }, query: str, body: obj({ encoding: { enum: ['utf8', 'base64'] }, data: str, size: int, stored: int, truncated: { type: 'boolean' } }), response: obj({ status: { type: ['integer', 'null'] }, body: { type: ['string', 'null'] } }), timing: { type: 'object' } }),
  Message: obj({ id: str, seq: int, chatKey: str, message: { type: 'object' }, plugin: { type: ['string', 'null'] }, deliveryId: { type: ['string', 'null'] }, state: { enum: ['pending', 'sending', 'delivered', 'dead', 'discarded', 'carried'] }, attempts: int, lastError: { type: ['string', 'null'] }, carriedBy: { type: ['string', 'null'] } }),
  Mute: obj({ chatKey: str, until: int, held: int }),
  Attempt: obj({ messageId: str, at: int, ok: { type: 'boolean' }, httpStatus: { type: ['integer', 'null'] }, error: { type: ['string', 'null'] }, durationMs: int }),
  Selection: obj({ ids: { ...arr(str), minItems: 1, maxItems: 500 } }, ['ids']),
  SelectionResult: obj({ done: int, results: arr(obj({ id: str, ok: { type: 'boolean' }, error: ref('Error') })) }),
  Task: obj({
    id: str,
    seq: int,
    plugin: str,
    kind: str,
    status: { enum: ['queued', 'running', 'completed', 'failed', 'interrupted'] },
    policy: { enum: ['retry', 'fail'] },
    attempts: int,
    maxAttempts: int,
    progress: { type: 'number' },
    message: { type: ['string', 'null'] },
    params: {},
    result: {},
    error: { type: ['string', 'null'] },
    createdAt: int,
    startedAt: { type: ['integer', 'null'] },
    finishedAt: { type: ['integer', 'null'] },
  }),
  WebMessage: obj({ seq: int, room: str, message: { type: 'object' }, createdAt: int }),
}

const ERROR_TEXT: Record<number, string> = { 400: 'Invalid input', 401: 'Missing or wrong admin token', 404: 'Not found', 409: 'Conflicts with the current state', 500: 'Failed' }

function operation(op: Op): Schema {
  const [status, schema, type = 'application/json'] = op.ok
  const responses: Record<string, Schema> = {
    [status]: { description: 'OK', content: { [type]: schema ? { schema } : {} } },
  }
  for (const code of [401, ...(op.errors ?? [])]) responses[code] = { description: ERROR_TEXT[code], content: { 'application/json': { schema: ref('Error') } } }
  return {
    summary: op.summary,
    parameters: [...(op.params ?? []).map((param) => ({ ...param, required: param.in === 'path' })), ...(op.sse ? [q('ticket', 'From POST /api/admin/tickets')] : [])],
    ...(op.body ? { requestBody: { required: !op.bodyOptional, content: { 'application/json': { schema: op.body } } } } : {}),
    ...(op.sse ? { security: [{ bearer: [] }, { ticket: [] }] } : {}),
    responses,
  }
}

let cached: Schema | undefined

export function openApiDocument(): Schema {
  if (cached) return cached
  const paths: Record<string, Schema> = {}
  for (const [path, ops] of Object.entries(OPS)) {
    paths[`/api/admin${path}`] = Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, operation(op)]))
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'hookcat admin API', version: '1', description: 'Every route needs Authorization: Bearer <admin token>. Errors are {error:{code,message,details?}}.' },
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        ticket: { type: 'apiKey', in: 'query', name: 'ticket' },
      },
    },
    security: [{ bearer: [] }],
  }
  return cached
}
