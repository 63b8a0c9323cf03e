import { useState } from 'preact/hooks'
import type { IntegrationView, SaveIntegrationBody, StatusView } from '../../shared/api/integrations.ts'
import { ErrorSummary, Field, Notice, Page, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, formErrors } from '../errors.ts'
import { blankToNull, numberOr, parseInteger, parseList } from '../forms.ts'
import { t } from '../i18n.ts'
import { modeWords } from '../i18n/mode-words.ts'
import { currentProgram } from '../state.ts'
import { Activation } from './integration-activation.tsx'
import { SalesSource } from './integration-sales.tsx'
import { SyncHealth } from './sync.tsx'

/** Integration and sync texts in the program's own words (points or cashback). */
const w = () => modeWords(currentProgram())

const FIELDS = [
  'credentialKind',
  'apiKey',
  'siteUrl',
  'signupUrl',
  'feedUrl',
  'couponValidityDays',
  'rewardAllowlist',
  'awardingStatusIds',
] as const
const LABELS: Record<string, string> = {
  credentialKind: w().integration.credentialKind,
  apiKey: w().integration.apiKey,
  siteUrl: w().integration.siteUrl,
  signupUrl: w().integration.signupUrl,
  feedUrl: w().integration.feedUrl,
  couponValidityDays: w().integration.couponValidityDays,
  rewardAllowlist: w().integration.rewardAllowlist,
  awardingStatusIds: t.integration.statuses,
}

/** 404 = never saved (the API's designed answer), any other failure is an error. */
export async function loadIntegration(programId: string): Promise<IntegrationView | null> {
  try {
    return await endpoints.integration(programId)
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null
    throw err
  }
}

const loadStatuses = (programId: string) => endpoints.orderStatuses(programId).then((r) => r.items)

/** Mais > Configurações > Integração > Loja Integrada: the seed's form, activation, sales source and sync health. */
export function IntegrationPage({ programId, programName }: { programId: string; programName: string }) {
  const loaded = useLoad(async () => {
    const integration = await loadIntegration(programId)
    return { integration, statuses: integration ? await loadStatuses(programId) : null }
  }, [programId])
  return (
    <Page
      title={w().integration.title}
      crumbs={[t.nav.more, t.nav.settings, t.nav.integration]}
      intro={w().integration.intro}
    >
      <LoadState of={loaded} />
      {loaded.data && (
        <IntegrationScreen
          programId={programId}
          programName={programName}
          initial={loaded.data.integration}
          initialStatuses={loaded.data.statuses}
        />
      )}
    </Page>
  )
}

