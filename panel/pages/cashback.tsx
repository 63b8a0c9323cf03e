import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import { cashbackBody, cashbackExample, cashbackToForm, type CashbackForm } from '../cashback.ts'
import { ErrorSummary, Field, Notice, Page, Switch, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { t } from '../i18n.ts'
import { saoPauloToday } from '../points.ts'

const c = t.cashback
const FIELDS = [
  'percentBp',
  'minimumOrderCents',
  'pendingDays',
  'validityDays',
  'earnOnProgramCouponOrders',
  'maxOrderSharePct',
  'minRedemptionCents',
  'maxRedemptionCents',
] as const
const LABELS: Record<string, string> = {
  percentBp: c.percentBp,
  minimumOrderCents: c.minimumOrderCents,
  pendingDays: c.pendingDays,
  validityDays: c.validityDays,
  earnOnProgramCouponOrders: c.earnOnProgramCouponOrders,
  maxOrderSharePct: c.maxOrderSharePct,
  minRedemptionCents: c.minRedemptionCents,
  maxRedemptionCents: c.maxRedemptionCents,
}

/** Mais > Configurações > Regras de cashback (cashback programs): earning, using, and a live example. */
export function CashbackPage({ program }: { program: ProgramView }) {
  const rules = useLoad(() => endpoints.cashbackRules(program.id), [program.id])
  return (
    <Page title={c.title} crumbs={[t.nav.more, t.nav.settings]} intro={c.intro}>
      <LoadState of={rules} />
      {rules.data && (
        <RulesForm
          programId={program.id}
          initial={cashbackToForm(rules.data)}
          earnOnCoupon={rules.data.earnOnProgramCouponOrders}
        />
      )}
    </Page>
  )
}

/** A text input of the form, keyed by the API's field name (so a refusal lands here). */
function Input({
  form,
  name,
  help,
  mode = 'decimal',
}: {
  form: ReturnType<typeof useForm<CashbackForm>>
  name: Exclude<keyof CashbackForm, 'expires'>
  help?: string
  mode?: 'decimal' | 'numeric'
}) {
  return (
    <Field id={name} label={LABELS[name]!} help={help} error={form.errors.fields[name]}>
      {(p) => <input {...p} {...form.bind(name)} type="text" inputMode={mode} class="short" />}
    </Field>
  )
}

function RulesForm({
  programId,
  initial,
  earnOnCoupon,
}: {
  programId: string
  initial: CashbackForm
  earnOnCoupon: boolean
}) {
  const form = useForm(initial)
  const [earnOnProgramCoupon, setEarnOnProgramCoupon] = useState(earnOnCoupon)
  const [saved, setSaved] = useState(false)
  const { values, errors } = form
  const example = cashbackExample(values, saoPauloToday())

  const submit = async (e: Event) => {
    e.preventDefault()
    setSaved(false)
    const ok = await form.run(
      FIELDS,
      async () => {
        const next = await endpoints.updateCashbackRules(programId, cashbackBody(values, earnOnProgramCoupon))
        form.setValues(cashbackToForm(next))
        setEarnOnProgramCoupon(next.earnOnProgramCouponOrders)
      },
      c.fields,
    )
    setSaved(ok)
  }

  return (
    <div class="split">
      <form class="card" onSubmit={submit} noValidate aria-label={c.title} data-cashback-rules>
        <ErrorSummary fields={errors.fields} general={errors.general} labels={LABELS} />
        {saved && <Notice kind="ok">{t.common.saved}</Notice>}
        <h2>{c.earnTitle}</h2>
        <Input form={form} name="percentBp" help={c.percentBpHelp} />
        <Input form={form} name="minimumOrderCents" help={c.minimumOrderCentsHelp} />
        <Input form={form} name="pendingDays" help={c.pendingDaysHelp} mode="numeric" />
        <fieldset class={errors.fields.validityDays ? 'field invalid' : 'field'}>
          <legend>{c.validity}</legend>
          <p class="help" id="validity-help">
            {c.validityHelp}
          </p>
          {(['never', 'days'] as const).map((k) => (
            <label class="radio" key={k}>
              <input
                type="radio"
                name="expires"
                value={k}
                checked={values.expires === k}
                aria-describedby="validity-help"
                onChange={() => form.setValues((v) => ({ ...v, expires: k }))}
              />{' '}
              {k === 'never' ? c.never : c.after}
            </label>
          ))}
          {values.expires === 'days' && (
            <div class="nested">
              <label for="validityDays">{c.validityDays}</label>
              <input
                id="validityDays"
                {...form.bind('validityDays')}
                type="text"
                inputMode="numeric"
                class="tiny"
                aria-invalid={errors.fields.validityDays ? true : undefined}
                aria-describedby={errors.fields.validityDays ? 'validityDays-error' : undefined}
              />
            </div>
          )}
          {errors.fields.validityDays && (
            <p id="validityDays-error" class="error" data-field-error="validityDays">
              {errors.fields.validityDays}
            </p>
          )}
        </fieldset>
        <Switch
          id="earnOnProgramCouponOrders"
          label={c.earnOnProgramCouponOrders}
          help={c.earnOnProgramCouponOrdersHelp}
          checked={earnOnProgramCoupon}
          onChange={setEarnOnProgramCoupon}
        />
        <h2>{c.useTitle}</h2>
        <Input form={form} name="maxOrderSharePct" help={c.maxOrderSharePctHelp} mode="numeric" />
        <Input form={form} name="minRedemptionCents" help={c.minRedemptionCentsHelp} />
        <Input form={form} name="maxRedemptionCents" help={c.maxRedemptionCentsHelp} />
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.common.saving : c.save}
        </button>
      </form>
      <section class="card" aria-labelledby="example-title">
        <h2 id="example-title">{c.exampleTitle}</h2>
        {/* Recomputed on every keystroke; read out politely when it changes. */}
        <p class="example" aria-live="polite" data-cashback-example>
          {example
            ? c.example(example.orderCents, example.earnedCents, example.from, example.until, example.minimumOrderCents)
            : c.exampleIncomplete}
          {example?.minRedemptionCents && ` ${c.exampleMinimum(example.minRedemptionCents)}`}
        </p>
      </section>
    </div>
  )
}
