/**
 * The lifecycle e-mails (issue 8): welcome (paced drip, welcome.ts), daily "points earned" digest
 * (digest.ts), reward redeemed (redeemed.ts), points expiring in 30 and 7 days (expiring.ts),
 * coupon expiring unused (coupon-reminder.ts); the merchant's switches in settings.ts.
 *
 * Every one of them passes the same gate (design rule 7, gate.ts): the program's integration is
 * active, the merchant's kill switch is not pulled and the kind is not turned off; the member did
 * not refuse e-mails (join form) nor unsubscribe from it (queueEmail checks the unsubscribe table).
 * Each is written to the outbox (send.ts) with a dedupe key naming what it is about — member and
 * day, redemption, member and welcome — so every job can run again (or twice at once) and write
 * nothing new, and with a pt-BR reason saying why it was sent.
 *
 * This file is what other features call (members, identity and the sales import note new members;
 * the coupon job reports an issued coupon): the one door of ARCHITECTURE.md's "through its
 * service", so their imports do not follow the files behind it.
 */
export { noteEnrolled } from './welcome.ts'
export { onRedemptionIssued } from './redeemed.ts'
