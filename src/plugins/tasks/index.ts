// The page's long-running job, durable: POST /long-process starts it, GET /long-process/<task_id> reports on it.
import { definePlugin, reply, secret, verify, z, type WebhookRequest } from '../../index.js'
import { parseJobParams, runJob, type JobParams } from './job.js'

const KIND = 'long-process'

async function readParams(req: WebhookRequest) {
  // An empty body starts the job with its defaults.
  if (req.raw.length === 0) return parseJobParams(undefined)
  return parseJobParams(await req.json())
}

export default definePlugin({
  name: 'tasks',
  version: '1.0.0',
  description: 'POST /long-process starts a durable background job; GET /long-process/<task_id> returns its status, progress, result or error.',
  config: z.object({
    token: secret(z.string()).optional().describe('When set, both endpoints require Authorization: Bearer <token>'),
    maxAttempts: z.number().int().min(1).max(10).default(3).describe('Runs of a job in all, a run cut off by a restart included'),
  }),
  setup(plugin) {
    plugin.tasks.define<JobParams>(KIND, runJob, { policy: 'retry', maxAttempts: plugin.config.maxAttempts })
    // Public unless a token is set: the ids are unguessable, and starting a job is bounded in time and size.
    const options = { verify: verify.bearer('token'), public: true }

    plugin.mountWebhook(
      '/long-process',
      async (req) => {
        const params = await readParams(req)
        const { id, status } = await plugin.tasks.start(KIND, params)
        return reply(202, { task_id: id, status }, { location: plugin.host.webhookUrl(`/long-process/${id}`) })
      },
      { ...options, methods: ['POST'], description: 'Start the job: {"steps": 1-1000, "stepMs": 0-10000, "input": any JSON}' },
    )

    plugin.mountWebhook(
      '/long-process/:taskId',
      async (req) => {
        const task = await plugin.tasks.get(req.params.taskId ?? '')
        if (!task || task.kind !== KIND) return reply(404, { error: { code: 'NOT_FOUND', message: 'No task with that id' } })
        return {
          task_id: task.id,
          status: task.status,
          progress: task.progress,
          message: task.message,
          attempts: task.attempts,
          ...(task.result === null ? {} : { result: task.result }),
          ...(task.error === null ? {} : { error: task.error }),
          created_at: new Date(task.createdAt).toISOString(),
          ...(task.finishedAt === null ? {} : { finished_at: new Date(task.finishedAt).toISOString() }),
        }
      },
      { ...options, methods: ['GET'], description: "The job's status, progress, result or error" },
    )
  },
})
