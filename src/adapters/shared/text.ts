// Renders a message as string parts in one dialect within a size limit: the path most adapters take.
import type { Message } from '../../host/messages.js'
import { compose, type ComposeOptions } from '../render/compose.js'
import type { Dialect } from '../render/dialects.js'
import { renderParts, stringTarget } from '../render/layout.js'

export interface TextPartsOptions {
  unit: 'chars' | 'bytes'
  limit: number
  maxParts: number
  compose?: ComposeOptions
  lineSuffix?: string
}

export function textParts(message: Message, dialect: Dialect, options: TextPartsOptions): string[] {
  return renderParts(compose(message, options.compose), stringTarget(dialect, options.unit, { lineSuffix: options.lineSuffix }), { limit: options.limit, maxParts: options.maxParts })
}
