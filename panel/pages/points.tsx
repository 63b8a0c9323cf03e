import { useEffect, useState } from 'preact/hooks'
import type { CampaignView } from '../../shared/api/lifecycle.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { ConfirmDialog, ErrorSummary, Field, Notice, Page, useForm } from '../components.tsx'
import { LoadState, Table, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { AmountOptionCard } from './amount-option.tsx'
import {
  campaignBody,
  campaignState,
  campaignToForm,
  emptyCampaignForm,
  rulesBody,
  rulesToForm,
  saoPauloToday,
  type RulesForm,
} from '../points.ts'

const RULE_FIELDS = ['expiryMonths', 'signupBonus', 'birthdayBonus', 'pendingDays'] as const
const RULE_LABELS: Record<string, string> = {
  expiryMonths: t.pointsRules.expiryMonths,
  signupBonus: t.pointsRules.signupBonus,
  birthdayBonus: t.pointsRules.birthdayBonus,
  pendingDays: t.pointsRules.pendingDays,
}
const CAMPAIGN_FIELDS = ['name', 'multiplier', 'startsOn', 'endsOn'] as const
const CAMPAIGN_LABELS: Record<string, string> = {
  name: t.pointsRules.name,
  multiplier: t.pointsRules.multiplier,
  startsOn: t.pointsRules.startsOn,
  endsOn: t.pointsRules.endsOn,
}
/** A campaign name's limit is not a program name's. */
const CAMPAIGN_MESSAGES = { name: { validation_failed: t.pointsRules.nameInvalid } }

/** Mais > Configurações > Pontos: expiry, bonuses, pending period, and "points × N" campaigns. */
export function PointsPage({ program }: { program: ProgramView }) {
  const rules = useLoad(() => endpoints.pointsRules(program.id), [program.id])
  return (
    <Page title={t.pointsRules.title} crumbs={[t.nav.more, t.nav.settings]} intro={t.pointsRules.intro}>
      <LoadState of={rules} />
      {rules.data && <RulesCard programId={program.id} initial={rulesToForm(rules.data)} />}
      <AmountOptionCard program={program} />
      <Campaigns programId={program.id} />
    </Page>
  )
}

function RulesCard({ programId, initial }: { programId: string; initial: RulesForm }) {
  const form = useForm(initial)
  const [saved, setSaved] = useState(false)
  const { values, errors, bind } = form

  const submit = async (e: Event) => {
    e.preventDefault()
    setSaved(false)
    const ok = await form.run(RULE_FIELDS, async () =>
      form.setValues(rulesToForm(await endpoints.updatePointsRules(programId, rulesBody(values)))),
    )
    setSaved(ok)
  }
  const setExpires = (expires: RulesForm['expires']) => form.setValues((v) => ({ ...v, expires }))

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="rules-title" data-points-rules>
      <h2 id="rules-title">{t.pointsRules.rulesTitle}</h2>
      <ErrorSummary fields={errors.fields} general={errors.general} labels={RULE_LABELS} />
      {saved && <Notice kind="ok">{t.common.saved}</Notice>}
      <fieldset class={errors.fields.expiryMonths ? 'field invalid' : 'field'}>
        <legend>{t.pointsRules.expiry}</legend>
        <p class="help" id="expiry-help">
          {t.pointsRules.expiryHelp}
        </p>
        {(['never', 'months'] as const).map((k) => (
          <label class="radio" key={k}>
            <input
              type="radio"
              name="expires"
              value={k}
              checked={values.expires === k}
              aria-describedby="expiry-help"
              onChange={() => setExpires(k)}
            />{' '}
            {k === 'never' ? t.pointsRules.never : t.pointsRules.after}
          </label>
        ))}
        {values.expires === 'months' && (
          <div class="nested">
            <label for="expiryMonths">{t.pointsRules.expiryMonths}</label>
            <input
              id="expiryMonths"
              {...bind('expiryMonths')}
              type="text"
              inputMode="numeric"
              class="tiny"
              aria-invalid={errors.fields.expiryMonths ? true : undefined}
              aria-describedby={errors.fields.expiryMonths ? 'expiryMonths-error' : undefined}
            />
          </div>
        )}
        {errors.fields.expiryMonths && (
          <p id="expiryMonths-error" class="error" data-field-error="expiryMonths">
            {errors.fields.expiryMonths}
          </p>
        )}
      </fieldset>
      <Field
        id="signupBonus"
        label={t.pointsRules.signupBonus}
        help={t.pointsRules.signupBonusHelp}
        error={errors.fields.signupBonus}
      >
        {(p) => <input {...p} {...bind('signupBonus')} type="text" inputMode="numeric" class="short" />}
      </Field>
      <Field
        id="birthdayBonus"
        label={t.pointsRules.birthdayBonus}
        help={t.pointsRules.birthdayBonusHelp}
        error={errors.fields.birthdayBonus}
      >
        {(p) => <input {...p} {...bind('birthdayBonus')} type="text" inputMode="numeric" class="short" />}
      </Field>
      <Field
        id="pendingDays"
        label={t.pointsRules.pendingDays}
        help={t.pointsRules.pendingDaysHelp}
        error={errors.fields.pendingDays}
      >
        {(p) => <input {...p} {...bind('pendingDays')} type="text" inputMode="numeric" class="short" />}
      </Field>
      <button type="submit" class="primary" disabled={form.busy}>
        {form.busy ? t.common.saving : t.pointsRules.saveRules}
      </button>
    </form>
  )
}

