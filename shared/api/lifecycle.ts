import * as v from 'valibot'
import { DateTime, IsoDate, NonEmpty, Uuid } from './common.ts'

/**
 * A program's points lifecycle (admin API): expiry, signup and birthday bonuses, the pending
 * period (`/v1/programs/{programId}/points-rules`) and "points × N" campaigns
 * (`/v1/programs/{programId}/campaigns…`).
 */

const Whole = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be between ${min} and ${max}`),
    v.maxValue(max, `must be between ${min} and ${max}`),
  )

/** A calendar day that exists (isoDate alone accepts 2026-02-30). */
export const CalendarDay = v.pipe(
  IsoDate,
  v.check((s) => {
    const d = new Date(s + 'T00:00:00Z')
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
  }, 'must be a real date YYYY-MM-DD'),
)

const rules = {
  /** Points expire this many calendar months after the São Paulo day they were earned; null = never. */
  expiryMonths: v.nullable(Whole(1, 120)),
  /** Points given once to every member enrolled while it is above 0 (sync, widget, ERP or admin). */
  signupBonus: Whole(0, 1_000_000),
  /** Points given once a year on the member's birthday (São Paulo calendar); 0 = off. */
  birthdayBonus: Whole(0, 1_000_000),
  /** Days an order's points wait after it reaches an awarding status before they can be spent; 0 = none. */
  pendingDays: Whole(0, 90),
}

export const PointsRulesView = v.object({ ...rules, updatedAt: v.nullable(DateTime) })

export const UpdatePointsRulesBody = v.pipe(
  v.partial(v.strictObject(rules, 'is not a points rule')),
  v.check((o) => Object.keys(o).length > 0, 'must change at least one field'),
)

/** 2 = double points; at most two decimals, from 1.01 to 10. */
export const Multiplier = v.pipe(
  v.number('must be a number'),
  v.minValue(1.01, 'must be between 1.01 and 10'),
  v.maxValue(10, 'must be between 1.01 and 10'),
  v.check((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-9, 'must have at most 2 decimal places'),
)

const campaign = {
  /** pt-BR, shown to shoppers in their history ("Pontos da compra nº 123 — campanha "Black Friday": pontos × 2"). */
  name: NonEmpty(80),
  multiplier: Multiplier,
  /** First São Paulo day of the campaign: orders placed from 00:00 that day. */
  startsOn: CalendarDay,
  /** Last São Paulo day, inclusive: orders placed until 23:59:59 that day. */
  endsOn: CalendarDay,
}

export const CreateCampaignBody = v.pipe(
  v.strictObject(campaign, 'is not a campaign field'),
  v.forward(
    v.check((c) => c.endsOn >= c.startsOn, 'must be on or after startsOn'),
    ['endsOn'],
  ),
)

export const UpdateCampaignBody = v.pipe(
  v.partial(v.strictObject(campaign, 'is not a campaign field')),
  v.check((o) => Object.keys(o).length > 0, 'must change at least one field'),
)

export const CampaignView = v.object({
  id: Uuid,
  ...campaign,
  createdAt: DateTime,
  updatedAt: DateTime,
})

export const CampaignList = v.object({ items: v.array(CampaignView) })
export const CampaignParams = v.object({ programId: Uuid, campaignId: Uuid })

export type PointsRulesView = v.InferOutput<typeof PointsRulesView>
export type UpdatePointsRulesBody = v.InferOutput<typeof UpdatePointsRulesBody>
export type CreateCampaignBody = v.InferOutput<typeof CreateCampaignBody>
export type UpdateCampaignBody = v.InferOutput<typeof UpdateCampaignBody>
export type CampaignView = v.InferOutput<typeof CampaignView>

// Descriptions of the routes that use these schemas, in /openapi.json.

/** GET /v1/programs/:programId/points-rules */
export const pointsRulesDescription =
  'A program that never saved them has everything off: `expiryMonths: null` (points never expire), no bonuses, ' +
  '`pendingDays: 0`.'

/** PATCH /v1/programs/:programId/points-rules */
export const updatePointsRulesDescription =
  'Send only the fields to change. All days are São Paulo calendar days.\n' +
  '- `expiryMonths`: points expire this many calendar months after the day they were earned (31/01 + 1 month = last ' +
  'day of February); `null` = never. Spending always takes the oldest points first. A daily job (00:05) posts ' +
  '`expire` entries; the widget shows what expires next. Changing it applies to every point still held, at the next ' +
  'daily run.\n' +
  '- `signupBonus`: points given once to each member enrolled from now on — by the store sync (including the first ' +
  "import of the store's customers), the widget, an ERP sale or `POST …/members`.\n" +
  "- `birthdayBonus`: points given once a year on the member's birthday (29/02 → 28/02 in other years), by the daily " +
  'job, to members enrolled by that day.\n' +
  "- `pendingDays`: an order's points wait this many days after it reaches an awarding status before they can be " +
  'spent (they show as `pendingPoints` in the widget); a cancellation inside the period just drops them. Setting it ' +
  'to 0 releases the waiting points within the hour.'

/** POST /v1/programs/:programId/campaigns */
export const createCampaignDescription =
  'Orders placed between `startsOn` and `endsOn` (São Paulo days, inclusive) earn `multiplier` × their points when ' +
  "they reach an awarding status; the entry's reason names the campaign. When campaigns overlap, the highest " +
  'multiplier wins (they never stack). A cancellation takes back exactly what the order earned, extra points ' +
  'included.'
