// The one catalogue of hookcat's stable error codes: each code has its HTTP status and a default message.

export const ERRORS = {
  PLUGIN_NOT_FOUND: { status: 404, message: 'No plugin with that name is loaded' },
  PLUGIN_DISABLED: { status: 404, message: 'This plugin is disabled' },
  WEBHOOK_NOT_FOUND: { status: 404, message: 'The plugin has no webhook at this path' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This webhook does not accept that method' },
  BAD_PATH: { status: 400, message: 'The request path is malformed' },
  URI_TOO_LONG: { status: 414, message: 'The request path is too long' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than this webhook accepts' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  INVALID_FORM: { status: 400, message: 'The request body is not a valid form' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This webhook does not accept that content type' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request body did not arrive in time' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too many or too large' },
  BAD_REQUEST: { status: 400, message: 'The request is invalid' },
  DELIVERY_ID_TOO_LONG: { status: 400, message: 'The delivery id is longer than 256 characters' },
  VALIDATION_FAILED: { status: 400, message: 'The input failed validation' },
  UNAUTHORIZED: { status: 401, message: 'Missing or invalid credentials' },
  SIGNATURE_MALFORMED: { status: 400, message: 'The signature header is malformed' },
  SIGNATURE_INVALID: { status: 401, message: 'The signature does not match the body' },
  TIMESTAMP_OUT_OF_TOLERANCE: { status: 401, message: 'The request timestamp is outside the allowed window' },
  SECRET_NOT_CONFIGURED: { status: 503, message: 'The webhook secret is not configured' },
  FORBIDDEN: { status: 403, message: 'Forbidden' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  OVERLOADED: { status: 503, message: 'hookcat is at capacity; retry later' },
  UNVERIFIED_BODIES_OVER_BUDGET: { status: 503, message: 'Too many unverified request bodies are being received; retry later' },
  DELIVERY_IN_PROGRESS: { status: 409, message: 'A delivery with this id is being processed' },
  INVALID_CHAT_KEY: { status: 400, message: 'The chat_key is malformed or names no configured adapter' },
  HANDLER_ERROR: { status: 500, message: 'The webhook handler failed' },
  HANDLER_TIMEOUT: { status: 504, message: 'The webhook handler did not finish in time' },
  STORAGE_UNAVAILABLE: { status: 503, message: 'Storage is not reachable' },
  INSUFFICIENT_STORAGE: { status: 507, message: 'The upload quota is full' },
  SHUTTING_DOWN: { status: 503, message: 'hookcat is shutting down' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state' },
  CONFIG_INVALID: { status: 400, message: 'The configuration is invalid' },
  PLUGIN_LOAD_FAILED: { status: 503, message: 'The plugin failed to load; see the server log' },
  TASK_QUEUE_FULL: { status: 503, message: "This plugin's task queue is full; retry later" },
  INTERNAL: { status: 500, message: 'Internal error' },
  // Internal failures, matched by code between host parts (never shown to clients as such).
  LEASE_LOST: { status: 409, message: 'Another process took this work over' },
  STORAGE_CLOSED: { status: 503, message: 'Storage is closed' },
  PEER_NOT_CONNECTED: { status: 503, message: 'The platform connects to hookcat and has not connected yet' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERRORS

/** An error with a stable code; its message is safe to show to a client (never put a secret in it). */
export class HookcatError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details?: unknown
  readonly headers?: Record<string, string>

  constructor(
    code: ErrorCode,
    message?: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown; status?: number } = {},
  ) {
    super(message ?? ERRORS[code].message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'HookcatError'
    this.code = code
    this.status = options.status ?? ERRORS[code].status
    this.details = options.details
    this.headers = options.headers
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) },
    }
  }
}

/** Structural check, so that errors from another copy of hookcat (a plugin's own install) are recognised too. */
export function isHookcatError(value: unknown): value is HookcatError {
  if (value instanceof HookcatError) return true
  const v = value as { name?: unknown; code?: unknown; status?: unknown } | null
  return !!v && v.name === 'HookcatError' && typeof v.code === 'string' && v.code in ERRORS && typeof v.status === 'number'
}

/** The catalogue code an error carries (a HookcatError, or a storage error that names one), if any. */
export function errorCode(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code in ERRORS ? (code as ErrorCode) : undefined
}

/** The JSON body of an error answer; unknown errors become INTERNAL without their message or stack. */
export function errorBody(error: unknown): { status: number; body: string; headers?: Record<string, string> } {
  if (!isHookcatError(error)) return { status: 500, body: JSON.stringify(new HookcatError('INTERNAL').toJSON()) }
  const body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } }
  return { status: error.status, body: JSON.stringify(body), headers: error.headers }
}
