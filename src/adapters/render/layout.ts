// Splits a composed message into parts within a platform's size limit: at line boundaries, "(i/n)" markers, truncation marker.
import type { Composed } from './compose.js'
import { lineText, type Dialect, renderLine } from './dialects.js'
import type { Line } from './markdown.js'

type NonCode = Exclude<Line, { kind: 'code' }>

/** How one platform writes and measures lines; T is a string for markup platforms, segments for others. */
export interface Target<T> {
  line(line: NonCode): T
  plain(text: string): T
  codeOpen(lang?: string): T | undefined
  codeLine(text: string): T
  codeClose(): T | undefined
  /** Size of one line in the unit the platform limits (characters or bytes). */
  measure(line: T): number
  /** Size of what joins two lines. */
  separator: number
}

export interface LayoutLimits {
  /** Largest size of one part (all its lines and separators). */
  limit: number
  /** More parts than this and the last one ends with the truncation marker. */
  maxParts: number
  /** Start each of several parts with "(i/n)" (default); off where the parts are blocks of one message. */
  markers?: boolean
}

export interface Layout<T> {
  parts: T[][]
  truncated: boolean
}

export const TRUNCATED_MARKER = '… [truncated]'
export const partMarker = (index: number, count: number): string => `(${index + 1}/${count})`

interface Block<T> {
  open?: T
  openSize: number
  close?: T
  closeSize: number
}

interface Atom<T> {
  out: T
  size: number
  plain: string
  block?: Block<T>
}

/** A Target for string markup in a dialect, measured in UTF-16 characters or UTF-8 bytes. */
export function stringTarget(dialect: Dialect, unit: 'chars' | 'bytes', options: { lineSuffix?: string } = {}): Target<string> {
  const suffix = options.lineSuffix ?? ''
  const opt = (s: string): string | undefined => (s === '' ? undefined : s)
  return {
    line: (l) => (l.kind === 'blank' ? '' : renderLine(dialect, l) + suffix),
    plain: (t) => dialect.text(t) + suffix,
    codeOpen: (lang) => opt(dialect.codeOpen(lang)),
    codeLine: (t) => dialect.codeLine(t),
    codeClose: () => opt(dialect.codeClose),
    measure: unit === 'chars' ? (s) => s.length : (s) => Buffer.byteLength(s),
    separator: 1,
  }
}

function atomsOf<T>(lines: Line[], target: Target<T>): Array<Atom<T>> {
  const atoms: Array<Atom<T>> = []
  for (const line of lines) {
    if (line.kind === 'code') {
      const open = target.codeOpen(line.lang)
      const close = target.codeClose()
      const block: Block<T> = { open, openSize: open === undefined ? 0 : target.measure(open), close, closeSize: close === undefined ? 0 : target.measure(close) }
      for (const text of line.lines.length ? line.lines : ['']) {
        const out = target.codeLine(text)
        atoms.push({ out, size: target.measure(out), plain: text, block })
      }
      continue
    }
    const out = target.line(line)
    atoms.push({ out, size: target.measure(out), plain: lineText(line) })
  }
  return atoms
}

/** Cuts an atom too big for any part into pieces that fit, preferring to cut at a space. */
function cut<T>(atom: Atom<T>, budget: number, target: Target<T>): Array<Atom<T>> {
  const make = (text: string): Atom<T> => {
    const out = atom.block ? target.codeLine(text) : target.plain(text)
    return { out, size: target.measure(out), plain: text, block: atom.block }
  }
  const pieces: Array<Atom<T>> = []
  let rest = atom.plain
  for (let guard = 0; rest.length > 0 && guard < 100_000; guard++) {
    if (make(rest).size <= budget) {
      pieces.push(make(rest))
      break
    }
    let lo = 1
    let hi = rest.length
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (make(rest.slice(0, mid)).size <= budget) lo = mid
      else hi = mid - 1
    }
    let k = lo
    if (/[\uD800-\uDBFF]/.test(rest[k - 1]) && k > 1) k--
    const space = rest.lastIndexOf(' ', k)
    if (space > k * 0.8) k = space + 1
    pieces.push(make(rest.slice(0, k)))
    rest = rest.slice(k)
  }
  return pieces
}

