// The `people` map of hookcat.yaml: who is who on the forges and in e-mail, and their ids on each adapter instance.
import { z } from 'zod'

/** Keys of a person that are identities (looked up from events), not adapter instance names. */
export const IDENTITY_KEYS = ['name', 'github', 'gitlab', 'gitea', 'email'] as const

const PERSON_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/
const ID = /^[^\s]{1,128}$/

const logins = z.union([z.string().min(1).max(128), z.array(z.string().min(1).max(128)).min(1).max(20)])
const platformId = z.union([
  z.string().regex(ID, 'must be a platform user id without spaces'),
  z.number().int().nonnegative().transform(String),
  z
    .object({
      id: z.union([z.string().regex(ID), z.number().int().nonnegative().transform(String)]).optional(),
      userId: z.string().regex(ID).optional(),
      mobile: z.union([z.string().regex(/^\+?\d{6,15}$/, 'must be a mobile number'), z.number().int().positive().transform(String)]).optional(),
    })
    .strict()
    .refine((v) => v.id !== undefined || v.userId !== undefined || v.mobile !== undefined, 'needs an id, userId or mobile'),
])

const personSchema = z
  .object({
    name: z.string().min(1).max(64).optional().describe('Name shown where the person has no id on a platform'),
    github: logins.optional(),
    gitlab: logins.optional(),
    gitea: logins.optional(),
    email: z.union([z.email(), z.array(z.email()).min(1).max(10)]).optional(),
  })
  // Every other key is an adapter instance name with the person's id there.
  .catchall(platformId)

export const peopleSchema = z
  .record(z.string().regex(PERSON_NAME, 'person and group names are letters, digits, ".", "_" and "-"'), z.union([personSchema, z.array(z.string().regex(PERSON_NAME)).min(1).max(200)]))
  .default({})
  .describe('Person → identities (github/gitlab/gitea logins, email) and ids per adapter instance; a list is a group of people')

export type People = z.output<typeof peopleSchema>
export type Person = z.output<typeof personSchema>
export type PlatformId = z.output<typeof platformId>

/**
 * Problems a people map has against the adapter instances configured (unknown instances, groups of unknown people),
 * and names in a plugin's `mention: { <severity>: [names] }` that are not in it.
 */
export function checkPeople(people: People, adapters: string[], ctx: z.RefinementCtx, plugins: Record<string, { config: Record<string, unknown> }> = {}): void {
  for (const [plugin, entry] of Object.entries(plugins)) {
    const mention = entry.config.mention
    if (!mention || typeof mention !== 'object' || Array.isArray(mention)) continue
    for (const [severity, names] of Object.entries(mention)) {
      if (!Array.isArray(names)) continue
      names.forEach((name, i) => {
        if (typeof name === 'string' && people[name] === undefined) ctx.addIssue({ code: 'custom', path: ['plugins', plugin, 'config', 'mention', severity, i], message: `"${name}" is not a person or group in people` })
      })
    }
  }
  const known = new Set([...adapters, 'console', 'web'])
  for (const [name, entry] of Object.entries(people)) {
    if (Array.isArray(entry)) {
      entry.forEach((member, i) => {
        const target = people[member]
        if (target === undefined) ctx.addIssue({ code: 'custom', path: ['people', name, i], message: `"${member}" is not a person in people` })
        else if (Array.isArray(target)) ctx.addIssue({ code: 'custom', path: ['people', name, i], message: `"${member}" is a group; a group lists people only` })
      })
      continue
    }
    for (const key of Object.keys(entry)) {
      if ((IDENTITY_KEYS as readonly string[]).includes(key) || known.has(key)) continue
      ctx.addIssue({ code: 'custom', path: ['people', name, key], message: `no adapter instance is named "${key}" (identities: ${IDENTITY_KEYS.join(', ')}; adapters: ${[...known].join(', ')})` })
    }
  }
}
