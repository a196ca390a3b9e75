// POST /plugins/:name/preview: what each platform would receive for a bundled sample (or a given body) under a config being edited.
import { z } from 'zod'
import type { AdminApp } from '../app.js'
import { previewPlatforms } from '../preview-platforms.js'
import { jsonBody } from '../validate.js'
import { loadPreviewSample, previewMessage, previewSamples } from '../../plugins/preview.js'

const previewBody = z
  .object({
    event: z.string().regex(/^[a-z0-9_.-]{1,100}$/, 'a sample name such as "push" or "workflow_run.failure"'),
    body: z.unknown().optional().describe('A payload of your own instead of the bundled sample'),
    config: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
    adapter: z.union([z.string().max(40), z.array(z.string().max(40)).max(20)]).optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
    route: z.number().int().min(0).max(499).optional(),
  })
  .strict()

/** A secret as the config page shows it ({secret, set}) says nothing about the message: the saved value is used. */
const shownSecret = (value: unknown) => !!value && typeof value === 'object' && (value as { secret?: unknown }).secret === true

export function previewRoutes(app: AdminApp): void {
  app.get('/plugins/:name/samples', (c) => {
    const name = c.req.param('name')
    c.var.host.registry.get(name)
    return c.json({ samples: previewSamples(name) })
  })

  app.post('/plugins/:name/preview', async (c) => {
    const host = c.var.host
    const name = c.req.param('name')
    host.registry.get(name)
    const input = await jsonBody(c, previewBody)
    const edited = Object.fromEntries(Object.entries(input.config ?? {}).filter(([, v]) => !shownSecret(v) && v !== null))
    const config = { ...host.registry.settings(name).config, ...edited }
    const body = input.body === undefined ? loadPreviewSample(name, input.event) : input.body
    const { message, template } = await previewMessage({ plugin: name, sample: input.event, body, config, route: input.route, locale: input.locale, now: Date.now() })
    const adapters = input.adapter === undefined ? undefined : Array.isArray(input.adapter) ? input.adapter : [input.adapter]
    return c.json({ event: input.event, template: template ?? null, message: message ?? null, platforms: message ? previewPlatforms(message, adapters) : [] })
  })
}