/** Lays a composed message out in parts; a message that fits is one part without a marker. */
export function layout<T>(composed: Composed, target: Target<T>, limits: LayoutLimits): Layout<T> {
  const maxParts = Math.max(1, Math.min(99, limits.maxParts))
  const sep = target.separator
  const body = atomsOf(composed.lines, target)
  const footer = atomsOf(composed.footer, target)
  const whole = pack([...body, ...footer], target, () => limits.limit, 1, [])
  if (!whole.truncated) return whole
  const markers = limits.markers !== false
  const markerReserve = maxParts > 1 && markers ? target.measure(target.plain(partMarker(98, 99))) + sep : 0
  const tail = [target.plain(TRUNCATED_MARKER), ...footer.map((a) => a.out)]
  const tailReserve = tail.reduce((n, t) => n + target.measure(t) + sep, 0)
  const atoms: Array<Atom<T>> = []
  for (const atom of [...body, ...footer]) {
    const overhead = atom.block ? atom.block.openSize + atom.block.closeSize + 2 * sep : 0
    const budget = limits.limit - markerReserve - tailReserve - overhead - sep
    atoms.push(...(atom.size > budget ? cut(atom, Math.max(1, budget), target) : [atom]))
  }
  const result = pack(atoms, target, () => limits.limit - markerReserve, maxParts, tail, tailReserve)
  if (markers && result.parts.length > 1) result.parts.forEach((part, i) => part.unshift(target.plain(partMarker(i, result.parts.length))))
  return result
}

function pack<T>(atoms: Array<Atom<T>>, target: Target<T>, budgetFor: (part: number) => number, maxParts: number, tail: T[], tailReserve = 0): Layout<T> {
  const sep = target.separator
  const parts: T[][] = []
  let cur: T[] = []
  let size = 0
  let inBlock: Block<T> | undefined
  const add = (value: T, s: number): void => {
    size += (cur.length ? sep : 0) + s
    cur.push(value)
  }
  const closeBlock = (): void => {
    if (inBlock?.close !== undefined) add(inBlock.close, inBlock.closeSize)
    inBlock = undefined
  }
  const need = (a: Atom<T>): number => {
    let n = (cur.length ? sep : 0) + a.size
    if (a.block !== inBlock) {
      if (inBlock?.close !== undefined) n += sep + inBlock.closeSize
      if (a.block?.open !== undefined) n += sep + a.block.openSize
    }
    if (a.block?.close !== undefined) n += sep + a.block.closeSize
    return n
  }
  const remaining = (from: number): number => atoms.slice(from).reduce((n, a) => n + a.size + sep + (a.block ? a.block.openSize + a.block.closeSize + 2 * sep : 0), 0)
  let lastBudget: number | undefined
  for (let i = 0; i < atoms.length; i++) {
    const atom = atoms[i]
    const last = parts.length === maxParts - 1
    let budget = budgetFor(parts.length)
    if (last) {
      // Only the last allowed part keeps room for the truncation marker, and only when the rest does not fit.
      lastBudget ??= remaining(i) + (cur.length ? size : 0) <= budget ? budget : budget - tailReserve
      budget = lastBudget
    }
    if (size + need(atom) > budget && (cur.length || last)) {
      if (last) {
        closeBlock()
        for (const t of tail) add(t, target.measure(t))
        parts.push(cur)
        return { parts, truncated: true }
      }
      closeBlock()
      parts.push(cur)
      cur = []
      size = 0
      i--
      continue
    }
    if (atom.block !== inBlock) {
      closeBlock()
      if (atom.block?.open !== undefined) add(atom.block.open, atom.block.openSize)
      inBlock = atom.block
    }
    add(atom.out, atom.size)
  }
  closeBlock()
  if (cur.length || parts.length === 0) parts.push(cur)
  return { parts, truncated: false }
}

/** Renders a message to string parts in one dialect: compose, lay out, join lines. */
export function renderParts(composed: Composed, target: Target<string>, limits: LayoutLimits, join = '\n'): string[] {
  return layout(composed, target, limits).parts.map((lines) => lines.join(join))
}
