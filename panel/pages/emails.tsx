import { useState } from 'preact/hooks'
import type { LifecycleEmailSettings } from '../../shared/api/emails.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { ErrorSummary, Notice, Page, Switch, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { t } from '../i18n.ts'

const FIELDS = ['enabled', 'disabledKinds'] as const
const LABELS: Record<string, string> = { enabled: t.emails.enabled, disabledKinds: t.emails.kinds }
type Kind = LifecycleEmailSettings['disabledKinds'][number]
/**
 * Every kind the API knows, in the order merchants read them (a Record, so a new kind fails the
 * typecheck here; type-only import keeps valibot out of the bundle).
 */
const ALL_KINDS: Record<Kind, true> = {
  welcome: true,
  points_earned: true,
  reward_redeemed: true,
  points_expiring: true,
  coupon_expiring: true,
}
const KINDS = Object.keys(ALL_KINDS) as Kind[]

/** Mais > Configurações > E-mails: the program's kill switch for lifecycle e-mails and each kind on or off. */
export function EmailsPage({ program }: { program: ProgramView }) {
  const settings = useLoad(() => endpoints.emailSettings(program.id), [program.id])
  return (
    <Page title={t.emails.title} crumbs={[t.nav.more, t.nav.settings]} intro={t.emails.intro}>
      <LoadState of={settings} />
      {settings.data && <EmailsForm programId={program.id} initial={settings.data} />}
    </Page>
  )
}

function EmailsForm({ programId, initial }: { programId: string; initial: LifecycleEmailSettings }) {
  const [enabled, setEnabled] = useState(initial.enabled)
  const [off, setOff] = useState<Set<Kind>>(new Set(initial.disabledKinds))
  // No text fields: the form state is the switches; useForm keeps the errors and the busy flag.
  const form = useForm({})
  const { errors, busy } = form
  const [saved, setSaved] = useState(false)

  const submit = async (e: Event) => {
    e.preventDefault()
    setSaved(false)
    const body: LifecycleEmailSettings = { enabled, disabledKinds: KINDS.filter((k) => off.has(k)) }
    const ok = await form.run(FIELDS, async () => {
      const next = await endpoints.updateEmailSettings(programId, body)
      setEnabled(next.enabled)
      setOff(new Set(next.disabledKinds))
    })
    setSaved(ok)
  }
  const toggle = (kind: Kind, on: boolean) =>
    setOff((s) => {
      const next = new Set(s)
      if (on) next.delete(kind)
      else next.add(kind)
      return next
    })

  return (
    <form class="card" onSubmit={submit} noValidate aria-label={t.emails.title} data-email-settings>
      <ErrorSummary fields={errors.fields} general={errors.general} labels={LABELS} />
      {saved && <Notice kind="ok">{t.common.saved}</Notice>}
      <Switch
        id="enabled"
        label={t.emails.enabled}
        help={t.emails.enabledHelp}
        checked={enabled}
        onChange={setEnabled}
      />
      {errors.fields.enabled && (
        <p class="error" data-field-error="enabled">
          {errors.fields.enabled}
        </p>
      )}
      <fieldset class={errors.fields.disabledKinds ? 'field invalid' : 'field'} aria-describedby="disabledKinds-help">
        <legend>{t.emails.kinds}</legend>
        <p class="help" id="disabledKinds-help">
          {t.emails.kindsHelp}
        </p>
        {!enabled && <p class="note">{t.emails.kindsOff}</p>}
        <ul class="checks single" id="disabledKinds" tabIndex={-1}>
          {KINDS.map((k) => (
            <li key={k}>
              <label class="check">
                <input
                  type="checkbox"
                  name="kinds"
                  value={k}
                  checked={!off.has(k)}
                  onChange={(e) => toggle(k, (e.currentTarget as HTMLInputElement).checked)}
                />{' '}
                {t.emails.kind[k]}
              </label>
            </li>
          ))}
        </ul>
        {errors.fields.disabledKinds && (
          <p class="error" data-field-error="disabledKinds">
            {errors.fields.disabledKinds}
          </p>
        )}
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t.common.saving : t.emails.save}
      </button>
    </form>
  )
}
