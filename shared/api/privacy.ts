import * as v from 'valibot'
import { DateTime, NonEmpty, Page } from './common.ts'

/**
 * LGPD (Lei 13.709/2018, art. 18) routes: a member's data export, erasure, and the program's list
 * of privacy requests; a store's deletion of its whole program (issue 22).
 */

/**
 * The version of the privacy text the widget's join form shows (widget/app/i18n.ts, `privacy`).
 * Recorded on the member at join; change it with the text.
 */
export const CONSENT_TEXT_VERSION = '2026-12-07'

/** LGPD art. 19 II: a request is answered within 15 days. */
export const PRIVACY_DUE_DAYS = 15
/** A deleted program's rows are purged this long after the merchant's request; undo until then. */
export const PROGRAM_PURGE_GRACE_HOURS = 48

export const PRIVACY_REQUEST_KINDS = ['access', 'portability', 'correction', 'erasure'] as const
export const PRIVACY_REQUEST_STATES = ['open', 'done', 'cancelled'] as const
export const PRIVACY_REQUEST_CHANNELS = ['widget', 'panel', 'api'] as const

export const ExportFormatQuery = v.object({
  /** `json` (default) or `csv`; both are sent as a download (Content-Disposition: attachment). */
  format: v.optional(v.picklist(['json', 'csv'])),
})

export const MemberExport = v.object({
  exportedAt: DateTime,
  program: v.object({ name: v.string() }),
  profile: v.object({
    email: v.string(),
    name: v.nullable(v.string()),
    cpf: v.nullable(v.string()),
    birthDate: v.nullable(v.string()),
    liCustomerId: v.nullable(v.number()),
    balance: v.number(),
    enrolledAt: DateTime,
    joinedAt: v.nullable(DateTime),
    erasedAt: v.nullable(DateTime),
  }),
  consent: v.object({
    /** The privacy text version accepted at join in the widget; null when enrolled by the store. */
    termsVersion: v.nullable(v.string()),
    termsAcceptedAt: v.nullable(DateTime),
    emailConsent: v.nullable(v.boolean()),
    emailConsentAt: v.nullable(DateTime),
    /** E-mail kinds stopped ('marketing' = every non-essential e-mail). */
    unsubscribed: v.array(v.object({ scope: v.string(), at: DateTime })),
  }),
  ledger: v.array(v.object({ occurredAt: DateTime, kind: v.string(), amount: v.number(), reason: v.string() })),
  redemptions: v.array(
    v.object({
      createdAt: DateTime,
      rewardTitle: v.string(),
      pointsCost: v.number(),
      couponCode: v.string(),
      status: v.string(),
      validUntil: v.nullable(v.string()),
    }),
  ),
  /**
   * Referrals (issue 19): `friend` = the member claimed a referral coupon with their address (the
   * IP they claimed from included); `advocate` = someone claimed through the member's link (the
   * friend's address is the friend's data, left out).
   */
  referrals: v.array(
    v.object({
      role: v.picklist(['friend', 'advocate']),
      claimedAt: DateTime,
      status: v.string(),
      couponCode: v.nullable(v.string()),
      claimIp: v.nullable(v.string()),
    }),
  ),
  orders: v.array(
    v.object({
      externalId: v.string(),
      placedAt: DateTime,
      totalCents: v.number(),
      pointsAwarded: v.number(),
      pointsReversed: v.number(),
    }),
  ),
  emails: v.array(
    v.object({
      createdAt: DateTime,
      sentAt: v.nullable(DateTime),
      kind: v.string(),
      subject: v.string(),
      reason: v.string(),
      status: v.string(),
    }),
  ),
  requests: v.array(
    v.object({
      kind: v.string(),
      state: v.string(),
      requestedAt: DateTime,
      dueAt: DateTime,
      doneAt: v.nullable(DateTime),
    }),
  ),
})

export const ErasureBody = v.object({
  /** The 6 digits e-mailed by `…/me/erasure/code`. */
  code: v.pipe(v.string(), v.trim(), v.regex(/^[0-9]{6}$/, 'must be the 6 digits of the e-mail')),
})

export const ErasureCodeSent = v.object({ expiresInSeconds: v.number() })
export const Erased = v.object({ erased: v.literal(true), erasedAt: DateTime })

export const PrivacyRequestView = v.object({
  id: v.number(),
  memberId: v.number(),
  /** The member's name or e-mail as the program holds it now (anonymised after an erasure). */
  memberLabel: v.string(),
  kind: v.picklist(PRIVACY_REQUEST_KINDS),
  state: v.picklist(PRIVACY_REQUEST_STATES),
  channel: v.picklist(PRIVACY_REQUEST_CHANNELS),
  note: v.nullable(v.string()),
  requestedAt: DateTime,
  /** requestedAt + 15 days (LGPD art. 19 II). */
  dueAt: DateTime,
  doneAt: v.nullable(DateTime),
})
export const PrivacyRequestList = Page(PrivacyRequestView)

export const PrivacyRequestListQuery = v.object({
  state: v.optional(v.picklist(PRIVACY_REQUEST_STATES)),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a cursor from nextCursor'))),
})

export const CreatePrivacyRequestBody = v.object({
  memberId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  kind: v.picklist(PRIVACY_REQUEST_KINDS),
  /** How it arrived (e-mail, phone, …); cleared if the member is erased. */
  note: v.optional(v.nullable(NonEmpty(500))),
})

export const PrivacyRequestParams = v.object({
  programId: v.pipe(v.string(), v.uuid('must be a UUID')),
  requestId: v.pipe(v.string(), v.regex(/^\d+$/, 'must be a request id'), v.transform(Number)),
})

export const DeleteProgramBody = v.object({
  /** The program's name, typed by the merchant as confirmation. */
  confirmName: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty')),
})

export const ProgramDeletion = v.object({
  deletionRequestedAt: v.nullable(DateTime),
  /** From then on every row of the program is purged; until then `…/data/restore` undoes it. */
  purgeAfter: v.nullable(DateTime),
})

export type MemberExport = v.InferOutput<typeof MemberExport>
export type PrivacyRequestView = v.InferOutput<typeof PrivacyRequestView>
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number]
export type ProgramDeletion = v.InferOutput<typeof ProgramDeletion>
export type ErasureBody = v.InferInput<typeof ErasureBody>
export type ErasureCodeSent = v.InferOutput<typeof ErasureCodeSent>
