import type { AppDeps } from '../../deps.ts'
import { lifecycleExpirySource } from './expiry-source.ts'
import { pointsDigestQueue, remindersQueue, welcomeDripQueue } from './queues.ts'
import { runCouponReminders } from './coupon-reminder.ts'
import { runPointsDigest } from './digest.ts'
import { runExpiryNotices } from './expiring.ts'
import { catchUpRedeemed } from './redeemed.ts'
import { runWelcomeDrip } from './welcome.ts'

/** The lifecycle e-mail queues and their handlers (registered by server/workers.ts). */
export function registerLifecycleEmailWorkers(deps: AppDeps): void {
  deps.jobs.register(welcomeDripQueue, async () => {
    const r = await runWelcomeDrip(deps)
    if (r.queued || r.skipped || r.backfilled) deps.log.info('welcome drip', { ...r })
  })
  deps.jobs.register(pointsDigestQueue, async () => {
    deps.log.info('points earned digests', { ...(await runPointsDigest(deps)) })
  })
  deps.jobs.register(remindersQueue, async () => {
    const redeemed = await catchUpRedeemed(deps)
    const coupons = await runCouponReminders(deps)
    const expiring = await runExpiryNotices(deps, lifecycleExpirySource)
    deps.log.info('lifecycle reminders', { redeemed, coupons, expiring })
  })
}
