// The page's status endpoint: GET reports status, version and uptime; POST switches maintenance mode (admin token).
import { definePlugin, reply, verify } from '../../index.js'

const STATE_KEY = 'maintenance'

export default definePlugin({
  name: 'status',
  version: '1.0.0',
  description: 'GET: status, version and uptime. POST {"status":"maintenance"|"running"} with the admin token: maintenance mode on or off.',
  setup(plugin) {
    plugin.onInit(async () => {
      // Maintenance survives a restart: it is kept in the plugin's store.
      if ((await plugin.store.get<boolean>(STATE_KEY)) === true) plugin.host.setMaintenance(true)
    })

    plugin.mountWebhook(
      '/status',
      async (req) => {
        if (req.method === 'GET' || req.method === 'HEAD') {
          return {
            status: plugin.host.maintenance ? 'maintenance' : 'running',
            version: plugin.host.version,
            uptime: Math.floor((Date.now() - plugin.host.startedAt) / 1000),
          }
        }
        const body = await req.json<{ status?: unknown }>()
        const wanted = body && typeof body === 'object' ? body.status : undefined
        if (wanted !== 'maintenance' && wanted !== 'running') {
          return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'status must be "maintenance" or "running"' } })
        }
        const on = wanted === 'maintenance'
        await plugin.store.set(STATE_KEY, on)
        plugin.host.setMaintenance(on)
        return { status: wanted, message: on ? 'Maintenance mode is on: messages are held' : 'Maintenance mode is off: held messages are being sent' }
      },
      {
        methods: ['GET', 'POST'],
        verify: verify.when(['POST'], verify.admin()),
        public: true,
        description: 'GET status (public); POST maintenance on/off (Authorization: Bearer <admin token>)',
      },
    )
  },
})
