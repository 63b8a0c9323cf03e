import type { Executor } from '../db/database.ts'
import { AppError } from '../lib/errors.ts'
import { incrementWindow } from './repository.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { claimWindows, deleteWindowsBefore, incrementWindow, type WindowClaim, type WindowWant } from './repository.ts'

export interface Limit {
  max: number
  windowSeconds: number
}

/**
 * Fixed-window counters kept in the database, so every API process shares them. Each call counts
 * one attempt against every limit; the first limit exceeded answers 429 with Retry-After.
 */
export async function consume(db: Executor, key: string, limits: Limit[], now = new Date()): Promise<void> {
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000
    const start = Math.floor(now.getTime() / windowMs) * windowMs
    const count = await incrementWindow(db, `${key}|${limit.windowSeconds}`, new Date(start))
    if (count > limit.max) {
      const retryAfter = Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000))
      throw new AppError('rate_limited', `Too many attempts; try again in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
        details: { retryAfter },
      })
    }
  }
}