function Campaigns({ programId }: { programId: string }) {
  const list = useLoad(() => endpoints.campaigns(programId), [programId])
  const [editing, setEditing] = useState<CampaignView | null>(null)
  const [removing, setRemoving] = useState<CampaignView | null>(null)
  const [removeError, setRemoveError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const c = t.pointsRules.columns
  const today = saoPauloToday()

  const remove = async () => {
    if (!removing) return
    setRemoveError(null)
    try {
      await endpoints.deleteCampaign(programId, removing.id)
      setMessage(t.pointsRules.removed(removing.name))
      if (editing?.id === removing.id) setEditing(null)
      setRemoving(null)
      list.reload()
    } catch (err) {
      setRemoveError(messageFor(err))
    }
  }

  return (
    <section class="card" aria-labelledby="campaigns-title" data-campaigns>
      <h2 id="campaigns-title">{t.pointsRules.campaignsTitle}</h2>
      <p class="help">{t.pointsRules.campaignsHelp}</p>
      {message && <Notice kind="ok">{message}</Notice>}
      <LoadState of={list} />
      {list.data && list.data.items.length === 0 && <p>{t.pointsRules.campaignsEmpty}</p>}
      {list.data && list.data.items.length > 0 && (
        <Table data="campaigns" columns={[c.name, `#${c.multiplier}`, c.starts, c.ends, c.state, c.actions]}>
          {list.data.items.map((x) => {
            const state = campaignState(x, today)
            return (
              <tr key={x.id}>
                <td>{x.name}</td>
                <td class="num">{t.pointsRules.times(x.multiplier)}</td>
                <td>{t.calendarDay(x.startsOn)}</td>
                <td>{t.calendarDay(x.endsOn)}</td>
                <td>
                  <span class={`badge ${state === 'running' ? 'ok' : 'muted'}`}>{t.pointsRules.states[state]}</span>
                </td>
                <td class="cell-actions">
                  <button
                    type="button"
                    class="link"
                    aria-label={`${t.common.edit}: ${x.name}`}
                    onClick={() => (setMessage(null), setEditing(x))}
                  >
                    {t.common.edit}
                  </button>
                  <button
                    type="button"
                    class="link"
                    aria-label={`${t.pointsRules.remove}: ${x.name}`}
                    onClick={() => (setMessage(null), setRemoveError(null), setRemoving(x))}
                  >
                    {t.pointsRules.remove}
                  </button>
                </td>
              </tr>
            )
          })}
        </Table>
      )}
      <CampaignForm
        key={editing?.id ?? 'new'}
        programId={programId}
        campaign={editing}
        onCancel={() => setEditing(null)}
        onSaved={(text) => {
          setEditing(null)
          setMessage(text)
          list.reload()
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        title={t.pointsRules.removeDialogTitle}
        body={removing ? t.pointsRules.removeDialogBody(removing.name) : []}
        confirm={t.pointsRules.removeConfirm}
        cancel={t.common.cancel}
        error={removeError}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      />
    </section>
  )
}

/** New campaign, or the one being edited (same fields; a PATCH sends them all). */
function CampaignForm({
  programId,
  campaign,
  onSaved,
  onCancel,
}: {
  programId: string
  campaign: CampaignView | null
  onSaved: (message: string) => void
  onCancel: () => void
}) {
  const form = useForm(campaign ? campaignToForm(campaign) : emptyCampaignForm())
  const { errors, bind } = form
  // "Editar" swaps this form below the table: take the merchant there.
  useEffect(() => {
    if (campaign) document.getElementById('name')?.focus()
  }, [campaign])
  const submit = async (e: Event) => {
    e.preventDefault()
    const body = campaignBody(form.values)
    const save = campaign
      ? () => endpoints.updateCampaign(programId, campaign.id, body).then(() => onSaved(t.common.saved))
      : () =>
          endpoints
            .createCampaign(programId, body)
            .then(() => (form.setValues(emptyCampaignForm()), onSaved(t.pointsRules.created)))
    await form.run(CAMPAIGN_FIELDS, save, CAMPAIGN_MESSAGES)
  }
  const title = campaign ? t.pointsRules.editCampaign(campaign.name) : t.pointsRules.newCampaign
  return (
    <form class="subform" onSubmit={submit} noValidate aria-labelledby="campaign-form-title" data-campaign-form>
      <h3 id="campaign-form-title">{title}</h3>
      {campaign && <p class="note">{t.pointsRules.editNote}</p>}
      <ErrorSummary fields={errors.fields} general={errors.general} labels={CAMPAIGN_LABELS} />
      <Field id="name" label={t.pointsRules.name} help={t.pointsRules.nameHelp} error={errors.fields.name}>
        {(p) => <input {...p} {...bind('name')} type="text" maxLength={80} aria-required />}
      </Field>
      <Field
        id="multiplier"
        label={t.pointsRules.multiplier}
        help={t.pointsRules.multiplierHelp}
        error={errors.fields.multiplier}
      >
        {(p) => <input {...p} {...bind('multiplier')} type="text" inputMode="decimal" aria-required class="tiny" />}
      </Field>
      <div class="row">
        <Field
          id="startsOn"
          label={t.pointsRules.startsOn}
          help={t.pointsRules.startsOnHelp}
          error={errors.fields.startsOn}
        >
          {(p) => <input {...p} {...bind('startsOn')} type="date" aria-required />}
        </Field>
        <Field id="endsOn" label={t.pointsRules.endsOn} help={t.pointsRules.endsOnHelp} error={errors.fields.endsOn}>
          {(p) => <input {...p} {...bind('endsOn')} type="date" aria-required />}
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.common.saving : campaign ? t.pointsRules.saveCampaign : t.pointsRules.create}
        </button>
        {campaign && (
          <button type="button" class="secondary" onClick={onCancel}>
            {t.common.cancel}
          </button>
        )}
      </div>
    </form>
  )
}
