// Markup dialects of the chat platforms: how each escapes text and writes bold, links, lists and code.
import { inlineText, type Inline, type Line } from './markdown.js'

export interface Dialect {
  name: string
  /** Escapes plain text so that the platform shows it literally. */
  text(s: string): string
  bold(inner: string): string
  italic(inner: string): string
  strike(inner: string): string
  code(text: string): string
  link(url: string, label: string): string
  /** A user mention; `name` is what the reader sees where the platform shows a label of ours. */
  mention(id: string, name?: string): string
  /** @all where the platform has one in its markup (Slack <!channel>); absent: the adapter does it in its payload or not at all. */
  mentionAll?: string
  heading(inner: string): string
  item(inner: string, marker: string, depth: number): string
  quote(inner: string): string
  codeOpen(lang?: string): string
  codeLine(text: string): string
  codeClose: string
}

const indent = (depth: number): string => '  '.repeat(depth)

const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const attr = (s: string): string => html(s).replace(/"/g, '&quot;')

/** No markup at all (OneBot, WeCom text, e-mail text part). */
export const plain: Dialect = {
  name: 'plain',
  text: (s) => s,
  bold: (s) => s,
  italic: (s) => s,
  strike: (s) => s,
  code: (s) => s,
  link: (url, label) => (label === url ? url : `${label} (${url})`),
  mention: (id, name) => `@${name ?? id}`,
  heading: (s) => s,
  item: (s, marker, depth) => `${indent(depth)}${marker} ${s}`,
  quote: (s) => `| ${s}`,
  codeOpen: () => '',
  codeLine: (s) => `    ${s}`,
  codeClose: '',
}

/** Telegram's HTML parse mode: only &, < and > need escaping; a small tag set. */
export const telegramHtml: Dialect = {
  name: 'telegram-html',
  text: html,
  bold: (s) => `<b>${s}</b>`,
  italic: (s) => `<i>${s}</i>`,
  strike: (s) => `<s>${s}</s>`,
  code: (s) => `<code>${html(s)}</code>`,
  link: (url, label) => `<a href="${attr(url)}">${label}</a>`,
  mention: (id, name) => (/^\d+$/.test(id) ? `<a href="tg://user?id=${id}">${html(name ?? `@${id}`)}</a>` : `@${html((name ?? id).replace(/^@/, ''))}`),
  heading: (s) => `<b>${s}</b>`,
  item: (s, marker, depth) => `${indent(depth)}${html(marker)} ${s}`,
  quote: (s) => `<blockquote>${s}</blockquote>`,
  codeOpen: () => '<pre>',
  codeLine: html,
  codeClose: '</pre>',
}

/** Telegram MarkdownV2: every one of _*[]()~`>#+-=|{}.! is escaped with a backslash outside entities. */
const mdv2 = (s: string): string => s.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&')
export const telegramMarkdownV2: Dialect = {
  name: 'telegram-markdownv2',
  text: mdv2,
  bold: (s) => `*${s}*`,
  italic: (s) => `_${s}_`,
  strike: (s) => `~${s}~`,
  code: (s) => `\`${s.replace(/[`\\]/g, '\\$&')}\``,
  link: (url, label) => `[${label}](${url.replace(/[)\\]/g, '\\$&')})`,
  mention: (id, name) => (/^\d+$/.test(id) ? `[${mdv2(name ?? `@${id}`)}](tg://user?id=${id})` : `@${mdv2((name ?? id).replace(/^@/, ''))}`),
  heading: (s) => `*${s}*`,
  item: (s, marker, depth) => `${indent(depth)}${mdv2(marker)} ${s}`,
  quote: (s) => `>${s}`,
  codeOpen: (lang) => `\`\`\`${lang ?? ''}`,
  codeLine: (s) => s.replace(/[`\\]/g, '\\$&'),
  codeClose: '```',
}

/** Discord markdown: backslash escapes, except inside URLs (a backslash there breaks the link); @everyone defused. */
const URL_TOKEN = /(https?:\/\/[^\s<>]+)/
const discordEscapeWords = (s: string): string =>
  s
    .replace(/[\\*_~`|>[\]<]/g, '\\$&')
    .replace(/^(\s*)([#-]|\d+\.)/, '$1\\$2')
    .replace(/@(everyone|here)/g, '@\u200b$1')
const discordEscape = (s: string): string =>
  s
    .split(URL_TOKEN)
    .map((piece, i) => (i % 2 ? piece : discordEscapeWords(piece)))
    .join('')
export const discord: Dialect = {
  name: 'discord',
  text: discordEscape,
  bold: (s) => `**${s}**`,
  italic: (s) => `*${s}*`,
  strike: (s) => `~~${s}~~`,
  code: (s) => `\`${s.replace(/`/g, 'ˋ')}\``,
  link: (url, label) => `[${label}](<${url}>)`,
  mention: (id) => (/^\d+$/.test(id) ? `<@${id}>` : `@${discordEscape(id)}`),
  heading: (s) => `**${s}**`,
  item: (s, marker, depth) => `${indent(depth)}${marker === '•' ? '-' : marker} ${s}`,
  quote: (s) => `> ${s}`,
  codeOpen: (lang) => `\`\`\`${lang ?? ''}`,
  codeLine: (s) => s.replace(/```/g, 'ˋˋˋ'),
  codeClose: '```',
}

/**
 * Markup characters of dialects that have no escape (Slack mrkdwn, WeCom, DingTalk) become look-alikes that the
 * renderer leaves alone; _ and ~ only where they could open or close a span (snake_case stays as it is).
 */
const LOOKALIKE: Record<string, string> = { '*': '∗', '`': 'ˋ', ']': '］', '_': '＿', '~': '∼', '<': '＜', '>': '＞', '|': '｜' }
export function lookalikes(s: string, chars: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (!chars.includes(c)) {
      out += c
      continue
    }
    const inWord = /[\p{L}\p{N}]/u.test(s[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(s[i + 1] ?? '')
    // Brackets make a link only as "[label](url)" or "[label][ref]": a "]" before "(" or "[" is the one to break.
    const keep = ((c === '_' || c === '~') && inWord) || c === '[' || (c === ']' && !/[([:]/.test(s[i + 1] ?? ''))
    out += keep ? c : LOOKALIKE[c]
  }
  // A zero-width space in front keeps a line from starting a heading, quote or list.
  return out.replace(/^(\s*)(#|>|[-+] |\d+[.)] )/, '$1\u200b$2')
}

/** Slack mrkdwn: &, < and > are entities; formatting characters have no escape, so they become look-alikes. */
const slackEscape = (s: string): string => lookalikes(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), '*_~`')
export const slack: Dialect = {
  name: 'slack',
  text: slackEscape,
  bold: (s) => `*${s}*`,
  italic: (s) => `_${s}_`,
  strike: (s) => `~${s}~`,
  code: (s) => `\`${slackEscape(s).replace(/`/g, 'ˋ')}\``,
  link: (url, label) => `<${url.replace(/[<>|]/g, encodeURIComponent)}|${label.replace(/\|/g, '¦')}>`,
  mention: (id, name) => (/^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : `@${slackEscape(name ?? id)}`),
  mentionAll: '<!channel>',
  heading: (s) => `*${s}*`,
  item: (s, marker, depth) => `${indent(depth)}${marker} ${s}`,
  quote: (s) => `> ${s}`,
  codeOpen: () => '```',
  codeLine: (s) => slackEscape(s).replace(/```/g, 'ˋˋˋ'),
  codeClose: '```',
}

/** Common markdown for DingTalk; its renderer needs two trailing spaces for a line break and honours no escapes. */
const mdEscape = (s: string): string => lookalikes(s, '*`[]_~<>|')
export const dingtalk: Dialect = {
  name: 'dingtalk',
  text: mdEscape,
  bold: (s) => `**${s}**`,
  italic: (s) => `*${s}*`,
  strike: (s) => `~~${s}~~`,
  code: (s) => `\`${s.replace(/`/g, 'ˋ')}\``,
  link: (url, label) => `[${label}](${url.replace(/\)/g, '%29')})`,
  mention: (id) => `@${id}`,
  heading: (s) => `#### ${s}`,
  item: (s, marker, depth) => `${indent(depth)}${marker === '•' ? '-' : marker} ${s}`,
  quote: (s) => `> ${s}`,
  codeOpen: () => '```',
  codeLine: (s) => s.replace(/```/g, 'ˋˋˋ'),
  codeClose: '```',
}

/** WeCom markdown: bold, links, inline code, quotes and headings; no italics nor escapes. */
export const wecom: Dialect = {
  name: 'wecom',
  text: (s) => lookalikes(s, '*`[]<>~'),
  bold: (s) => `**${s}**`,
  italic: (s) => s,
  strike: (s) => s,
  code: (s) => `\`${s.replace(/`/g, 'ˋ')}\``,
  link: (url, label) => `[${label}](${url.replace(/\)/g, '%29')})`,
  mention: (id) => `<@${id}>`,
  heading: (s) => `### ${s}`,
  item: (s, marker, depth) => `${indent(depth)}${marker === '•' ? '-' : marker} ${s}`,
  quote: (s) => `> ${s}`,
  codeOpen: () => '',
  codeLine: (s) => `\`${s.replace(/`/g, 'ˋ')}\``,
  codeClose: '',
}

