import type { GenericSchema, InferInput, InferOutput } from 'valibot'
import type {
  AmountRedemptionView,
  CashbackRulesView,
  UpdateAmountRedemptionBody,
  UpdateCashbackRulesBody,
} from '../shared/api/cashback.ts'
import type { Ok } from '../shared/api/common.ts'
import type {
  LifecycleEmailSettings,
  OutboxEmailList,
  OutboxEmailQuery,
  UpdateLifecycleEmailSettingsBody,
} from '../shared/api/emails.ts'
import type {
  ActivationResponse,
  IntegrationView,
  SaveIntegrationBody,
  StatusList,
  SyncStatusView,
  ToggleBody,
} from '../shared/api/integrations.ts'
import type {
  CampaignList,
  CampaignView,
  CreateCampaignBody,
  PointsRulesView,
  UpdateCampaignBody,
  UpdatePointsRulesBody,
} from '../shared/api/lifecycle.ts'
import type {
  AdjustmentBody,
  AdjustmentResponse,
  LedgerPage,
  LedgerQuery,
  MemberDetail,
  MemberList,
  MemberListQuery,
} from '../shared/api/members.ts'
import type { CreateProgramBody, ProgramList, ProgramView, UpdateProgramBody } from '../shared/api/programs.ts'
import type { AdminRedemptionList, AdminRedemptionQuery } from '../shared/api/redemptions.ts'
import type {
  CreateRewardBody,
  FeedImportAccepted,
  FeedImportList,
  FeedImportListQuery,
  RewardList,
  RewardListQuery,
  RewardView,
  UpdateRewardBody,
} from '../shared/api/rewards.ts'
import type {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookList,
  WebhookWithSecret,
} from '../shared/api/webhooks.ts'
import type { DashboardExport, DashboardView } from '../shared/api/dashboard.ts'
import type {
  CreatePrivacyRequestBody,
  Erased,
  PrivacyRequestList,
  PrivacyRequestListQuery,
  PrivacyRequestView,
  ProgramDeletion,
} from '../shared/api/privacy.ts'
import type {
  ReferralApproveBody,
  ReferralListQuery,
  ReferralPage,
  ReferralRejectBody,
  ReferralSettings,
  ReferralView,
} from '../shared/api/referrals.ts'
import type { TierPreview, TierRulesBody, TierRulesView, TierSaveResult } from '../shared/api/tiers.ts'
import { api } from './api.ts'

/**
 * Every admin endpoint the panel calls, one line each, typed from the API contract in shared/api
 * (type-only imports: no validator in the panel bundle). Pages call these, never a path.
 */

/** What the API answers. */
type Out<S extends GenericSchema> = InferOutput<S>
/** What a query string or a body takes before the API parses it. */
type In<S extends GenericSchema> = InferInput<S>
/**
 * A form's body: the contract's keys, any values. A field the merchant typed wrong goes as typed
 * (forms.ts numberOr) so the API refuses it by name and the message lands next to that field.
 */
export type Unchecked<T> = { [K in keyof T]?: unknown }

type Query = Record<string, string | undefined>
const qs = (q: Query) => {
  const s = new URLSearchParams(
    Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  ).toString()
  return s ? `?${s}` : ''
}
const program = (programId: string, rest = '') => `/v1/programs/${encodeURIComponent(programId)}${rest}`
const integration = (programId: string, rest = '') => program(programId, `/integrations/loja-integrada${rest}`)

