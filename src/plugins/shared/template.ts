// Operator templates for the built-in plugins: liquid strings that make (or reshape) the Message, checked when the config loads.
import type { Template } from 'liquidjs'
import { LEVEL_ICONS, z, type Message, type MessageField } from '../../index.js'
import { httpUrl, oneLine } from './format.js'
import { liquid, TEMPLATE_LIMITS } from './liquid.js'

/** The pieces of a Message a template may make; the ones it leaves out keep the built-in value. */
export const TEMPLATE_PARTS = ['title', 'text', 'fields', 'link', 'level', 'icon', 'source'] as const
export type TemplatePart = (typeof TEMPLATE_PARTS)[number]
/** A template: one liquid string for the body text, or a mapping of parts to liquid strings. */
export type TemplateSpec = string | Partial<Record<TemplatePart, string>>

/** Names every template sees: the event, the parsed payload, the built-in rendering, the language. */
export const COMMON_VARIABLES = ['event', 'payload', 'default', 'locale'] as const
/** The built-in rendering as the template sees it (`default.fields` is a list of {name, value}; `default.link` a URL). */
const DEFAULT_KEYS = new Set(['title', 'text', 'fields', 'link', 'level', 'icon', 'source'])
const LEVELS = Object.keys(LEVEL_ICONS) as Array<NonNullable<Message['level']>>
const MAX_TITLE = 200

const liquidText = z.string().max(TEMPLATE_LIMITS.parse)

/** Why a liquid string cannot be used: it does not parse, or it reads a name the plugin does not give. */
export function templateProblem(source: string, variables: readonly string[]): string | undefined {
  let parsed: Template[]
  try {
    parsed = liquid.parse(source)
  } catch (error) {
    return `the template does not parse: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`
  }
  const known = new Set<string>([...COMMON_VARIABLES, ...variables])
  for (const segments of liquid.globalVariableSegmentsSync(parsed)) {
    const [root, second] = segments.map(String)
    if (!known.has(root!)) return `unknown variable "${root}" (known: ${[...known].join(', ')})`
    if (root === 'default' && second !== undefined && !DEFAULT_KEYS.has(second)) return `unknown variable "default.${second}" (known: ${[...DEFAULT_KEYS].map((k) => `default.${k}`).join(', ')})`
  }
  return undefined
}

/**
 * The `template` config key of a plugin (or of one of its routes): a string (the body) or a mapping of parts; each
 * liquid string is parsed and scanned when the config loads, so a mistake names its path and the plugin does not start.
 */
export function templateField(variables: readonly string[]) {
  const check = (value: string, ctx: z.RefinementCtx, path: Array<string | number>) => {
    const problem = templateProblem(value, variables)
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path })
  }
  return z
    .union([liquidText.min(1), z.object(Object.fromEntries(TEMPLATE_PARTS.map((p) => [p, liquidText.optional()])) as Record<TemplatePart, z.ZodOptional<typeof liquidText>>).strict()])
    .superRefine((value, ctx) => {
      if (typeof value === 'string') return check(value, ctx, [])
      for (const part of TEMPLATE_PARTS) if (value[part] !== undefined) check(value[part]!, ctx, [part])
    })
    .optional()
    .describe('Your own message format: a liquid string for the body, or { title, text, fields, link, level, icon, source } of liquid strings (see docs/configuration.md#templates-your-own-message-format)')
}

export interface CompiledTemplate {
  parts: Partial<Record<TemplatePart, Template[]>>
}

/** Parses a checked template once, at setup. */
export function compileMessageTemplate(spec: TemplateSpec): CompiledTemplate {
  const sources: Partial<Record<TemplatePart, string>> = typeof spec === 'string' ? { text: spec } : spec
  const parts: CompiledTemplate['parts'] = {}
  for (const part of TEMPLATE_PARTS) if (sources[part] !== undefined) parts[part] = liquid.parse(sources[part]!)
  return { parts }
}

