// The admin API client: the token lives in sessionStorage only, SSE goes through one-minute tickets, never the token.
const KEY = 'hookcat.adminToken'

export const session = {
  token: () => sessionStorage.getItem(KEY),
  signIn: (token) => sessionStorage.setItem(KEY, token),
  signOut: () => sessionStorage.removeItem(KEY),
}

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `HTTP ${status}`)
    this.status = status
    this.code = error?.code
    this.details = error?.details
  }
}

/** Called when the API answers 401: the token is wrong or was changed. */
let onUnauthorized = () => undefined
export function whenUnauthorized(fn) {
  onUnauthorized = fn
}

export async function api(path, { method = 'GET', body, token = session.token() } = {}) {
  const headers = { authorization: `Bearer ${token}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`/api/admin${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const data = await res.json().catch(() => null)
  // A sign-in attempt handles its own 401; a stored token that stopped working ends the session.
  if (res.status === 401 && token === session.token()) onUnauthorized()
  if (!res.ok) throw new ApiError(res.status, data?.error)
  return data
}

const MAX_RECONNECTS = 500

/**
 * Follows an SSE route: gets a ticket, opens an EventSource, and when it drops, reconnects with a fresh ticket,
 * resuming after the last id seen. handlers: { [eventName]: (data, id) => void }. Returns a function that stops it.
 */
export function follow(path, handlers, { resume = false } = {}) {
  let source
  let stopped = false
  let lastId
  let tries = 0
  let timer
  const open = async () => {
    if (stopped || tries++ > MAX_RECONNECTS) return
    let ticket
    try {
      ticket = (await api('/tickets', { method: 'POST', body: { stream: path } })).ticket
    } catch {
      timer = setTimeout(open, 3000)
      return
    }
    if (stopped) return
    const params = new URLSearchParams({ ticket })
    if (resume && lastId) params.set('after', lastId)
    source = new EventSource(`/api/admin${path}?${params}`)
    source.onopen = () => {
      tries = 0
      handlers.open?.()
    }
    for (const [name, handler] of Object.entries(handlers)) {
      if (name === 'open') continue
      source.addEventListener(name, (event) => {
        if (event.lastEventId) lastId = event.lastEventId
        handler(JSON.parse(event.data), event.lastEventId)
      })
    }
    source.onerror = () => {
      source.close()
      if (!stopped) timer = setTimeout(open, 2000)
    }
  }
  void open()
  return () => {
    stopped = true
    clearTimeout(timer)
    source?.close()
  }
}
