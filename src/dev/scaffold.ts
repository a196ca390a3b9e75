// `hookcat new plugin <name>`: the files of a new plugin folder (webhook, config with a secret, test, README).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { PLUGIN_NAME } from '../host/plugin/define.js'

export interface ScaffoldResult {
  dir: string
  files: string[]
}

/** The plugin's name in camelCase, for identifiers in the generated code. */
function identifier(name: string): string {
  const camel = name.replace(/[-_]+([a-z0-9])/g, (_, c: string) => c.toUpperCase())
  return /^[0-9]/.test(camel) ? `plugin${camel}` : camel
}

export function pluginFiles(name: string): Record<string, string> {
  const id = identifier(name)
  return {
    'index.ts': `// ${name}: a hookcat plugin that turns signed webhooks into chat messages.
import { definePlugin, secret, verify, z } from 'hookcat'

export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  description: 'Posts the "text" of signed webhooks to a chat',
  config: z.object({
    secret: secret(z.string()).describe('Shared secret; senders sign the body: X-Signature: sha256=<hex HMAC-SHA256>'),
    chat: z.string().describe('chat_key to post to, e.g. onebot_v11-group_123456'),
  }),
  setup(plugin) {
    // URL: /api/plugin/${name}/webhook/hook
    plugin.mountWebhook(
      '/hook',
      async (req) => {
        const body = await req.json<{ text?: unknown }>()
        if (typeof body?.text !== 'string' || body.text === '') return { status: 'ignored', reason: 'no text' }
        await plugin.send(plugin.config.chat, body.text)
        return { status: 'sent' }
      },
      {
        methods: ['POST'],
        // Checked on the raw bytes before the handler runs; a wrong or missing signature is answered 401.
        verify: verify.hmac(() => plugin.config.secret, { header: 'X-Signature', prefix: 'sha256=' }),
      },
    )
  },
})
`,
    [`${name}.test.ts`]: `// Tests of the ${name} plugin with hookcat's test kit: a real host, signed requests, captured messages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, pluginConfig } from 'hookcat/testing'
import ${id} from './index.js'

const signing = { secret: 'test-secret', header: 'X-Signature', prefix: 'sha256=' }
const config = { plugins: pluginConfig(${id}, { secret: signing.secret, chat: 'test-room' }) }

test('a signed webhook posts its text to the chat', async () => {
  const t = await createTestHost({ plugins: [${id}], config })
  try {
    const res = await t.send.hmac('${name}', '/hook', { text: 'hello' }, signing)
    assert.equal(res.status, 200, res.text)
    assert.deepEqual(res.json(), { status: 'sent' })
    const message = await t.sent.next()
    assert.equal(message.chatKey, 'test-room')
    assert.equal(message.message.text, 'hello')
  } finally {
    await t.close()
  }
})

test('a wrong signature is refused and nothing is sent', async () => {
  const t = await createTestHost({ plugins: [${id}], config })
  try {
    const res = await t.send.hmac('${name}', '/hook', { text: 'hello' }, { ...signing, secret: 'wrong' })
    assert.equal(res.status, 401)
    assert.deepEqual(t.sent.all(), [])
  } finally {
    await t.close()
  }
})
`,
    'README.md': `# ${name}

A hookcat plugin. Webhook URL: \`<publicUrl>/api/plugin/${name}/webhook/hook\`.

## Configuration (hookcat.yaml)

\`\`\`yaml
plugins:
  ${name}:
    config:
      secret: \${${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SECRET}   # senders sign with it
      chat: onebot_v11-group_123456
\`\`\`

## Sending to it

Sign the exact body with HMAC-SHA256 and send it as \`X-Signature: sha256=<hex>\`, e.g.
\`hookcat simulate ${name} /hook --file payload.json\`.

## Test

\`node --import tsx --test plugins/${name}/${name}.test.ts\` (or your project's test command).
`,
  }
}

/** Writes plugins/<name>/ under `root`; refuses a bad name or a folder that exists. */
export function scaffoldPlugin(root: string, name: string, pluginsDir = 'plugins'): ScaffoldResult {
  if (!PLUGIN_NAME.test(name)) throw new Error(`plugin name "${name}" must be 1-64 lower-case letters, digits, - or _, starting with a letter or digit`)
  const dir = join(root, pluginsDir, name)
  if (existsSync(dir)) throw new Error(`${relative(root, dir) || dir} already exists; choose another name or remove it`)
  mkdirSync(dir, { recursive: true })
  const files: string[] = []
  for (const [file, text] of Object.entries(pluginFiles(name))) {
    writeFileSync(join(dir, file), text, { flag: 'wx' })
    files.push(join(dir, file))
  }
  return { dir, files }
}
