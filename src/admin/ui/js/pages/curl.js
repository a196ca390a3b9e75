// A ready-to-run curl example for a webhook, signed the way its verification expects.
function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

export function curlExample(webhook) {
  const method = webhook.methods.includes('POST') ? 'POST' : webhook.methods[0] ?? 'POST'
  const url = shellQuote(webhook.url)
  if (method === 'GET' || method === 'HEAD') return `curl -i ${url}`
  const verify = webhook.verify.join(' ')
  const lines = [`body='{"hello":"hookcat"}'`]
  const headers = [`-H 'content-type: application/json'`]
  if (/^GitHub/.test(verify)) {
    lines.push('secret=...   # the webhookSecret you configured')
    headers.push(`-H 'x-github-event: ping'`, `-H "x-github-delivery: $(date +%s%N)"`, `-H "x-hub-signature-256: sha256=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"`)
  } else if (/^Gitea/.test(verify)) {
    lines.push('secret=...   # the webhookSecret you configured')
    headers.push(`-H "x-gitea-signature: $(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"`)
  } else if (/X-Gitlab-Token/.test(verify)) {
    lines.push('token=...   # the token you configured')
    headers.push(`-H "x-gitlab-token: $token"`, `-H 'x-gitlab-event: Push Hook'`)
  } else if (/Bearer <token>/.test(verify)) {
    lines.push('token=...   # the token you configured')
    headers.push(`-H "authorization: Bearer $token"`)
  } else if (verify) {
    lines.push(`# signed as: ${verify}`)
  }
  lines.push(`curl -i -X ${method} ${url} \\\n  ${headers.join(' \\\n  ')} \\\n  --data-binary "$body"`)
  return lines.join('\n')
}
