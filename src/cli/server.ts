// Starts the full server for `hookcat serve`: the host with the admin API and web UI mounted, start-up errors made readable.
import { mountAdmin } from '../admin/index.js'
import type { Host } from '../host/host.js'
import type { CliConfig } from './config.js'
import { CliError } from './errors.js'
import { createCliHost } from './host.js'

export async function startServer(cli: CliConfig): Promise<Host> {
  const host = createCliHost(cli)
  mountAdmin(host)
  try {
    await host.start()
  } catch (error) {
    await host.stop().catch(() => undefined)
    const code = (error as NodeJS.ErrnoException).code
    const { host: address, port } = cli.config.server
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} on ${address} is already in use (is hookcat already running?) — choose another with --port or server.port`)
    if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${port} — choose one above 1023 with --port or server.port`)
    throw error
  }
  return host
}
