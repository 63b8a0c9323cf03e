import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { TierPreview, TierRulesView } from '../../shared/api/tiers.ts'
import { ErrorSummary, Field, Notice, Page, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, fieldMessage } from '../errors.ts'
import { t } from '../i18n.ts'
import {
  addTier,
  MAX_TIERS,
  MIN_TIERS,
  removeTier,
  TIER_FIELDS,
  tierKey,
  thresholdInCents,
  tiersBody,
  tiersToForm,
  type TiersForm,
} from '../tiers.ts'

const x = t.tiers

/** Mais > Configurações > Níveis VIP: 2 to 5 tiers, a preview of who lands where, and saving. */
export function TiersPage({ program }: { program: ProgramView }) {
  const rules = useLoad(() => endpoints.tiers(program.id), [program.id])
  // The active rewards a tier may give as its entry coupon.
  const rewards = useLoad(() => endpoints.rewards(program.id, { active: 'true', limit: '200' }), [program.id])
  return (
    <Page title={x.title} crumbs={[t.nav.more, t.nav.settings]} intro={x.intro}>
      <LoadState of={rules} />
      <LoadState of={rewards} />
      {rules.data && rewards.data && (
        <RulesForm
          program={program}
          initial={rules.data}
          rewards={rewards.data.items.map((r) => ({ id: r.id, title: r.title }))}
        />
      )}
    </Page>
  )
}

interface RewardOption {
  id: string
  title: string
}

function RulesForm({
  program,
  initial,
  rewards,
}: {
  program: ProgramView
  initial: TierRulesView
  rewards: RewardOption[]
}) {
  const form = useForm<TiersForm>(tiersToForm(initial, program.mode))
  const { values, errors } = form
  const [saved, setSaved] = useState<number | null>(null)
  // A big program's change is applied by a job: said until the page is opened again after it ran.
  const [queued, setQueued] = useState(initial.reevaluating)
  const [preview, setPreview] = useState<TierPreview | null>(null)
  const n = Number(values.count)
  const money = thresholdInCents(values.basis ?? 'spend', program.mode)
  const rewardInMoney = program.mode === 'cashback'
  // Every field the API may name, so each refusal lands next to its input.
  const shown = [
    'basis',
    'window',
    'tiers',
    ...Array.from({ length: n }, (_, i) => TIER_FIELDS.map((f) => tierKey(i, f))).flat(),
  ]
  const labels: Record<string, string> = { basis: x.basis, window: x.window, tiers: x.title }
  for (let i = 0; i < n; i++) for (const f of TIER_FIELDS) labels[tierKey(i, f)] = `${x.tier(i + 1)} · ${x[f]}`
  const own = Object.fromEntries(
    shown.map((k) => [k, { validation_failed: x.rowErrors[k.split('.').at(-1)!] ?? x.fields.tiers.validation_failed }]),
  )

  /**
   * form.run, keeping the API's whole dotted field (`tiers.1.threshold`): the shared mapping keeps
   * only its first segment, and each tier row has its own inputs.
   */
  const run = async (call: () => Promise<void>): Promise<boolean> => {
    form.clear()
    form.setBusy(true)
    try {
      await call()
      return true
    } catch (err) {
      const mine = err instanceof ApiError && err.status === 400 ? err.fields.filter((f) => shown.includes(f)) : []
      if (mine.length && err instanceof ApiError)
        form.setErrors({ fields: Object.fromEntries(mine.map((f) => [f, fieldMessage(err, own, f)])), general: null })
      else form.fail(err, shown, own)
      return false
    } finally {
      form.setBusy(false)
    }
  }
  const runPreview = async () => {
    setSaved(null)
    const ok = await run(async () =>
      setPreview(await endpoints.previewTiers(program.id, tiersBody(values, program.mode))),
    )
    if (!ok) setPreview(null)
  }
  const submit = async (e: Event) => {
    e.preventDefault()
    setSaved(null)
    await run(async () => {
      const res = await endpoints.saveTiers(program.id, tiersBody(values, program.mode))
      // Queued: `rules` are still the ones in force; the form keeps what the merchant saved.
      if (res.queued) return setQueued(true)
      form.setValues(tiersToForm(res.rules, program.mode))
      setQueued(false)
      setSaved(res.changed)
    })
  }

  return (
    <div class="split">
      <form class="card" onSubmit={submit} noValidate aria-label={x.title} data-tiers>
        <ErrorSummary fields={errors.fields} general={errors.general} labels={labels} />
        {saved !== null && <Notice kind="ok">{x.saved(saved)}</Notice>}
        {queued && <Notice kind="ok">{x.reevaluating}</Notice>}
        <fieldset class="field" id="basis">
          <legend>{x.basis}</legend>
          <p class="help">{x.basisHelp}</p>
          {(['spend', 'earned'] as const).map((k) => (
            <label class="radio" key={k}>
              <input
                type="radio"
                name="basis"
                value={k}
                checked={values.basis === k}
                onChange={() => form.setValues((v) => ({ ...v, basis: k }))}
              />{' '}
              {k === 'spend' ? x.bases.spend : program.mode === 'cashback' ? x.bases.earnedCashback : x.bases.earned}
            </label>
          ))}
        </fieldset>
        <fieldset class="field" id="window">
          <legend>{x.window}</legend>
          {(['lifetime', 'calendar_year', 'rolling_12m'] as const).map((k) => (
            <label class="radio" key={k}>
              <input
                type="radio"
                name="window"
                value={k}
                checked={values.window === k}
                onChange={() => form.setValues((v) => ({ ...v, window: k }))}
              />{' '}
              {x.windows[k]}
            </label>
          ))}
        </fieldset>
        {Array.from({ length: n }, (_, i) => (
          <fieldset class="field" key={i} data-tier-row={i}>
            <legend>{x.tier(i + 1)}</legend>
            <TierInput form={form} i={i} f="name" />
            <TierInput form={form} i={i} f="color" type="color" />
            <TierInput form={form} i={i} f="threshold" help={money ? x.thresholdHelpMoney : x.thresholdHelpPoints} />
            <TierInput form={form} i={i} f="multiplierPct" help={x.multiplierHelp} />
            <TierInput
              form={form}
              i={i}
              f="entryReward"
              help={rewardInMoney ? x.entryRewardHelpMoney : x.entryRewardHelpPoints}
            />
            <RewardSelect form={form} i={i} rewards={rewards} />
            {n > MIN_TIERS && (
              <button type="button" class="link" onClick={() => form.setValues((v) => removeTier(v, i))}>
                {x.remove(values[tierKey(i, 'name')] ?? '')}
              </button>
            )}
          </fieldset>
        ))}
        {n < MAX_TIERS && (
          <button type="button" class="secondary" onClick={() => form.setValues((v) => addTier(v))}>
            {x.add}
          </button>
        )}
        <button type="button" class="secondary" disabled={form.busy} onClick={() => void runPreview()}>
          {x.preview}
        </button>
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.common.saving : x.save}
        </button>
      </form>
      <section class="card" aria-labelledby="tier-preview-title">
        <h2 id="tier-preview-title">{x.previewTitle}</h2>
        <div aria-live="polite" data-tier-preview>
          {preview && (
            <ul>
              {preview.tiers.map((p) => (
                <li key={p.name}>{x.previewLine(p.name, p.members)}</li>
              ))}
              <li>{x.previewNone(preview.noTier)}</li>
            </ul>
          )}
        </div>
      </section>
    </div>
  )
}

