// Named relays: any JSON body to a chat message through a user-written liquid template, each relay at /<name> with its own secret.
import { chatKey, definePlugin, secret, verify, z, type Verifier, type WebhookRequest } from '../../index.js'
import { compileTemplate, renderTemplate, TEMPLATE_LIMITS } from './template.js'

const secretText = secret(z.string().min(8, 'must be at least 8 characters'))

const relaySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lower-case letters, digits, - or _').describe('The relay is at /<name>'),
    token: secretText.optional().describe('Required as Authorization: Bearer <token> or ?token=<token>'),
    hmacSecret: secretText.optional().describe('Required: hex HMAC-SHA256 of the raw body in hmacHeader'),
    hmacHeader: z.string().min(1).default('X-Signature'),
    hmacPrefix: z.string().default('sha256=').describe('Text before the hex digest ("" for none)'),
    public: z.boolean().default(false).describe('Accept requests without token or signature'),
    template: z.string().min(1).max(TEMPLATE_LIMITS.parse).describe('liquid template; data: body, query, headers, method'),
    chats: z.array(chatKey(z.string().min(3))).min(1).max(50),
  })
  .strict()
  .refine((r) => r.public || r.token !== undefined || r.hmacSecret !== undefined, 'a relay needs a token, an hmacSecret, or public: true')

type Relay = z.output<typeof relaySchema>

/** Header and query names a template may never read: credentials and signatures (the relay's own ?token= among them). */
const CREDENTIAL = /^(authorization|cookie|proxy-authorization)$|signature|^sig$|^sign$|token|secret|key|passw(or)?d|auth|credential/i

function visibleHeaders(req: WebhookRequest): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of req.headers.entries()) if (!CREDENTIAL.test(name)) out[name] = value
  return out
}

/** The query without credentials, as the template sees it. */
function visibleQuery(req: WebhookRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(req.query)) if (!CREDENTIAL.test(name)) out[name] = value
  return out
}

function relayVerifiers(relay: Relay): Verifier[] {
  const list: Verifier[] = []
  if (relay.token !== undefined) {
    const bearer = verify.bearer(() => relay.token)
    const query = verify.urlToken(() => relay.token)
    const pick = (input: { headers: { authorization?: string }; query: URLSearchParams }) => (input.headers.authorization === undefined && input.query.has('token') ? query : bearer)
    list.push({
      ...bearer,
      description: 'Authorization: Bearer <token> or ?token=<token>',
      verify: (input) => pick(input).verify(input),
      begin: (input) => pick(input).begin!(input),
    })
  }
  if (relay.hmacSecret !== undefined) list.push(verify.hmac(() => relay.hmacSecret, { header: relay.hmacHeader, prefix: relay.hmacPrefix }))
  return list
}

export default definePlugin({
  name: 'relay',
  version: '1.0.0',
  description: 'Any JSON to a chat message through a safe liquid template; one URL, secret and template per relay.',
  config: z.object({
    relays: z
      .array(relaySchema)
      .max(100)
      .default([])
      .refine((list) => new Set(list.map((r) => r.name)).size === list.length, 'relay names must be unique'),
  }),
  setup(plugin) {
    for (const relay of plugin.config.relays) {
      const template = compileTemplate(relay.name, relay.template)
      plugin.mountWebhook(
        `/${relay.name}`,
        async (req) => {
          const body = req.raw.length === 0 ? {} : await req.json()
          const text = await renderTemplate(template, { body, query: visibleQuery(req), headers: visibleHeaders(req), method: req.method })
          // An empty result is the template's way of saying "not this one".
          if (text === '') return { status: 'skipped', reason: 'the template rendered no text' }
          await plugin.sendAll(relay.chats, text)
          return { status: 'sent', chats: relay.chats.length }
        },
        { methods: ['POST'], verify: relayVerifiers(relay), public: relay.public, event: relay.name, description: `relay "${relay.name}" → ${relay.chats.length} chat(s)` },
      )
    }
  },
})
