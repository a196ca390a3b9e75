// Talks to a running hookcat's admin API: finds its address and token, and turns every failure into a clear CliError.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { CliConfig } from './config.js'
import { CliError } from './errors.js'

const TIMEOUT_MS = 15_000

export interface AdminTarget {
  baseUrl: string
  token: string
}

/** The local address of the server this config describes (a wildcard listen address is reached on 127.0.0.1). */
export function localServerUrl(cli: CliConfig): string {
  const { host, port } = cli.config.server
  const reach = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`
}

/** The admin token: server.adminToken, else the one the server stored in <dataDir>/admin-token. */
export function findAdminToken(cli: CliConfig): string {
  if (cli.config.server.adminToken) return cli.config.server.adminToken
  const file = join(resolve(cli.baseDir, cli.config.dataDir), 'admin-token')
  if (!existsSync(file)) {
    throw new CliError(`no admin token: server.adminToken is not set and ${file} does not exist — has hookcat been started here? Start it with: hookcat serve`)
  }
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (error) {
    throw new CliError(`cannot read the admin token from ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
}

export function adminTarget(cli: CliConfig, serverUrl?: string): AdminTarget {
  return { baseUrl: (serverUrl ?? localServerUrl(cli)).replace(/\/$/, ''), token: findAdminToken(cli) }
}

/** Calls the admin API and returns the parsed JSON answer; any non-2xx answer becomes a CliError with the server's message. */
export async function adminRequest(target: AdminTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = `${target.baseUrl}/api/admin${path}`
  let res: Response
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (error) {
    throw new CliError(connectionProblem(error, target.baseUrl))
  }
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  if (res.ok) return parsed
  if (res.status === 401) {
    throw new CliError(`the server at ${target.baseUrl} refused the admin token (401): it was started with a different one — check server.adminToken or the admin-token file of its data directory`)
  }
  const problem = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error
  throw new CliError(problem?.message ? `${problem.message} (${problem.code ?? res.status})` : `the server answered ${res.status} ${res.statusText}`)
}

function connectionProblem(error: unknown, baseUrl: string): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const code = cause?.code ?? (error as { name?: string }).name
  if (code === 'ECONNREFUSED') return `hookcat is not running at ${baseUrl} (connection refused). Start it with: hookcat serve (or npm start), or pass --server <url>`
  if (code === 'TimeoutError') return `hookcat at ${baseUrl} did not answer within ${TIMEOUT_MS / 1000} s`
  return `cannot reach hookcat at ${baseUrl}: ${cause?.message ?? (error as Error).message}`
}
