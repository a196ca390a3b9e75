// The page's long-running job, durable: POST /long-process starts it, GET /long-process/<task_id> reports on it.
import { definePlugin, reply, verify, z, type WebhookRequest } from '../../index.js'
import { rotatingSecret } from '../shared/secret-field.js'
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
    token: rotatingSecret().optional().describe('Authorization: Bearer <token> required on both endpoints'),
    public: z.boolean().default(false).describe('Accept requests without a token when none is set (otherwise they get 503 "secret not set")'),
    maxAttempts: z.number().int().min(1).max(10).default(3).describe('Runs of a job in all, a run cut off by a restart included'),
  }),
  setup(plugin) {
    plugin.tasks.define<JobParams>(KIND, runJob, { policy: 'retry', maxAttempts: plugin.config.maxAttempts })
    // Closed like every other built-in: a token, or public: true said in so many words.
    const options = { verify: verify.bearer('token'), public: plugin.config.public }

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
