// The signatures chat platforms ask for, exactly as documented (Feishu and DingTalk differ: see platforms.md).
import { createHmac } from 'node:crypto'

/** Feishu/Lark custom bot: base64(HMAC-SHA256(key = "{timestamp}\n{secret}", message = empty)); timestamp in seconds. */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64')
}

/** DingTalk robot: urlencode(base64(HMAC-SHA256(key = secret, message = "{timestamp}\n{secret}"))); timestamp in ms. */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64'))
}

/** hookcat's http adapter: hex HMAC-SHA256(secret, "{timestamp}.{body}"); timestamp in seconds. */
export function hookcatSign(timestampSeconds: number, body: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')
}
