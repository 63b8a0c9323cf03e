import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { ReferralSettings } from '../../shared/api/referrals.ts'
import { ErrorSummary, Field, Notice, Page, Switch, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { t } from '../i18n.ts'
import {
  exampleLink,
  REFERRAL_FIELDS,
  type ReferralForm,
  referralBody,
  referralToForm,
  sharePreview,
  shareTextProblem,
} from '../referrals.ts'
import { ReferralList } from './referral-list.tsx'

const x = t.referrals

/**
 * Mais > Configurações > Indicações: the program's referral settings with a live preview of the
 * WhatsApp message, and below them the referrals themselves (those waiting for a decision, or all).
 */
export function ReferralsPage({ program, list }: { program: ProgramView; list: 'review' | 'all' }) {
  const settings = useLoad(() => endpoints.referralSettings(program.id), [program.id])
  // The store's address for the preview's example link; none yet is fine (a placeholder address).
  const integration = useLoad(() => endpoints.integration(program.id).catch(() => null), [program.id])
  return (
    <Page title={x.title} crumbs={[t.nav.more, t.nav.settings]} intro={x.intro} wide>
      <LoadState of={settings} />
      {settings.data && (
        <SettingsForm program={program} initial={settings.data} siteUrl={integration.data?.siteUrl ?? null} />
      )}
      <ReferralList program={program} list={list} />
    </Page>
  )
}

function SettingsForm({
  program,
  initial,
  siteUrl,
}: {
  program: ProgramView
  initial: ReferralSettings
  siteUrl: string | null
}) {
  const cashback = program.mode === 'cashback'
  const form = useForm<ReferralForm>(referralToForm(initial, program.mode))
  const [enabled, setEnabled] = useState(initial.enabled)
  const [saved, setSaved] = useState(false)
  const { values, errors } = form
  const labels: Record<string, string> = {
    enabled: x.enabled,
    friendCouponCents: x.friendCouponCents,
    friendMinOrderCents: x.friendMinOrderCents,
    advocateReward: cashback ? x.advocateRewardCashback : x.advocateRewardPoints,
    advocateMonthlyCap: x.advocateMonthlyCap,
    claimsPerIpPerWeek: x.claimsPerIpPerWeek,
    shareText: x.shareText,
  }
  const submit = async (e: Event) => {
    e.preventDefault()
    setSaved(false)
    const ok = await form.run(
      REFERRAL_FIELDS,
      async () => {
        const next = await endpoints.saveReferralSettings(program.id, referralBody(values, enabled, program.mode))
        form.setValues(referralToForm(next, program.mode))
        setEnabled(next.enabled)
      },
      x.fields,
    )
    setSaved(ok)
  }
  const input = (name: Exclude<keyof ReferralForm, 'shareText'>, help: string, mode: 'decimal' | 'numeric') => (
    <Field id={name} label={labels[name]!} help={help} error={errors.fields[name]}>
      {(p) => <input {...p} {...form.bind(name)} type="text" inputMode={mode} class="short" />}
    </Field>
  )
  const preview = sharePreview(
    values.shareText,
    { couponText: values.friendCouponCents, programName: program.name, link: exampleLink(siteUrl) },
    t.money,
  )
  const problem = shareTextProblem(values.shareText)
  return (
    <div class="split">
      <form class="card" onSubmit={submit} noValidate aria-label={x.title} data-referral-settings>
        <ErrorSummary fields={errors.fields} general={errors.general} labels={labels} />
        {saved && <Notice kind="ok">{x.saved}</Notice>}
        <Switch id="enabled" label={x.enabled} help={x.enabledHelp} checked={enabled} onChange={setEnabled} />
        {errors.fields.enabled && (
          <p class="error" data-field-error="enabled">
            {errors.fields.enabled}
          </p>
        )}
        <h2>{x.friendTitle}</h2>
        {input('friendCouponCents', x.friendCouponCentsHelp, 'decimal')}
        {input('friendMinOrderCents', x.friendMinOrderCentsHelp, 'decimal')}
        <h2>{x.advocateTitle}</h2>
        {input(
          'advocateReward',
          cashback ? x.advocateRewardCashbackHelp : x.advocateRewardPointsHelp,
          cashback ? 'decimal' : 'numeric',
        )}
        {input('advocateMonthlyCap', x.advocateMonthlyCapHelp, 'numeric')}
        <h2>{x.safetyTitle}</h2>
        {input('claimsPerIpPerWeek', x.claimsPerIpPerWeekHelp, 'numeric')}
        <h2>{x.shareTitle}</h2>
        <Field id="shareText" label={x.shareText} help={x.shareTextHelp} error={errors.fields.shareText}>
          {(p) => <textarea {...p} {...form.bind('shareText')} rows={4} maxLength={600} />}
        </Field>
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.common.saving : x.save}
        </button>
      </form>
      <section class="card" aria-labelledby="share-preview-title">
        <h2 id="share-preview-title">{x.previewTitle}</h2>
        <p class="help">{x.previewHelp}</p>
        {/* Recomputed on every keystroke; read out politely when it changes. */}
        <div class="wa-chat" aria-live="polite">
          <p class="wa-bubble" data-share-preview>
            {preview}
          </p>
        </div>
        <p class={problem ? 'error' : 'help'} data-share-length>
          {problem ? x.previewProblems[problem] : x.length(values.shareText.length)}
        </p>
      </section>
    </div>
  )
}
