// Fake SMTP server (smtp-server) on 127.0.0.1: takes mail with optional auth, parses it, can refuse or drop on demand.
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
  parsed: ParsedMail
}

export class FakeSmtp {
  readonly mails: ReceivedMail[] = []
  /** Answers for the next messages: a code (e.g. 451 or 550) refuses the data with it. */
  refuse: number[] = []
  private server: SMTPServer
  port = 0

  constructor(readonly auth?: { user: string; pass: string }) {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', ...(auth ? [] : ['AUTH'])],
      authOptional: !auth,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (a, _session, cb) => (auth && a.username === auth.user && a.password === auth.pass ? cb(null, { user: a.username }) : cb(new Error('Invalid username or password'))),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          const code = this.refuse.shift()
          if (code) {
            const error = Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code })
            return cb(error)
          }
          const raw = Buffer.concat(chunks).toString('utf8')
          void simpleParser(raw).then((parsed) => {
            this.mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, parsed })
            cb()
          }, cb)
        })
      },
    })
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()))
    this.port = (this.server.server.address() as AddressInfo).port
    return this.port
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
