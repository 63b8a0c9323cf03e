// Deterministic randomness. Seeding must give byte-identical stores for the same seed, so
// nothing in the simulator calls Math.random.

export type Rng = () => number

/** mulberry32: tiny, fast, good enough for test data; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mix two integers into a new 32-bit seed (used to derive per-entity generators). */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ Math.imul(b >>> 0, 0x85ebca77)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d) >>> 0
  h ^= h >>> 15
  return h >>> 0
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)]
  if (item === undefined) throw new Error('pick from empty list')
  return item
}

/** Pick by integer weights: [[value, weight], ...]. */
export function pickWeighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  let total = 0
  for (const [, w] of table) total += w
  let r = rng() * total
  for (const [value, w] of table) {
    r -= w
    if (r < 0) return value
  }
  const last = table[table.length - 1]
  if (!last) throw new Error('pickWeighted from empty table')
  return last[0]
}

export function hex(rng: Rng, length: number): string {
  let out = ''
  while (out.length < length) out += Math.floor(rng() * 16).toString(16)
  return out
}

/** UUID-shaped string (not RFC-random, but the 36-char shape LI application keys have). */
export function uuidLike(rng: Rng): string {
  const h = hex(rng, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}
