// The shell commands of docs/getting-started.md run as written (the zh-CN translation's are checked to be the same commands).
import { test } from 'node:test'
import { runGuide } from './run-guide.js'

// Several cold starts of the CLI and a plugin test: slower than most tests on a busy machine.
test('the commands of docs/getting-started.md run', { timeout: 300_000 }, () => runGuide('docs/getting-started.md'))
