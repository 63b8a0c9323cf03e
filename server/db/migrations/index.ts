import type { Migration } from 'kysely'
import * as m0001 from './2026-11-28-0001-foundation.ts'
import * as m0002 from './2026-11-28-0002-loja-integrada.ts'
import * as m0003 from './2026-11-28-0003-email.ts'
import * as m0004 from './2026-11-29-0004-widget.ts'
import * as m0005 from './2026-11-29-0005-rewards.ts'
import * as m0006 from './2026-11-29-0006-redemptions.ts'
import * as m0007 from './2026-11-29-0007-lifecycle-points.ts'
import * as m0008 from './2026-11-29-0008-lifecycle-emails.ts'
import * as m0009 from './2026-11-29-0009-redemption-store-check.ts'
import * as m0010 from './2026-11-30-0010-launcher-placement.ts'
import * as m0011 from './2026-12-03-0011-ledger-occurred-at.ts'
import * as m0012 from './2026-12-07-0012-outbox-list-indexes.ts'
import * as m0013 from './2026-12-07-0013-order-coupon.ts'
import * as m0035 from './2026-12-07-0035-webhooks.ts'
import * as m0040 from './2026-12-07-0040-cashback.ts'
import * as m0050 from './2026-12-07-0050-dashboard-indexes.ts'
import * as m0030 from './2026-12-07-0030-privacy.ts'
import * as m0060 from './2026-12-07-0060-tiers.ts'
import * as m0070 from './2026-12-07-0070-referrals.ts'
import * as m0080 from './2026-12-07-0080-tier-reward-coupons.ts'
import * as m0081 from './2026-12-07-0081-tier-rules-pending.ts'
import * as m0082 from './2026-12-07-0082-referral-expired.ts'
import * as m0083 from './2026-12-08-0083-redemption-due.ts'

/**
 * Every migration, by its date-prefixed name. Listed explicitly (instead of reading the folder)
 * so the set is the same under tsx, a bundle or a test runner.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-28-0001-foundation': m0001,
  '2026-11-28-0002-loja-integrada': m0002,
  '2026-11-28-0003-email': m0003,
  '2026-11-29-0004-widget': m0004,
  '2026-11-29-0005-rewards': m0005,
  '2026-11-29-0006-redemptions': m0006,
  '2026-11-29-0007-lifecycle-points': m0007,
  '2026-11-29-0008-lifecycle-emails': m0008,
  '2026-11-29-0009-redemption-store-check': m0009,
  '2026-11-30-0010-launcher-placement': m0010,
  '2026-12-03-0011-ledger-occurred-at': m0011,
  '2026-12-07-0012-outbox-list-indexes': m0012,
  '2026-12-07-0013-order-coupon': m0013,
  '2026-12-07-0035-webhooks': m0035,
  '2026-12-07-0040-cashback': m0040,
  '2026-12-07-0050-dashboard-indexes': m0050,
  '2026-12-07-0030-privacy': m0030,
  '2026-12-07-0060-tiers': m0060,
  '2026-12-07-0070-referrals': m0070,
  '2026-12-07-0080-tier-reward-coupons': m0080,
  '2026-12-07-0081-tier-rules-pending': m0081,
  '2026-12-07-0082-referral-expired': m0082,
  '2026-12-08-0083-redemption-due': m0083,
}
