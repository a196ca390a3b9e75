// Slack Block Kit for a structured message: header, source context, body sections, field sections, link and mentions.
import type { Message } from '../../host/messages.js'
import { attachmentLines, compose, headline, linkLine, mentionLine } from '../render/compose.js'
import { renderLine, slack } from '../render/dialects.js'
import { layout, stringTarget } from '../render/layout.js'

/**
 * Block Kit's documented limits (https://api.slack.com/reference/block-kit/blocks); `total` is the text of all blocks
 * together, which Slack refuses past about 12,000 characters (msg_blocks_too_long, slackapi/bolt-js#2509).
 */
export const SLACK_BLOCK_LIMITS = { blocks: 50, header: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextElements: 10, contextText: 2000, total: 12_000 } as const

/** All the text in a list of blocks, as Slack counts it against `total`. */
export function blocksTextLength(value: unknown): number {
  if (typeof value === 'string') return 0
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + blocksTextLength(v), 0)
  if (!value || typeof value !== 'object') return 0
  return Object.entries(value).reduce((n, [k, v]) => n + (k === 'text' && typeof v === 'string' ? v.length : blocksTextLength(v)), 0)
}

export type SlackBlock = Record<string, unknown>

const clip = (s: string, max: number): string => ([...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s)
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text })

/** The blocks of a message, or undefined when it has no structure or does not fit in one message's blocks. */
export function slackBlocks(message: Message): SlackBlock[] | undefined {
  if (!message.title && !message.source && !message.fields?.length && !message.level) return undefined
  const blocks: SlackBlock[] = []
  const head = headline(message, { source: false })
  if (head) blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(head, SLACK_BLOCK_LIMITS.header), emoji: true } })
  if (message.source) blocks.push({ type: 'context', elements: [{ type: 'plain_text', text: clip(message.source, SLACK_BLOCK_LIMITS.contextText), emoji: true }] })
  const body = compose(message, { omitTitle: true, omitFields: true, omitLink: true, omitMentions: true, omitAttachments: true })
  if (body.lines.length) {
    const laid = layout(body, stringTarget(slack, 'chars'), { limit: SLACK_BLOCK_LIMITS.sectionText, maxParts: SLACK_BLOCK_LIMITS.blocks, markers: false })
    if (laid.truncated) return undefined
    for (const part of laid.parts) blocks.push({ type: 'section', text: mrkdwn(part.join('\n')) })
  }
  const fields = message.fields ?? []
  for (let i = 0; i < fields.length; i += SLACK_BLOCK_LIMITS.fields) {
    const texts = fields.slice(i, i + SLACK_BLOCK_LIMITS.fields).map((f) => `*${slack.text(f.name)}*\n${slack.text(f.value)}`)
    if (texts.some((t) => t.length > SLACK_BLOCK_LIMITS.fieldText)) return undefined
    blocks.push({ type: 'section', fields: texts.map(mrkdwn) })
  }
  const tail = [...attachmentLines(message), mentionLine(message, { all: true }), linkLine(message)].filter((l) => l !== undefined).map((l) => renderLine(slack, l))
  if (tail.length) {
    const text = tail.join('\n')
    if (text.length > SLACK_BLOCK_LIMITS.sectionText) return undefined
    blocks.push({ type: 'section', text: mrkdwn(text) })
  }
  return blocks.length <= SLACK_BLOCK_LIMITS.blocks && blocksTextLength(blocks) <= SLACK_BLOCK_LIMITS.total ? blocks : undefined
}
