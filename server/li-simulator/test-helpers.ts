// Shared setup for the simulator's tests (not a test file itself).

import { createLiSimulator, type LiSimulator, type LiSimulatorOptions } from './app.ts'
import type { SeededStore } from './seed.ts'
import { manualClock, type ManualClock } from './time.ts'

export const NOW = '2025-03-14T13:00:00Z' // 10:00 in São Paulo

export interface Harness {
  sim: LiSimulator
  clock: ManualClock
  seeded: SeededStore
  /** Integrator header for the seeded store. */
  auth: Record<string, string>
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: any; res: Response }>
  send(
    method: string,
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; res: Response }>
}

export async function parse(res: Response): Promise<any> {
  const text = await res.text()
  if (text === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function harness(
  opts: { customers?: number; orders?: number; seed?: number; sim?: LiSimulatorOptions } = {},
): Harness {
  const clock = manualClock(NOW)
  const sim = createLiSimulator({ clock, rateLimit: false, ...opts.sim })
  const seeded = sim.seed({ seed: opts.seed ?? 42, customers: opts.customers ?? 30, orders: opts.orders ?? 120 })
  const auth = { authorization: `chave_api ${seeded.apiKey} aplicacao ${sim.applicationKey}` }
  const get = async (path: string, headers: Record<string, string> = auth) => {
    const res = await sim.app.request(path, { headers })
    return { status: res.status, body: await parse(res), res }
  }
  const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = auth) => {
    const res = await sim.app.request(path, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: res.status, body: await parse(res), res }
  }
  return { sim, clock, seeded, auth, get, send }
}

/** Follow meta.next to the end; returns every object seen, in order. */
export async function collectAll(h: Harness, firstPath: string): Promise<{ objects: any[]; pages: number }> {
  const objects: any[] = []
  let path: string | null = firstPath
  let pages = 0
  while (path) {
    const r = await h.get(path)
    if (r.status !== 200) throw new Error(`page ${path} → ${r.status} ${JSON.stringify(r.body)}`)
    objects.push(...r.body.objects)
    path = r.body.meta.next
    pages++
  }
  return { objects, pages }
}

export const DECIMAL = /^-?\d+\.\d{2}$/
export const NAIVE_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/
