// The deployment examples agree with each other and with hookcat: compose files, the systemd unit and the TLS proxies
// point at what the image and the config really use, and the config they mount loads with the variables they pass.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { loadConfig } from '../../src/config/load.js'
import { REPO } from '../../src/cli/test-fixtures/cli-process.js'
import { parseDockerfile } from './dockerfile.js'

const deploy = (name: string) => join(REPO, 'deploy', name)
const text = (name: string) => readFileSync(deploy(name), 'utf8')

interface Service {
  build?: { context: string; dockerfile: string }
  environment?: Record<string, string>
  volumes?: string[]
  ports?: string[]
}

function envRefs(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1])
}

const imageVolume = () => parseDockerfile(deploy('Dockerfile'))[1].steps.find((s) => s.op === 'VOLUME')!.args

for (const file of ['docker-compose.sqlite.yml', 'docker-compose.yml']) {
  test(`deploy/${file}: builds deploy/Dockerfile, mounts a config that loads with the variables it passes`, () => {
    const compose = parse(text(file)) as { services: Record<string, Service> }
    const service = compose.services.hookcat
    assert.ok(service.build, 'builds the image')
    assert.ok(existsSync(join(REPO, 'deploy', service.build.context, service.build.dockerfile)), 'the Dockerfile it names exists')
    const mount = service.volumes!.map((v) => v.split(':')).find(([, target]) => target === service.environment!.HOOKCAT_CONFIG)
    assert.ok(mount, 'the config file is mounted where HOOKCAT_CONFIG points')
    const configFile = join(REPO, 'deploy', mount[0])
    const given = Object.keys(service.environment!)
    for (const name of envRefs(configFile)) assert.ok(given.includes(name), `${name} (named in ${mount[0]}) is passed to the container`)
    const env = Object.fromEntries(given.map((k) => [k, k === 'HOOKCAT_STORAGE' ? 'postgres://u:p@db:5432/hookcat' : 'x'.repeat(24)]))
    const { config } = loadConfig({ file: configFile, env })
    assert.equal(config.server.trustProxy, true, 'behind a proxy, client addresses come from X-Forwarded-For')
    if (file === 'docker-compose.sqlite.yml') {
      assert.match(config.storage, /^sqlite:\.\/data\//, 'SQLite lives in the data folder')
      assert.ok(service.volumes!.some((v) => `["${v.split(':')[1]}"]` === imageVolume()), 'the data volume is the image\'s VOLUME')
      assert.deepEqual(service.ports, [`${config.server.port}:${config.server.port}`])
    }
  })
}

test('deploy/hookcat.service runs the built CLI as a non-root user and may write only its data folder', () => {
  const unit = text('hookcat.service')
  const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1]
  assert.match(value('ExecStart') ?? '', /^\/usr\/bin\/node \/opt\/hookcat\/dist\/cli\/main\.js serve$/)
  assert.ok(value('User') && value('User') !== 'root')
  assert.equal(value('WorkingDirectory'), '/opt/hookcat')
  assert.equal(value('ReadWritePaths'), '/opt/hookcat/data', 'the default dataDir (./data) under WorkingDirectory')
  assert.equal(value('KillSignal'), 'SIGTERM')
})

test('the TLS proxy examples forward to the port hookcat listens on and pass the client address', () => {
  const { config } = loadConfig({ file: deploy('hookcat.yaml'), env: { HOOKCAT_ADMIN_TOKEN: 'x'.repeat(24), GITHUB_WEBHOOK_SECRET: 'x'.repeat(24) } })
  const upstream = `127.0.0.1:${config.server.port}`
  const nginx = text('nginx-tls.conf')
  assert.match(nginx, new RegExp(`proxy_pass http://${upstream.replace(/\./g, '\\.')};`))
  assert.match(nginx, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/)
  assert.match(nginx, /listen 443 ssl;/)
  assert.match(nginx, /client_max_body_size 25m;/)
  const caddy = text('Caddyfile')
  assert.match(caddy, new RegExp(`reverse_proxy ${upstream.replace(/\./g, '\\.')}`))
  assert.match(caddy, /max_size 25MB/)
})
