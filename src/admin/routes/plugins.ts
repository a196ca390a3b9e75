// Admin routes for plugins: list, detail, enable, disable, reload, and config read, override and revert.
import { z } from 'zod'
import type { AdminApp } from '../app.js'
import { configView, revertConfig, saveConfig } from '../plugin-config.js'
import { jsonBody } from '../validate.js'
import { pluginView } from '../views.js'

const revertBody = z.object({ fields: z.array(z.string().min(1).max(200)).max(100).default([]) }, { error: 'the body must be {"fields": ["a", "b.c"]} or {}' })

const configBody = z.object({ config: z.record(z.string(), z.unknown(), { error: 'must be an object' }) }, { error: 'the body must be {"config": {…}}' })

export function pluginRoutes(app: AdminApp): void {
  app.get('/plugins', (c) => {
    const host = c.var.host
    return c.json({ plugins: host.registry.list().map((info) => pluginView(host, info)), loadProblems: host.loadProblems })
  })

  app.get('/plugins/:name', (c) => {
    const host = c.var.host
    return c.json(pluginView(host, host.registry.info(host.registry.get(c.req.param('name')))))
  })

  for (const action of ['enable', 'disable', 'reload'] as const) {
    app.post(`/plugins/:name/${action}`, async (c) => {
      const host = c.var.host
      const info = await host.registry[action](c.req.param('name'))
      return c.json(pluginView(host, info))
    })
  }

  app.get('/plugins/:name/config', async (c) => c.json(await configView(c.var.host, c.req.param('name'))))

  app.put('/plugins/:name/config', async (c) => {
    const name = c.req.param('name')
    c.var.host.registry.get(name)
    const { config } = await jsonBody(c, configBody)
    return c.json(await saveConfig(c.var.host, name, config))
  })

  app.post('/plugins/:name/config/revert', async (c) => {
    const name = c.req.param('name')
    c.var.host.registry.get(name)
    const text = await c.req.text()
    const { fields } = text.trim() === '' ? { fields: [] } : await jsonBody(c, revertBody)
    return c.json(await revertConfig(c.var.host, name, fields))
  })
}