function IntegrationScreen({
  programId,
  programName,
  initial,
  initialStatuses,
}: {
  programId: string
  programName: string
  initial: IntegrationView | null
  initialStatuses: StatusView[] | null
}) {
  const [integration, setIntegration] = useState(initial)
  const [statuses, setStatuses] = useState(initialStatuses)
  const [selected, setSelected] = useState<Set<number>>(() => selectedFrom(initial, initialStatuses))
  const [preselected, setPreselected] = useState(
    () =>
      !!initialStatuses?.length &&
      !initial?.awardingStatusIds.length &&
      selectedFrom(initial, initialStatuses).size > 0,
  )
  const [saved, setSaved] = useState<string | null>(null)
  const [syncKey, setSyncKey] = useState(0)
  const form = useForm({
    credentialKind: initial?.credentialKind ?? 'chave_api',
    apiKey: '',
    siteUrl: initial?.siteUrl ?? '',
    signupUrl: initial?.signupUrl ?? '',
    feedUrl: initial?.feedUrl ?? '',
    couponValidityDays: String(initial?.couponValidityDays ?? 365),
    rewardAllowlist: (initial?.rewardAllowlist ?? []).join('\n'),
  })
  const { values, errors, bind } = form

  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    setSaved(null)
    form.setBusy(true)
    const newKey = values.apiKey.trim() !== ''
    const body: Record<string, unknown> = {
      credentialKind: values.credentialKind as SaveIntegrationBody['credentialKind'],
      siteUrl: values.siteUrl.trim(),
      signupUrl: blankToNull(values.signupUrl),
      feedUrl: blankToNull(values.feedUrl),
      couponValidityDays: numberOr(values.couponValidityDays, parseInteger, 365),
      rewardAllowlist: parseList(values.rewardAllowlist),
      awardingStatusIds: statuses ? [...selected] : (integration?.awardingStatusIds ?? []),
    }
    if (newKey) body.apiKey = values.apiKey.trim()
    try {
      const row = await endpoints.saveIntegration(programId, body)
      setIntegration(row)
      form.setValues((v) => ({ ...v, apiKey: '' }))
      if (newKey || !statuses) {
        const list = await loadStatuses(programId)
        const firstList = !statuses
        setStatuses(list)
        if (row.awardingStatusIds.length === 0) {
          const rec = selectedFrom(row, list)
          setSelected(rec)
          setPreselected(rec.size > 0)
        } else setSelected(new Set(row.awardingStatusIds))
        setSaved(firstList ? w().integration.savedStatuses : t.common.saved)
      } else {
        setPreselected(false)
        setSaved(t.common.saved)
      }
      setSyncKey((k) => k + 1)
    } catch (err) {
      form.setErrors(formErrors(err, FIELDS))
    } finally {
      form.setBusy(false)
    }
  }

  const toggleStatus = (id: number, on: boolean) => {
    setSelected((s) => {
      const next = new Set(s)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  }

  return (
    <>
      <form class="card" onSubmit={submit} noValidate aria-labelledby="form-title">
        <h2 id="form-title">{w().integration.formTitle}</h2>
        <ErrorSummary fields={errors.fields} general={errors.general} labels={LABELS} />
        {saved && <Notice kind="ok">{saved}</Notice>}

        <fieldset class="field">
          <legend>{w().integration.credentialKind}</legend>
          <p class="help" id="credentialKind-help">
            {w().integration.credentialKindHelp}
          </p>
          {(['chave_api', 'personal_token'] as const).map((k) => (
            <label class="radio" key={k}>
              <input
                type="radio"
                name="credentialKind"
                id={k === 'chave_api' ? 'credentialKind' : undefined}
                value={k}
                checked={values.credentialKind === k}
                aria-describedby="credentialKind-help"
                onChange={() => form.setValues((v) => ({ ...v, credentialKind: k }))}
              />{' '}
              {w().integration.kinds[k]}
            </label>
          ))}
          {errors.fields.credentialKind && (
            <p class="error" data-field-error="credentialKind">
              {errors.fields.credentialKind}
            </p>
          )}
        </fieldset>

        <Field
          id="apiKey"
          label={w().integration.apiKey}
          error={errors.fields.apiKey}
          help={
            <>
              {w().integration.apiKeyHelp(programName)}
              {integration && (
                <>
                  <br />
                  {w().integration.apiKeySaved(integration.apiKeyLast4)}
                  {integration.keyVerifiedAt &&
                    ` ${w().integration.apiKeyVerified(t.dateTime(integration.keyVerifiedAt))}`}
                </>
              )}
            </>
          }
        >
          {(p) => (
            <input
              {...p}
              {...bind('apiKey')}
              type="password"
              autoComplete="off"
              spellcheck={false}
              aria-required={!integration}
            />
          )}
        </Field>
        <Field
          id="siteUrl"
          label={w().integration.siteUrl}
          help={w().integration.siteUrlHelp}
          error={errors.fields.siteUrl}
        >
          {(p) => (
            <input
              {...p}
              {...bind('siteUrl')}
              type="url"
              inputMode="url"
              autoComplete="url"
              aria-required
              placeholder="https://"
            />
          )}
        </Field>
        <Field
          id="signupUrl"
          label={w().integration.signupUrl}
          help={w().integration.signupUrlHelp}
          error={errors.fields.signupUrl}
        >
          {(p) => <input {...p} {...bind('signupUrl')} type="url" inputMode="url" placeholder="https://" />}
        </Field>
        <Field
          id="feedUrl"
          label={w().integration.feedUrl}
          help={w().integration.feedUrlHelp}
          error={errors.fields.feedUrl}
          optional
        >
          {(p) => <input {...p} {...bind('feedUrl')} type="url" inputMode="url" placeholder="https://" />}
        </Field>
        <Field
          id="couponValidityDays"
          label={w().integration.couponValidityDays}
          help={w().integration.couponValidityDaysHelp}
          error={errors.fields.couponValidityDays}
        >
          {(p) => <input {...p} {...bind('couponValidityDays')} type="text" inputMode="numeric" class="short" />}
        </Field>
        <Field
          id="rewardAllowlist"
          label={w().integration.rewardAllowlist}
          help={w().integration.rewardAllowlistHelp}
          error={errors.fields.rewardAllowlist}
          optional
        >
          {(p) => <textarea {...p} {...bind('rewardAllowlist')} rows={3} spellcheck={false} />}
        </Field>

        <fieldset
          class={errors.fields.awardingStatusIds ? 'field invalid' : 'field'}
          aria-describedby="awardingStatusIds-help"
          data-statuses
        >
          <legend>{w().integration.statuses}</legend>
          <p class="help" id="awardingStatusIds-help">
            {w().integration.statusesHelp}
          </p>
          {!statuses && (
            <Notice kind="info">
              <span data-statuses-tip>{w().integration.statusesTip}</span>
            </Notice>
          )}
          {statuses && preselected && <p class="note">{w().integration.statusesPreselected}</p>}
          {statuses && (
            <ul class="checks" id="awardingStatusIds" tabIndex={-1}>
              {statuses.map((s) => (
                <li key={s.id}>
                  <label class="check">
                    <input
                      type="checkbox"
                      name="awardingStatusIds"
                      value={String(s.id)}
                      checked={selected.has(s.id)}
                      onChange={(e) => toggleStatus(s.id, (e.currentTarget as HTMLInputElement).checked)}
                    />{' '}
                    {s.name}
                    {s.recommended && <span class="badge ok">{w().integration.recommended}</span>}
                    {s.reverses && <span class="badge warn">{w().integration.reverses}</span>}
                  </label>
                </li>
              ))}
            </ul>
          )}
          {errors.fields.awardingStatusIds && (
            <p class="error" data-field-error="awardingStatusIds">
              {errors.fields.awardingStatusIds}
            </p>
          )}
        </fieldset>

        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.common.saving : w().integration.save}
        </button>
      </form>

      <Activation
        programId={programId}
        integration={integration}
        onChange={(i) => (setIntegration(i), setSyncKey((k) => k + 1))}
      />
      <SalesSource programId={programId} integration={integration} onChange={setIntegration} />
      {integration && <SyncHealth programId={programId} refreshKey={syncKey} />}
    </>
  )
}

/** The saved choice, or — before any choice — the statuses we recommend, for the merchant to confirm. */
function selectedFrom(integration: IntegrationView | null, statuses: StatusView[] | null): Set<number> {
  if (integration?.awardingStatusIds.length) return new Set(integration.awardingStatusIds)
  return new Set((statuses ?? []).filter((s) => s.recommended).map((s) => s.id))
}
