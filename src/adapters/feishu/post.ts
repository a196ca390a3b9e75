// Feishu/Lark "post" rich text: a message as paragraphs of segments (text with styles, links, @mentions).
import type { Inline } from '../render/markdown.js'
import type { Target } from '../render/layout.js'

export type FeishuSegment =
  | { tag: 'text'; text: string; style?: string[] }
  | { tag: 'a'; text: string; href: string; style?: string[] }
  | { tag: 'at'; user_id: string; user_name?: string }

export type FeishuParagraph = FeishuSegment[]

function segments(inlines: Inline[], style: string[], out: FeishuSegment[]): FeishuSegment[] {
  const styled = <T extends FeishuSegment>(s: T): T => (style.length && s.tag !== 'at' ? { ...s, style: [...style] } : s)
  for (const n of inlines) {
    if (n.type === 'text' || n.type === 'code') out.push(styled({ tag: 'text', text: n.text }))
    else if (n.type === 'mention') out.push(n.all ? { tag: 'at', user_id: 'all' } : { tag: 'at', user_id: n.id, ...(n.name ? { user_name: n.name } : {}) })
    else if (n.type === 'link') {
      const label: FeishuSegment[] = []
      segments(n.children, style, label)
      out.push(styled({ tag: 'a', href: n.url, text: label.map((l) => ('text' in l ? l.text : '')).join('') || n.url }))
    } else {
      const add = n.type === 'bold' ? 'bold' : n.type === 'italic' ? 'italic' : 'lineThrough'
      segments(n.children, style.includes(add) ? style : [...style, add], out)
    }
  }
  return out
}

const text = (t: string, style?: string[]): FeishuSegment => (style ? { tag: 'text', text: t, style } : { tag: 'text', text: t })

/** Paragraphs measured as the UTF-8 bytes of their JSON, since Feishu limits the request body. */
export const feishuTarget: Target<FeishuParagraph> = {
  line(line) {
    switch (line.kind) {
      case 'blank':
        return [text('')]
      case 'heading':
        return segments(line.inlines, ['bold'], [])
      case 'quote':
        return segments(line.inlines, [], [text('┃ ')])
      case 'item':
        return segments(line.inlines, [], [text(`${'  '.repeat(line.depth)}${line.marker} `)])
      case 'text':
        return segments(line.inlines, [], [])
    }
  },
  plain: (t) => [text(t)],
  codeOpen: () => undefined,
  codeLine: (t) => [text(t)],
  codeClose: () => undefined,
  measure: (p) => Buffer.byteLength(JSON.stringify(p)),
  separator: 1,
}
