// The shell commands of docs/adapters.md run as written (the zh-CN translation's are checked to be the same commands).
import { test } from 'node:test'
import { runGuide } from './run-guide.js'

test('the commands of docs/adapters.md run', () => runGuide('docs/adapters.md'))
