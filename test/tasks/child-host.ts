// Runs a host with the built-ins in a child process, so that a test can SIGKILL it in the middle of a task.
import { createTestHost } from '../../src/testing/index.js'
import { failPlugin } from './fail-plugin.js'

const dir = process.argv[2]
if (!dir) throw new Error('usage: child-host.ts <dir>')
const t = await createTestHost({ dir, builtins: true, plugins: [failPlugin], config: { plugins: { tasks: { config: { public: true } } } } })
process.stdout.write(`${JSON.stringify({ url: t.url })}\n`)
// Lives until killed; a bound on time all the same, so that a lost child cannot outlive the test run.
setTimeout(() => process.exit(3), 120_000)
