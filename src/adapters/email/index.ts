// E-mail through SMTP (nodemailer): an HTML part and a plain-text part, files attached; the channel is the address.
import { createTransport, type Transporter } from 'nodemailer'
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter, SendError } from '../../host/outbox/adapter.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { scrubSecrets } from '../../util/redact.js'
import { forPlatform, mentionIds } from '../shared/mentions.js'
import { cleanMessage } from '../render/clean.js'
import { compose, headline } from '../render/compose.js'
import { emailHtml, plain } from '../render/dialects.js'
import { renderParts, stringTarget, type Target } from '../render/layout.js'
import { inlineText, parseInline } from '../render/markdown.js'
import { attachmentPath } from '../shared/attachments.js'
import { commonFields, rates } from '../shared/config.js'

const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/
/** A mail has no hard size limit; past this a message is cut with the marker rather than clog a mailbox. */
export const EMAIL_TEXT_LIMIT = 500_000

export interface EmailPayload {
  subject: string
  /** The people the message concerns, by address (the To stays the chat's address). */
  cc?: string[]
  text: string
  html: string
}

const config = z
  .object({
    type: z.literal('email').optional(),
    host: z.string().min(1).describe('SMTP server'),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false).describe('TLS from the start (port 465); otherwise STARTTLS when offered'),
    requireTLS: z.boolean().default(false),
    user: z.string().optional(),
    password: secret(z.string()).optional(),
    from: z.string().min(3).describe('Sender, e.g. "hookcat <bot@example.com>"'),
    subjectPrefix: z.string().default('[hookcat] '),
    ...commonFields,
  })
  .strict()

// Each line its own block, so that lines join with a bare newline and <pre> blocks keep theirs.
const inlineTarget = stringTarget(emailHtml, 'chars')
const htmlTarget: Target<string> = {
  ...inlineTarget,
  line: (l) => (l.kind === 'blank' ? '<div>&nbsp;</div>' : l.kind === 'text' ? `<div>${inlineTarget.line(l)}</div>` : inlineTarget.line(l)),
  plain: (t) => `<div>${inlineTarget.plain(t)}</div>`,
}

/** "[hookcat] 🔴 [acme/api] title": the source, the thing and its level (one icon), so that alerts differ by subject. */
function subjectOf(message: Message, prefix: string): string {
  const firstLine = (s: string): string => s.split('\n').find((l) => l.trim()) ?? ''
  const first = headline(message) || (message.markdown !== undefined ? inlineText(parseInline(firstLine(message.markdown))) : firstLine(message.text))
  const subject = `${prefix}${first}`.replace(/\s+/g, ' ').trim()
  return [...subject].length > 150 ? `${[...subject].slice(0, 149).join('')}…` : subject
}

export const emailAdapter = defineAdapter({
  type: 'email',
  description: 'E-mail over SMTP: email-<address>',
  config,
  create(settings, context) {
    const secrets = secretValues(config, settings)
    const transport: Transporter = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTLS,
      auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    })
    const render = (_channel: string, input: Message): EmailPayload[] => {
      // A mention in a mail is a copy to that person: Cc, not an "@" line; people without an address are named.
      const message = forPlatform(cleanMessage(input), (m) => (m.id !== undefined && ADDRESS.test(m.id) && m.id.length <= 254 ? m.id : undefined))
      const cc = mentionIds(message)
      const composed = compose({ ...message, mentions: message.mentions?.filter((m) => typeof m !== 'string' && m.id === undefined) }, { omitAttachments: true })
      const limits = { limit: EMAIL_TEXT_LIMIT, maxParts: settings.maxParts }
      const texts = renderParts(composed, stringTarget(plain, 'chars'), limits)
      const htmls = renderParts(composed, htmlTarget, { ...limits, maxParts: texts.length })
      const subject = subjectOf(message, settings.subjectPrefix)
      return texts.map((text, i) => ({
        subject: texts.length > 1 ? `${subject} (${i + 1}/${texts.length})` : subject,
        ...(cc.length ? { cc } : {}),
        text,
        html: `<!doctype html><html><body style="font-family:sans-serif">\n${htmls[i] ?? ''}\n</body></html>`,
      }))
    }
    return {
      name: context.name,
      type: 'email',
      rateLimits: rates({ global: { count: 10, intervalMs: 1000 } }, settings.rateLimit),
      checkChannel: (channel) => (ADDRESS.test(channel) && channel.length <= 254 ? undefined : `an e-mail channel is one address (email-ops@example.com), not "${channel.slice(0, 64)}"`),
      render,
      async probe() {
        try {
          await transport.verify()
        } catch (error) {
          throw new Error(scrubSecrets(`SMTP ${settings.host}:${settings.port}: ${(error as Error).message}`, secrets))
        }
        return `SMTP ${settings.host}:${settings.port}`
      },
      async send(channel, message, { payload, signal, plugin, messageId, part }) {
        const mail = (payload as EmailPayload | undefined) ?? render(channel, message)[0]
        const attachments = (part ?? 0) === 0 ? [...(message.images ?? []), ...(message.files ?? [])].map((a) => (a.url ? { filename: a.name, path: a.url } : { filename: a.name, path: attachmentPath(context.dataDir, plugin, a.path!) })) : []
        const sending = transport.sendMail({
          from: settings.from,
          to: channel,
          ...(mail.cc?.length ? { cc: mail.cc.filter((a) => a.toLowerCase() !== channel.toLowerCase()) } : {}),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments,
          // Stable per message and part, so that a receiving system can spot a resend after a crash.
          messageId: `<${messageId}.${part ?? 0}@hookcat>`,
        })
        let onAbort: (() => void) | undefined
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(new SendError('send timed out (SMTP)', { retryable: true }))
          signal.addEventListener('abort', onAbort, { once: true })
        })
        try {
          await Promise.race([sending, aborted])
        } catch (error) {
          if (error instanceof SendError) throw error
          const e = error as { responseCode?: number; code?: string; response?: string; message?: string }
          const text = scrubSecrets(`${e.code ?? 'SMTP'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${(e.response ?? e.message ?? '').slice(0, 300)}`, secrets)
          // SMTP: 5xx is a permanent refusal (bad address, too large); 4xx and connection trouble are worth a retry.
          const permanent = (e.responseCode ?? 0) >= 500 || e.code === 'EENVELOPE' || e.code === 'EAUTH'
          throw new SendError(text, { retryable: !permanent, cause: error })
        } finally {
          if (onAbort) signal.removeEventListener('abort', onAbort)
          sending.catch(() => undefined)
        }
      },
      async close() {
        transport.close()
      },
    }
  },
})
