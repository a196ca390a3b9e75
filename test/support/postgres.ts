// PostgreSQL for tests: the server on 127.0.0.1:5432 (or HOOKCAT_TEST_POSTGRES), one fresh schema per use.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const PG_BASE_URL = process.env.HOOKCAT_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'

/** A storage URL whose schema no other test uses; drop it with dropSchema() when done. */
export function freshSchemaUrl(): { url: string; schema: string } {
  const schema = `hookcat_t_${randomBytes(6).toString('hex')}`
  const url = new URL(PG_BASE_URL)
  url.searchParams.set('schema', schema)
  return { url: url.toString(), schema }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_BASE_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}
