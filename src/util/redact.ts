// What never leaves hookcat in clear: header names and config paths whose values are credentials.

const SECRET_HEADER = /authorization|cookie|signature|token|secret|api-?key|password|^x-hub-signature/i

/** True when a header's value must be masked before it is stored, logged or shown. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name)
}

export const REDACTED = '[redacted]'

/** A copy of the headers with credential values masked; names are kept so a reader sees what was sent. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined) continue
    out[name] = isSecretHeader(name) ? REDACTED : Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Replaces every occurrence of each secret in the text; a last line of defence for error text from outside. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED)
  }
  return out
}
