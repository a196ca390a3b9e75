// escapeMarkdown() makes payload text literal inside a plugin's markdown: it parses back to exactly the words, with no markup.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { escapeMarkdown } from '../../index.js'
import { parseMarkdown, type Line } from './markdown.js'

const CORPUS = ['[click me](https://evil.example)', '**bold** and *it* _u_ ~~s~~', '# heading', '> quote', '- item', '1. first', '`code`', '```', 'a\\b | c', '<@everyone> @all', 'snake_case 2*3 v1.2-rc!']

test('every string escaped with escapeMarkdown() reads back literally, as one plain text line', () => {
  for (const s of CORPUS) {
    const lines = parseMarkdown(`${escapeMarkdown(s)}`)
    assert.equal(lines.length, 1, s)
    const [line] = lines as Array<Extract<Line, { kind: 'text' | 'heading' | 'quote' }>>
    assert.equal(line.kind, 'text', s)
    assert.deepEqual(line.inlines, [{ type: 'text', text: s }], s)
  }
  // Next to the plugin's own markup the escaped part stays text and the markup still works.
  const [mixed] = parseMarkdown(`**${escapeMarkdown('[x](https://evil.example)')}**`) as Array<Extract<Line, { kind: 'text' | 'heading' | 'quote' }>>
  assert.deepEqual(mixed.inlines, [{ type: 'bold', children: [{ type: 'text', text: '[x](https://evil.example)' }] }])
})
