// The languages of built-in messages, and the `locale` config field every built-in plugin shares.
import { z } from '../../index.js'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

/** Default zh-CN, as Nekro Agent's users expect. */
export const localeField = z.enum(LOCALES).default('zh-CN').describe('Language of the messages: zh-CN or en')