export const endpoints = {
  // programs
  programs: () => api.get<Out<typeof ProgramList>>('/v1/programs'),
  createProgram: (body: In<typeof CreateProgramBody>) => api.post<ProgramView>('/v1/programs', body),
  updateProgram: (programId: string, body: Unchecked<In<typeof UpdateProgramBody>>) =>
    api.patch<ProgramView>(program(programId), body),

  // the Loja Integrada integration and its sync
  integration: (programId: string) => api.get<IntegrationView>(integration(programId)),
  saveIntegration: (programId: string, body: Unchecked<In<typeof SaveIntegrationBody>>) =>
    api.put<IntegrationView>(integration(programId), body),
  orderStatuses: (programId: string) => api.get<Out<typeof StatusList>>(integration(programId, '/statuses')),
  activateIntegration: (programId: string) =>
    api.post<Out<typeof ActivationResponse>>(integration(programId, '/activate')),
  deactivateIntegration: (programId: string) =>
    api.post<Out<typeof ActivationResponse>>(integration(programId, '/deactivate')),
  setSalesRegistration: (programId: string, body: In<typeof ToggleBody>) =>
    api.put<IntegrationView>(integration(programId, '/sales-registration'), body),
  setErpSales: (programId: string, body: In<typeof ToggleBody>) =>
    api.put<IntegrationView>(integration(programId, '/erp-sales'), body),
  syncStatus: (programId: string) => api.get<SyncStatusView>(integration(programId, '/sync')),
  syncNow: (programId: string) => api.post<{ queued: true }>(integration(programId, '/sync')),

  // rewards and the feed import
  rewards: (programId: string, query: In<typeof RewardListQuery>) =>
    api.get<RewardList>(program(programId, `/rewards${qs(query)}`)),
  reward: (programId: string, rewardId: string) => api.get<RewardView>(program(programId, `/rewards/${rewardId}`)),
  createReward: (programId: string, body: Unchecked<In<typeof CreateRewardBody>>) =>
    api.post<RewardView>(program(programId, '/rewards'), body),
  updateReward: (programId: string, rewardId: string, body: Unchecked<In<typeof UpdateRewardBody>>) =>
    api.patch<RewardView>(program(programId, `/rewards/${rewardId}`), body),
  activateReward: (programId: string, rewardId: string) =>
    api.post<RewardView>(program(programId, `/rewards/${rewardId}/activate`)),
  deactivateReward: (programId: string, rewardId: string) =>
    api.post<RewardView>(program(programId, `/rewards/${rewardId}/deactivate`)),
  feedImports: (programId: string, query: In<typeof FeedImportListQuery>) =>
    api.get<Out<typeof FeedImportList>>(program(programId, `/feed-imports${qs(query)}`)),
  importFeed: (programId: string) => api.post<Out<typeof FeedImportAccepted>>(program(programId, '/feed-imports')),

  // points rules, campaigns, e-mails
  pointsRules: (programId: string) => api.get<PointsRulesView>(program(programId, '/points-rules')),
  updatePointsRules: (programId: string, body: Unchecked<In<typeof UpdatePointsRulesBody>>) =>
    api.patch<PointsRulesView>(program(programId, '/points-rules'), body),
  campaigns: (programId: string) => api.get<Out<typeof CampaignList>>(program(programId, '/campaigns')),
  createCampaign: (programId: string, body: Unchecked<In<typeof CreateCampaignBody>>) =>
    api.post<CampaignView>(program(programId, '/campaigns'), body),
  updateCampaign: (programId: string, campaignId: string, body: Unchecked<In<typeof UpdateCampaignBody>>) =>
    api.patch<CampaignView>(program(programId, `/campaigns/${campaignId}`), body),
  deleteCampaign: (programId: string, campaignId: string) =>
    api.delete<Out<typeof Ok>>(program(programId, `/campaigns/${campaignId}`)),
  // cashback rules, and the "any amount" option of a points program
  cashbackRules: (programId: string) => api.get<CashbackRulesView>(program(programId, '/cashback-rules')),
  updateCashbackRules: (programId: string, body: Unchecked<In<typeof UpdateCashbackRulesBody>>) =>
    api.patch<CashbackRulesView>(program(programId, '/cashback-rules'), body),
  amountRedemption: (programId: string) => api.get<AmountRedemptionView>(program(programId, '/amount-redemption')),
  updateAmountRedemption: (programId: string, body: Unchecked<In<typeof UpdateAmountRedemptionBody>>) =>
    api.patch<AmountRedemptionView>(program(programId, '/amount-redemption'), body),
  // VIP tiers
  tiers: (programId: string) => api.get<Out<typeof TierRulesView>>(program(programId, '/tiers')),
  saveTiers: (programId: string, body: Unchecked<In<typeof TierRulesBody>>) =>
    api.put<Out<typeof TierSaveResult>>(program(programId, '/tiers'), body),
  previewTiers: (programId: string, body: Unchecked<In<typeof TierRulesBody>>) =>
    api.post<Out<typeof TierPreview>>(program(programId, '/tier-preview'), body),
  // referrals: settings, the review list and decisions
  referralSettings: (programId: string) => api.get<ReferralSettings>(program(programId, '/referrals/settings')),
  saveReferralSettings: (programId: string, body: Unchecked<In<typeof ReferralSettings>>) =>
    api.put<ReferralSettings>(program(programId, '/referrals/settings'), body),
  referrals: (programId: string, query: In<typeof ReferralListQuery>) =>
    api.get<ReferralPage>(program(programId, `/referrals${qs(query)}`)),
  approveReferral: (programId: string, id: string, body: In<typeof ReferralApproveBody>) =>
    api.post<ReferralView>(program(programId, `/referrals/${id}/approve`), body),
  rejectReferral: (programId: string, id: string, body: Unchecked<In<typeof ReferralRejectBody>>) =>
    api.post<ReferralView>(program(programId, `/referrals/${id}/reject`), body),
  emailSettings: (programId: string) => api.get<LifecycleEmailSettings>(program(programId, '/email-settings')),
  updateEmailSettings: (programId: string, body: In<typeof UpdateLifecycleEmailSettingsBody>) =>
    api.put<LifecycleEmailSettings>(program(programId, '/email-settings'), body),
  emails: (programId: string, query: In<typeof OutboxEmailQuery>) =>
    api.get<OutboxEmailList>(program(programId, `/emails${qs(query)}`)),

  // members, their points and redemptions
  members: (programId: string, query: In<typeof MemberListQuery>) =>
    api.get<Out<typeof MemberList>>(program(programId, `/members${qs(query)}`)),
  member: (programId: string, memberId: number) =>
    api.get<Out<typeof MemberDetail>>(program(programId, `/members/${memberId}`)),
  ledger: (programId: string, memberId: number, query: In<typeof LedgerQuery>) =>
    api.get<Out<typeof LedgerPage>>(program(programId, `/members/${memberId}/ledger${qs(query)}`)),
  adjustPoints: (programId: string, memberId: number, body: Unchecked<In<typeof AdjustmentBody>>) =>
    api.post<Out<typeof AdjustmentResponse>>(program(programId, `/members/${memberId}/adjustments`), body),
  redemptions: (programId: string, query: In<typeof AdminRedemptionQuery>) =>
    api.get<AdminRedemptionList>(program(programId, `/redemptions${qs(query)}`)),

  // event webhooks
  webhooks: (programId: string) => api.get<Out<typeof WebhookList>>(program(programId, '/webhooks')),
  createWebhook: (programId: string, body: Unchecked<In<typeof CreateWebhookBody>>) =>
    api.post<Out<typeof WebhookWithSecret>>(program(programId, '/webhooks'), body),
  updateWebhook: (programId: string, id: string, body: Unchecked<In<typeof UpdateWebhookBody>>) =>
    api.patch<Out<typeof WebhookEndpointView>>(program(programId, `/webhooks/${id}`), body),
  deleteWebhook: (programId: string, id: string) => api.delete<Out<typeof Ok>>(program(programId, `/webhooks/${id}`)),
  rotateWebhookSecret: (programId: string, id: string) =>
    api.post<Out<typeof WebhookWithSecret>>(program(programId, `/webhooks/${id}/rotate-secret`)),
  webhookDeliveries: (programId: string, id: string, query: In<typeof WebhookDeliveryQuery>) =>
    api.get<Out<typeof WebhookDeliveryPage>>(program(programId, `/webhooks/${id}/deliveries${qs(query)}`)),
  resendWebhookDelivery: (programId: string, id: string, deliveryId: number) =>
    api.post<Out<typeof WebhookDeliveryView>>(program(programId, `/webhooks/${id}/deliveries/${deliveryId}/resend`)),
  // the dashboard and its CSV files
  dashboard: (programId: string, days: number) =>
    api.get<DashboardView>(program(programId, `/dashboard${qs({ days: String(days) })}`)),
  dashboardCsv: (programId: string, figure: DashboardExport, days: number) =>
    api.download(program(programId, `/dashboard/exports/${figure}${qs({ days: String(days) })}`)),
  // LGPD: a member's data, the privacy requests, deleting the program
  memberData: (programId: string, memberId: number, format: 'json' | 'csv') =>
    api.text(program(programId, `/members/${memberId}/data?format=${format}`)),
  eraseMember: (programId: string, memberId: number) =>
    api.post<Out<typeof Erased>>(program(programId, `/members/${memberId}/erasure`)),
  privacyRequests: (programId: string, query: In<typeof PrivacyRequestListQuery>) =>
    api.get<Out<typeof PrivacyRequestList>>(program(programId, `/privacy-requests${qs(query)}`)),
  registerPrivacyRequest: (programId: string, body: Unchecked<In<typeof CreatePrivacyRequestBody>>) =>
    api.post<PrivacyRequestView>(program(programId, '/privacy-requests'), body),
  completePrivacyRequest: (programId: string, requestId: number) =>
    api.post<PrivacyRequestView>(program(programId, `/privacy-requests/${requestId}/complete`)),
  deleteProgram: (programId: string, confirmName: string) =>
    api.deleteWith<ProgramDeletion>(program(programId, '/data'), { confirmName }),
  restoreProgram: (programId: string) => api.post<ProgramDeletion>(program(programId, '/data/restore')),
}
