import type {
  CreateRewardBody,
  RewardList,
  RewardListQuery,
  RewardView,
  UpdateRewardBody,
} from '../../shared/api/rewards.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { Program, Reward, RewardUpdate } from '../db/schema.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { proposePointsCost } from './feed/points.ts'
import * as repo from './repository.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { findReward } from './repository.ts'

const DEFAULT_PAGE = 50

/** Points per R$ 1 used for proposals; a program that gives no points still gets sane costs. */
export function proposalEarnRate(program: Pick<Program, 'earn_rate'>): number {
  const rate = Number(program.earn_rate)
  return Number.isFinite(rate) && rate > 0 ? rate : 1
}

export function toRewardView(r: Reward, program: Pick<Program, 'earn_rate'>): RewardView {
  const remaining = r.total_stock === null ? null : Math.max(0, r.total_stock - r.issued_count)
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    title: r.title,
    description: r.description,
    imageUrl: r.image_url,
    pointsCost: r.points_cost,
    pointsCostOverride: r.points_cost_override,
    suggestedPointsCost: r.price_cents !== null ? proposePointsCost(r.price_cents, proposalEarnRate(program)) : null,
    valueCents: r.value_cents,
    percent: r.percent,
    feedItemId: r.feed_item_id,
    priceCents: r.price_cents,
    salePriceCents: r.sale_price_cents,
    link: r.link,
    active: r.active,
    removedFromFeedAt: r.removed_from_feed_at?.toISOString() ?? null,
    available: r.active && r.removed_from_feed_at === null && (remaining === null || remaining > 0),
    totalStock: r.total_stock,
    issuedCount: r.issued_count,
    remainingStock: remaining,
    perMemberLimit: r.per_member_limit,
    minimumOrderCents: r.minimum_order_cents,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }
}

export async function getReward(db: Executor, programId: string, rewardId: string): Promise<Reward> {
  const row = await repo.findReward(db, programId, rewardId)
  if (!row) throw notFound('Reward')
  return row
}

/** Rewards created here are always `manual`; products from the feed come only from imports. */
export async function createReward(db: Executor, programId: string, body: CreateRewardBody): Promise<Reward> {
  return repo.insertReward(db, {
    program_id: programId,
    kind: body.kind,
    source: 'manual',
    title: body.title,
    description: body.description ?? null,
    image_url: body.imageUrl ?? null,
    points_cost: body.pointsCost,
    // The flag protects a hand-set cost from feed imports, which never touch manual rewards.
    points_cost_override: false,
    value_cents: body.kind === 'fixed_discount' ? body.valueCents : null,
    percent: body.kind === 'percent_discount' ? body.percent : null,
    price_cents: body.kind === 'product' ? (body.priceCents ?? null) : null,
    link: body.kind === 'product' ? (body.link ?? null) : null,
    active: body.active,
    total_stock: body.totalStock ?? null,
    per_member_limit: body.perMemberLimit ?? null,
    minimum_order_cents: body.minimumOrderCents ?? null,
  })
}

/** Which optional fields each kind has; anything else is refused by name. */
const KIND_FIELDS: Record<Reward['kind'], ReadonlyArray<keyof UpdateRewardBody>> = {
  fixed_discount: ['valueCents'],
  percent_discount: ['percent'],
  free_shipping: [],
  product: ['priceCents', 'link'],
}
const KIND_SPECIFIC: ReadonlyArray<keyof UpdateRewardBody> = ['valueCents', 'percent', 'priceCents', 'link']
/** A feed import rewrites these on every run, so editing them by hand would not last. */
const FEED_OWNED: ReadonlyArray<keyof UpdateRewardBody> = ['title', 'imageUrl', 'priceCents', 'link']

function refuse(field: string, message: string): never {
  throw new AppError('validation_failed', `${field} ${message}`, { field })
}

/**
 * Partial update under a row lock (the stock check reads issued_count, which redemptions
 * change). A points cost set on a feed product becomes an override the imports keep; null hands
 * the cost back to the proposal, recomputed now from the stored price and today's earn rate.
 */
export async function updateReward(
  trx: Trx,
  program: Program,
  rewardId: string,
  body: UpdateRewardBody,
): Promise<Reward> {
  const row = await repo.lockReward(trx, program.id, rewardId)
  if (!row) throw notFound('Reward')
  const given = (Object.keys(body) as Array<keyof UpdateRewardBody>).filter((k) => body[k] !== undefined)
  for (const field of given) {
    if (KIND_SPECIFIC.includes(field) && !KIND_FIELDS[row.kind].includes(field))
      refuse(field, 'is not allowed for this kind of reward')
    if (row.source === 'feed' && FEED_OWNED.includes(field))
      refuse(field, 'comes from the product feed and is updated by each import')
  }

  const set: RewardUpdate = {}
  if (body.title !== undefined) set.title = body.title
  if (body.description !== undefined) set.description = body.description
  if (body.imageUrl !== undefined) set.image_url = body.imageUrl
  if (body.valueCents !== undefined) set.value_cents = body.valueCents
  if (body.percent !== undefined) set.percent = body.percent
  if (body.priceCents !== undefined) set.price_cents = body.priceCents
  if (body.link !== undefined) set.link = body.link
  if (body.perMemberLimit !== undefined) set.per_member_limit = body.perMemberLimit
  if (body.minimumOrderCents !== undefined) set.minimum_order_cents = body.minimumOrderCents
  if (body.totalStock !== undefined) {
    if (body.totalStock !== null && body.totalStock < row.issued_count) {
      refuse('totalStock', `must be at least ${row.issued_count}, the number already redeemed`)
    }
    set.total_stock = body.totalStock
  }
  if (body.pointsCost !== undefined) {
    if (body.pointsCost !== null) {
      set.points_cost = body.pointsCost
      set.points_cost_override = true
    } else if (row.source === 'feed' && row.price_cents !== null) {
      set.points_cost = proposePointsCost(row.price_cents, proposalEarnRate(program))
      set.points_cost_override = false
    } else {
      refuse('pointsCost', 'must be a positive whole number (only feed products can go back to the proposed cost)')
    }
  }
  return repo.updateReward(trx, program.id, rewardId, set)
}

export async function setRewardActive(
  db: Executor,
  programId: string,
  rewardId: string,
  active: boolean,
): Promise<Reward> {
  await getReward(db, programId, rewardId)
  return repo.updateReward(db, programId, rewardId, { active })
}

interface Cursor {
  title: string
  id: string
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.title, c.id]), 'utf8').toString('base64url')
}

function decodeCursor(raw: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[1])
    ) {
      return { title: value[0], id: value[1] }
    }
  } catch {
    // falls through to the validation error
  }
  throw new AppError('validation_failed', 'cursor must be a cursor from nextCursor', { field: 'cursor' })
}

export async function listRewards(db: Executor, program: Program, query: RewardListQuery): Promise<RewardList> {
  const limit = query.limit ?? DEFAULT_PAGE
  const after = query.cursor ? decodeCursor(query.cursor) : null
  const rows = await repo.listRewards(db, program.id, query, limit, after)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => toRewardView(r, program)),
    nextCursor: rows.length > limit && last ? encodeCursor({ title: last.title, id: last.id }) : null,
  }
}

/**
 * The program's redeemable rewards (active, still in the feed, with stock), cheapest first: what
 * the widget's catalogue should show. A redemption must re-check all of it under the reward's
 * row lock (see the note in README / the rewards report), never trust this list.
 */
export async function listAvailableRewards(db: Executor, programId: string, limit = 200): Promise<Reward[]> {
  return repo.listAvailableRewards(db, programId, limit)
}
