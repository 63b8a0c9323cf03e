import type { Executor } from '../db/database.ts'
import type { Reward } from '../db/schema.ts'
import { findIntegration } from '../integrations/service.ts'
import type { AppError } from '../lib/errors.ts'
import { perObject, singleFlight } from '../lib/serial.ts'
import { findReward } from '../rewards/service.ts'

// What a redemption is decided on besides the member's own rows (redeem.ts).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface ProgramFacts {
  active: boolean
  reward: Reward | undefined
  /** Set on facts answered from the cache (when they were read); undefined when read just now. */
  readAt?: number
}

/**
 * The stock claim found the reward gone, out of stock or with other terms than the attempt was
 * decided on. `answer` is what the shopper gets if fresh facts do not settle it.
 */
export class FactsChanged extends Error {
  constructor(readonly answer: AppError) {
    super(answer.message)
  }
}

/**
 * Whether the program's connection is active, and the reward. Neither is locked (read committed,
 * as when they were read inside the transaction). Concurrent redemptions of one reward share one
 * read, and facts that allow redeeming (an active connection, an available reward) are kept for
 * FACTS_TTL_MS: they were two statements of every batch of the redeem bench, read again by the
 * hundreds of requests of the next one. Kept facts are checked where it matters: the stock claim
 * at the end answers the reward's terms under its row lock, and an attempt decided on other terms
 * (or on a reward gone meanwhile) is decided again on fresh facts. A refusal is never kept, so a
 * reward switched on or a program resumed is redeemable at once. The one kept fact not checked
 * is the connection being active: pausing a program stops redemptions within FACTS_TTL_MS.
 */
const FACTS_TTL_MS = 1000
const readFacts = singleFlight<ProgramFacts>()
const keptFacts = perObject((_db: Executor) => new Map<string, ProgramFacts & { readAt: number }>())
export function programFacts(
  db: Executor,
  programId: string,
  rewardId: string,
  { fresh = false } = {},
): Promise<ProgramFacts> {
  const key = `${programId}:${rewardId}`
  const kept = keptFacts(db)
  const hit = kept.get(key)
  if (hit && !fresh && Date.now() - hit.readAt < FACTS_TTL_MS) return Promise.resolve(hit)
  kept.delete(key)
  return readFacts(key, async () => {
    const [integration, reward] = await Promise.all([
      findIntegration(db, programId),
      UUID.test(rewardId) ? findReward(db, programId, rewardId) : undefined,
    ])
    const facts: ProgramFacts = { active: !!integration?.active, reward }
    if (facts.active && reward?.active && reward.removed_from_feed_at === null) {
      if (kept.size >= 10_000) kept.clear() // programs × rewards: a bound, not an LRU
      kept.set(key, { ...facts, readAt: Date.now() })
    }
    return facts
  })
}