function TierInput({
  form,
  i,
  f,
  help,
  type = 'text',
}: {
  form: ReturnType<typeof useForm<TiersForm>>
  i: number
  f: (typeof TIER_FIELDS)[number]
  help?: string
  type?: 'text' | 'color'
}) {
  const key = tierKey(i, f)
  return (
    <Field id={key} label={x[f]} help={help} error={form.errors.fields[key]}>
      {(p) =>
        type === 'color' ? (
          <input {...p} {...form.bind(key)} type="color" class="short" />
        ) : (
          <input
            {...p}
            {...form.bind(key)}
            type="text"
            inputMode={f === 'name' ? undefined : 'decimal'}
            class={f === 'name' ? undefined : 'short'}
          />
        )
      }
    </Field>
  )
}

/** The tier's entry coupon: none, or one of the program's active rewards (a saved one gone inactive stays listed). */
function RewardSelect({
  form,
  i,
  rewards,
}: {
  form: ReturnType<typeof useForm<TiersForm>>
  i: number
  rewards: RewardOption[]
}) {
  const key = tierKey(i, 'entryRewardId')
  const chosen = form.values[key] ?? ''
  const options =
    chosen && !rewards.some((r) => r.id === chosen) ? [...rewards, { id: chosen, title: x.unavailableReward }] : rewards
  return (
    <Field id={key} label={x.entryRewardId} help={x.entryRewardIdHelp} error={form.errors.fields[key]}>
      {(p) => (
        <select {...p} {...form.bind(key)}>
          <option value="">{x.noEntryCoupon}</option>
          {options.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}
