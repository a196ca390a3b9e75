// The page's upload endpoint, made safe: multipart file + chat_key, stored under uploads/<chat>/<clean name>, optionally sent on.
import { join } from 'node:path'
import { definePlugin, HookcatError, parseChatKey, verify, z } from '../../index.js'
import { rotatingSecret } from '../shared/secret-field.js'
import { formatBytes, render, Words } from '../shared/format.js'
import { localeField } from '../shared/locale.js'
import { chatFolder, sanitizeFileName } from './sanitize.js'
import { UploadQuota } from './quota.js'
import { removeUpload, storeUpload } from './store.js'

/** An allow-list entry: ".png" (extension), "image/png" or "image/*" (declared type). */
export function typeAllowed(allowed: string[] | undefined, name: string, type: string): boolean {
  if (!allowed || allowed.length === 0) return true
  const lowerName = name.toLowerCase()
  const lowerType = type.toLowerCase().split(';')[0].trim()
  return allowed.some((entry) => {
    const e = entry.toLowerCase()
    if (e.startsWith('.')) return lowerName.endsWith(e)
    if (e.endsWith('/*')) return lowerType.startsWith(e.slice(0, -1))
    return lowerType === e
  })
}

export default definePlugin({
  name: 'upload',
  version: '1.0.0',
  description: 'Multipart upload (file, chat_key) stored safely under the plugin data folder, optionally forwarded to the chat as a file.',
  config: z.object({
    token: rotatingSecret()
      .optional()
      .describe('Authorization: Bearer <token> required to upload'),
    public: z.boolean().default(false).describe('Accept uploads without a token when none is set'),
    maxBytes: z.number().int().positive().max(1024 * 1024 * 1024).default(10 * 1024 * 1024).describe('Largest file in bytes'),
    allowedTypes: z.array(z.string().min(2)).max(100).optional().describe('Allowed types: ".pdf", "image/png", "image/*"; default any'),
    maxChatBytes: z.number().int().positive().default(512 * 1024 * 1024).describe('Bytes the uploads of one chat may take on disk in all (507 beyond)'),
    maxTotalBytes: z.number().int().positive().default(4 * 1024 * 1024 * 1024).describe('Bytes all uploads may take on disk (507 beyond)'),
    forwardToChat: z.boolean().default(false).describe('Also send the file to the chat_key as a file message'),
    locale: localeField,
  }),
  setup(plugin) {
    const { maxBytes } = plugin.config
    const quota = new UploadQuota(join(plugin.dataDir, 'uploads'), { perChat: plugin.config.maxChatBytes, total: plugin.config.maxTotalBytes })
    plugin.mountWebhook(
      '/upload',
      async (req) => {
        const form = await req.formData()
        const file = form.get('file')
        if (!file || typeof file === 'string') throw new HookcatError('VALIDATION_FAILED', 'file is required (a multipart file field)', { details: { field: 'file' } })
        const chatKey = form.get('chat_key')
        if (typeof chatKey !== 'string' || chatKey === '') throw new HookcatError('VALIDATION_FAILED', 'chat_key is required', { details: { field: 'chat_key' } })
        parseChatKey(chatKey)
        if (file.size > maxBytes) throw new HookcatError('BODY_TOO_LARGE', `The file is larger than ${maxBytes} bytes`)
        const name = sanitizeFileName(file.name)
        if (!typeAllowed(plugin.config.allowedTypes, name, file.type)) {
          throw new HookcatError('UNSUPPORTED_MEDIA_TYPE', `This type of file is not accepted; allowed: ${plugin.config.allowedTypes!.join(', ')}`)
        }
        const folder = chatFolder(chatKey)
        const giveBack = await quota.reserve(folder, file.size)
        let stored
        try {
          stored = await storeUpload(plugin.dataDir, folder, name, new Uint8Array(await file.arrayBuffer()))
        } catch (error) {
          giveBack()
          throw error
        }
        if (plugin.config.forwardToChat) {
          const w = new Words(plugin.config.locale)
          const message = render({ icon: '📎', headline: w.t('fileReceived', { name: stored.filename, size: formatBytes(stored.size) }) })
          try {
            await plugin.send(chatKey, { ...message, files: [{ path: stored.path, name: stored.filename, mimeType: file.type || undefined }] })
          } catch (error) {
            // An unknown chat: nothing is kept, as nothing was accepted.
            await removeUpload(plugin.dataDir, stored.path)
            giveBack()
            throw error
          }
        }
        return { status: 'success', filename: stored.filename, size: stored.size, sha256: stored.sha256 }
      },
      {
        methods: ['POST'],
        verify: verify.bearer('token'),
        public: plugin.config.public,
        accepts: ['multipart/form-data'],
        bodyLimit: maxBytes + 1024 * 1024,
        description: 'multipart/form-data: file, chat_key; Authorization: Bearer <token>',
      },
    )
  },
})
