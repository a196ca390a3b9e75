// Benchmark configuration 2, Probot-style: Express with @octokit/webhooks' createNodeMiddleware and an on('push') handler; stores nothing.
import express from 'express'
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks'

const [port, secret] = process.argv.slice(2)
const webhooks = new Webhooks({ secret })
let pushes = 0
webhooks.on('push', ({ payload }) => {
  if (payload.commits.length > 0) pushes++
})
const app = express()
app.use(createNodeMiddleware(webhooks, { path: '/api/github/webhooks' }))
app.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'))
process.on('SIGTERM', () => process.exit(pushes >= 0 ? 0 : 1))