/** HTML for e-mail. */
export const emailHtml: Dialect = {
  name: 'html',
  text: html,
  bold: (s) => `<strong>${s}</strong>`,
  italic: (s) => `<em>${s}</em>`,
  strike: (s) => `<del>${s}</del>`,
  code: (s) => `<code>${html(s)}</code>`,
  link: (url, label) => `<a href="${attr(url)}">${label}</a>`,
  mention: (id, name) => `@${html(name ?? id)}`,
  heading: (s) => `<h3 style="margin:0.4em 0">${s}</h3>`,
  item: (s, marker, depth) => `<div style="margin-left:${depth * 1.5 + 0.5}em">${html(marker)} ${s}</div>`,
  quote: (s) => `<blockquote style="margin:0 0 0 0.5em;padding-left:0.5em;border-left:3px solid #ccc">${s}</blockquote>`,
  codeOpen: () => '<pre style="background:#f4f4f4;padding:0.5em">',
  codeLine: html,
  codeClose: '</pre>',
}

export function renderInlines(d: Dialect, inlines: Inline[]): string {
  let s = ''
  for (const n of inlines) {
    switch (n.type) {
      case 'text':
        s += d.text(n.text)
        break
      case 'code':
        s += d.code(n.text)
        break
      case 'mention':
        s += n.all ? (d.mentionAll ?? '') : d.mention(n.id, n.name)
        break
      case 'link':
        s += d.link(n.url, renderInlines(d, n.children))
        break
      case 'bold':
        s += d.bold(renderInlines(d, n.children))
        break
      case 'italic':
        s += d.italic(renderInlines(d, n.children))
        break
      case 'strike':
        s += d.strike(renderInlines(d, n.children))
        break
    }
  }
  return s
}

/** One non-code line in the dialect (code blocks are laid out by the layout, which may split them). */
export function renderLine(d: Dialect, line: Exclude<Line, { kind: 'code' }>): string {
  switch (line.kind) {
    case 'blank':
      return ''
    case 'heading':
      return d.heading(renderInlines(d, line.inlines))
    case 'quote':
      return d.quote(renderInlines(d, line.inlines))
    case 'item':
      return d.item(renderInlines(d, line.inlines), line.marker, line.depth)
    case 'text':
      return renderInlines(d, line.inlines)
  }
}

/** What a line says without markup, for hard splits and plain-text fallbacks. */
export function lineText(line: Exclude<Line, { kind: 'code' }>): string {
  if (line.kind === 'blank') return ''
  const s = inlineText(line.inlines)
  return line.kind === 'item' ? `${'  '.repeat(line.depth)}${line.marker} ${s}` : s
}
