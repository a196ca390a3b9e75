// The one markdown-ish parser every adapter shares: lines of blocks (headings, items, quotes, code) with inline spans.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; url: string; children: Inline[] }
  | { type: 'mention'; id: string; name?: string; all?: boolean }

/** One line of a document; a fenced code block is one unit of several lines. */
export type Line =
  | { kind: 'text' | 'heading' | 'quote'; inlines: Inline[] }
  | { kind: 'item'; inlines: Inline[]; marker: string; depth: number }
  | { kind: 'code'; lines: string[]; lang?: string }
  | { kind: 'blank' }

const SAFE_URL = /^(https?:|mailto:|tg:)/i

export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url.trim())
}

/** Parses block structure line by line; unknown syntax stays text, so nothing a plugin writes is lost. */
export function parseMarkdown(source: string): Line[] {
  const out: Line[] = []
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/.exec(line)
    if (fence) {
      const code: string[] = []
      let j = i + 1
      while (j < lines.length && !lines[j].trim().startsWith(fence[1])) code.push(lines[j++])
      out.push({ kind: 'code', lines: code, lang: fence[2] || undefined })
      i = j
      continue
    }
    if (line.trim() === '') {
      out.push({ kind: 'blank' })
      continue
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading) {
      out.push({ kind: 'heading', inlines: parseInline(heading[1]) })
      continue
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(line)
    if (quote) {
      out.push({ kind: 'quote', inlines: parseInline(quote[1]) })
      continue
    }
    const item = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line)
    if (item) {
      const ordered = /\d/.test(item[2])
      out.push({ kind: 'item', inlines: parseInline(item[3]), marker: ordered ? item[2].replace(')', '.') : '•', depth: Math.min(4, Math.floor(item[1].replace(/\t/g, '  ').length / 2)) })
      continue
    }
    out.push({ kind: 'text', inlines: parseInline(line) })
  }
  return out
}

/** Plain text as lines, without interpreting any markup. */
export function plainLines(text: string): Line[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((t): Line => (t.trim() === '' ? { kind: 'blank' } : { kind: 'text', inlines: [{ type: 'text', text: t }] }))
}

const PUNCT = /[\\`*_{}[\]()#+\-.!~|>"'<=:;,?/@&$%^]/

/** Inline spans: **bold**, __bold__, *italic*, _italic_, ~~strike~~, `code`, [label](url), backslash escapes. */
export function parseInline(source: string): Inline[] {
  const out: Inline[] = []
  let text = ''
  const flush = (): void => {
    if (text) out.push({ type: 'text', text })
    text = ''
  }
  let i = 0
  while (i < source.length) {
    const c = source[i]
    if (c === '\\' && i + 1 < source.length && PUNCT.test(source[i + 1])) {
      text += source[i + 1]
      i += 2
      continue
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1)
      if (end > i + 1) {
        flush()
        out.push({ type: 'code', text: source.slice(i + 1, end) })
        i = end + 1
        continue
      }
    }
    if (c === '[') {
      const link = /^\[([^\]]+)\]\(\s*([^)\s]+)\s*\)/.exec(source.slice(i))
      if (link && isSafeUrl(link[2])) {
        flush()
        out.push({ type: 'link', url: link[2], children: parseInline(link[1]) })
        i += link[0].length
        continue
      }
    }
    const pair = source.startsWith('**', i) ? '**' : source.startsWith('__', i) ? '__' : source.startsWith('~~', i) ? '~~' : undefined
    if (pair) {
      const end = source.indexOf(pair, i + 2)
      if (end > i + 2 && source[i + 2] !== ' ') {
        flush()
        out.push({ type: pair === '~~' ? 'strike' : 'bold', children: parseInline(source.slice(i + 2, end)) })
        i = end + 2
        continue
      }
    }
    if (c === '*' || c === '_') {
      // snake_case and 2*3*4 stay text: an opening _ or * must not follow a letter or digit.
      const before = i > 0 ? source[i - 1] : ' '
      const end = findSingle(source, c, i + 1)
      if (end > i + 1 && source[i + 1] !== ' ' && !/[\p{L}\p{N}]/u.test(before)) {
        flush()
        out.push({ type: 'italic', children: parseInline(source.slice(i + 1, end)) })
        i = end + 1
        continue
      }
    }
    text += c
    i++
  }
  flush()
  return out
}

function findSingle(source: string, mark: string, from: number): number {
  for (let j = from; j < source.length; j++) {
    if (source[j] === '\\') {
      j++
      continue
    }
    if (source[j] !== mark) continue
    if (source[j + 1] === mark) {
      j++
      continue
    }
    const after = source[j + 1] ?? ' '
    if (source[j - 1] !== ' ' && !/[\p{L}\p{N}]/u.test(after)) return j
  }
  return -1
}

/** The text a reader sees, without markup. */
export function inlineText(inlines: Inline[]): string {
  let s = ''
  for (const n of inlines) {
    if (n.type === 'text' || n.type === 'code') s += n.text
    else if (n.type === 'mention') s += n.all ? '@all' : `@${n.name ?? n.id}`
    else if (n.type === 'link') {
      const label = inlineText(n.children)
      s += label === n.url ? n.url : `${label} (${n.url})`
    } else s += inlineText(n.children)
  }
  return s
}