/** The built-in message as the template's `default`: plain values only, so that every name reads as text. */
export function defaultView(message: Message): Record<string, unknown> {
  return {
    title: message.title ?? '',
    text: message.text,
    fields: (message.fields ?? []).map((f) => ({ name: f.name, value: f.value })),
    link: message.link?.url ?? '',
    level: message.level ?? '',
    icon: message.icon ?? '',
    source: message.source ?? '',
  }
}

/** "name: value" lines (or "name：value") as fields; lines without a separator are left out. */
function fieldLines(text: string): MessageField[] {
  const out: MessageField[] = []
  for (const line of text.split(/\r?\n/)) {
    const m = /^([^:：]{1,80})[:：]\s*(.+)$/.exec(line.trim())
    if (m && m[2]!.trim() !== '') out.push({ name: m[1]!.trim(), value: oneLine(m[2], 200), inline: true })
  }
  return out.slice(0, 25)
}

/**
 * The message a template makes from the scope, or undefined when it says "not this one" (title and text both render
 * empty). Template output is payload text: it only ever becomes title, text and field values, which adapters escape.
 */
export async function applyTemplate(template: CompiledTemplate, scope: Record<string, unknown>, built: Message): Promise<Message | undefined> {
  const data = { ...scope, default: defaultView(built) }
  const out: Partial<Record<TemplatePart, string>> = {}
  for (const [part, parsed] of Object.entries(template.parts) as Array<[TemplatePart, Template[]]>) out[part] = String(await liquid.render(parsed, data)).trim()
  const message: Message = { ...built }
  if (out.title !== undefined) message.title = oneLine(out.title, MAX_TITLE)
  if (out.text !== undefined) message.text = out.text.length > TEMPLATE_LIMITS.output ? `${out.text.slice(0, TEMPLATE_LIMITS.output - 1)}…` : out.text
  if (out.fields !== undefined) message.fields = fieldLines(out.fields)
  if (out.link !== undefined) message.link = httpUrl(out.link) ? { url: out.link } : undefined
  if (out.level !== undefined) message.level = LEVELS.includes(out.level as never) ? (out.level as Message['level']) : built.level
  if (out.icon !== undefined) message.icon = oneLine(out.icon, 8) || undefined
  if (out.source !== undefined) message.source = oneLine(out.source, 80) || undefined
  for (const key of ['title', 'fields', 'link', 'icon', 'source'] as const) if (message[key] === undefined || (Array.isArray(message[key]) && message[key].length === 0)) delete message[key]
  if (!message.title && message.text === '' && !message.fields) return undefined
  return message
}

/** What a plugin needs to apply its templates: the plugin's own and each route's, compiled once. */
export class Templates {
  private readonly plugin?: CompiledTemplate
  private readonly routes: Array<CompiledTemplate | undefined>

  constructor(
    private readonly logger: { warn(obj: object, msg: string): void },
    config: { template?: TemplateSpec; routes?: Array<{ template?: TemplateSpec }> },
  ) {
    this.plugin = config.template === undefined ? undefined : compileMessageTemplate(config.template)
    this.routes = (config.routes ?? []).map((r) => (r.template === undefined ? undefined : compileMessageTemplate(r.template)))
  }

  /** The template for a route (its own, else the plugin's), or undefined for the built-in format. */
  for(route?: number): CompiledTemplate | undefined {
    return (route === undefined ? undefined : this.routes[route]) ?? this.plugin
  }

  /** The message for one template; a template that fails on this payload falls back to the built-in message (logged). */
  async message(template: CompiledTemplate | undefined, scope: () => Record<string, unknown>, built: Message): Promise<Message | undefined> {
    if (!template) return built
    try {
      return await applyTemplate(template, scope(), built)
    } catch (error) {
      this.logger.warn({ err: (error as Error).message.slice(0, 200) }, 'the message template failed on this event; the built-in format was sent')
      return built
    }
  }
}
