import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import { amountBody, amountToForm, type AmountForm } from '../cashback.ts'
import { ErrorSummary, Field, Notice, Switch, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { parseCents } from '../forms.ts'
import { t } from '../i18n.ts'

const a = t.amountOption
const FIELDS = ['enabled', 'centsPerPoint', 'maxOrderSharePct', 'minRedemptionCents', 'maxRedemptionCents'] as const
const LABELS: Record<string, string> = {
  enabled: a.enabled,
  centsPerPoint: a.centsPerPoint,
  maxOrderSharePct: t.cashback.maxOrderSharePct,
  minRedemptionCents: t.cashback.minRedemptionCents,
  maxRedemptionCents: t.cashback.maxRedemptionCents,
}
const HELP: Record<string, string> = {
  centsPerPoint: a.centsPerPointHelp,
  maxOrderSharePct: t.cashback.maxOrderSharePctHelp,
  minRedemptionCents: t.cashback.minRedemptionCentsHelp,
  maxRedemptionCents: t.cashback.maxRedemptionCentsHelp,
}
/** The example balance: 1.000 points. */
const EXAMPLE_POINTS = 1000

/**
 * Pontos e campanhas > "Troca de pontos por qualquer valor": the option that lets shoppers turn
 * points into a coupon of a value they choose (points → reais at the merchant's rate), bounded like
 * cashback. Off by default; the widget then looks as it always did.
 */
export function AmountOptionCard({ program }: { program: ProgramView }) {
  const loaded = useLoad(() => endpoints.amountRedemption(program.id), [program.id])
  return (
    <>
      <LoadState of={loaded} />
      {loaded.data && (
        <AmountOptionForm program={program} initial={amountToForm(loaded.data)} enabled={loaded.data.enabled} />
      )}
    </>
  )
}

function AmountOptionForm({
  program,
  initial,
  enabled,
}: {
  program: ProgramView
  initial: AmountForm
  enabled: boolean
}) {
  const form = useForm(initial)
  const [on, setOn] = useState(enabled)
  const [saved, setSaved] = useState(false)
  const { values, errors, bind } = form
  const perPoint = parseCents(values.centsPerPoint)
  const submit = async (e: Event) => {
    e.preventDefault()
    setSaved(false)
    const ok = await form.run(
      FIELDS,
      async () => {
        const next = await endpoints.updateAmountRedemption(program.id, amountBody(values, on))
        form.setValues(amountToForm(next))
        setOn(next.enabled)
      },
      t.cashback.fields,
    )
    setSaved(ok)
  }
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="amount-title" data-amount-option>
      <h2 id="amount-title">{a.title}</h2>
      <p class="help">{a.intro}</p>
      <ErrorSummary fields={errors.fields} general={errors.general} labels={LABELS} />
      {saved && <Notice kind="ok">{t.common.saved}</Notice>}
      <Switch id="enabled" label={a.enabled} help={a.enabledHelp} checked={on} onChange={setOn} />
      {on &&
        (['centsPerPoint', 'maxOrderSharePct', 'minRedemptionCents', 'maxRedemptionCents'] as const).map((name) => (
          <Field key={name} id={name} label={LABELS[name]!} help={HELP[name]} error={errors.fields[name]}>
            {(p) => (
              <input
                {...p}
                {...bind(name)}
                type="text"
                inputMode={name === 'maxOrderSharePct' ? 'numeric' : 'decimal'}
                class="short"
              />
            )}
          </Field>
        ))}
      {on && perPoint !== null && perPoint > 0 && (
        <p class="example" aria-live="polite" data-amount-example>
          {a.example(t.points(EXAMPLE_POINTS, program.pointsName), EXAMPLE_POINTS * perPoint)}
        </p>
      )}
      <button type="submit" class="primary" disabled={form.busy}>
        {form.busy ? t.common.saving : a.save}
      </button>
    </form>
  )
}
