import { randomBytes } from 'node:crypto'
import type { ReferralSettings } from '../../shared/api/referrals.ts'
import type { Executor } from '../db/database.ts'
import type { ReferralSettingsRow } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { findIntegration } from '../integrations/service.ts'
import { AppError } from '../lib/errors.ts'
import { findProgramById } from '../programs/service.ts'
import * as repo from './repository.ts'
import { defaultSettings, generateReferralCode } from './rules.ts'

/** A program's referral settings, whether referrals are live, and members' codes. */

const toSettings = (r: ReferralSettingsRow): ReferralSettings => ({
  enabled: r.enabled,
  friendCouponCents: r.friend_coupon_cents,
  friendMinOrderCents: r.friend_min_order_cents,
  advocateReward: r.advocate_reward,
  advocateMonthlyCap: r.advocate_monthly_cap,
  claimsPerIpPerWeek: r.claims_per_ip_per_week,
  shareText: r.share_text,
})

/** The program's settings, or the defaults of its mode when never saved. */
export async function getSettings(db: Executor, program: { id: string; mode: 'points' | 'cashback' }) {
  const row = await repo.findSettings(db, program.id)
  return row ? toSettings(row) : defaultSettings(program.mode)
}

export async function saveSettings(db: Executor, programId: string, s: ReferralSettings): Promise<ReferralSettings> {
  const row = await repo.upsertSettings(db, {
    program_id: programId,
    enabled: s.enabled,
    friend_coupon_cents: s.friendCouponCents,
    friend_min_order_cents: s.friendMinOrderCents,
    advocate_reward: s.advocateReward,
    advocate_monthly_cap: s.advocateMonthlyCap,
    claims_per_ip_per_week: s.claimsPerIpPerWeek,
    share_text: s.shareText,
  })
  return toSettings(row)
}

/**
 * Referrals are live when the merchant turned them on and the store connection is active: no
 * coupon can be created nor any e-mail sent before activation (design rule 7). For callers that
 * already hold the program's settings and integration (the widget's config).
 */
export const referralsLive = (settings: { enabled: boolean }, integration: { active: boolean } | undefined) =>
  settings.enabled && !!integration?.active

export interface LiveReferrals {
  program: { id: string; name: string; mode: 'points' | 'cashback' }
  settings: ReferralSettings
  siteUrl: string
  couponValidityDays: number
}

/** The program's referrals with what they need, or null when they are not live (`referralsLive`). */
export async function liveReferrals(db: Executor, programId: string): Promise<LiveReferrals | null> {
  const [program, integration] = await Promise.all([findProgramById(db, programId), findIntegration(db, programId)])
  if (!program || program.archived_at || program.deletion_requested_at || !integration?.active) return null
  const settings = await getSettings(db, program)
  if (!referralsLive(settings, integration)) return null
  return {
    program: { id: program.id, name: program.name, mode: program.mode },
    settings,
    siteUrl: integration.site_url,
    couponValidityDays: integration.coupon_validity_days,
  }
}

/** The member's code, made on first ask (a taken code is drawn again; two first asks at once keep one). */
export async function codeOf(db: Executor, programId: string, memberId: number): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const existing = await repo.findCodeOfMember(db, programId, memberId)
    if (existing) return existing.code
    await repo.insertCode(db, programId, memberId, generateReferralCode(randomBytes))
  }
  throw new Error(`no free referral code for member ${memberId} after 10 draws`)
}

export const unknownCode = () =>
  new AppError('referral_code_unknown', 'No referral link of this program has this code', { field: 'code' })

/** What the jobs and routes of this feature are handed. */
export type ReferralDeps = Pick<AppDeps, 'db' | 'jobs' | 'config' | 'secrets' | 'log' | 'liFetch'>
