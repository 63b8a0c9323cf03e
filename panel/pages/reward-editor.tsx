import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { RewardView } from '../../shared/api/rewards.ts'
import { ErrorSummary, Field, Link, Notice, Page, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { formErrors } from '../errors.ts'
import { t } from '../i18n.ts'
import {
  emptyRewardForm,
  rewardBody,
  rewardFields,
  rewardToForm,
  type RewardForm,
  type RewardKind,
} from '../rewards.ts'
import { navigate } from '../state.ts'

const KINDS: RewardKind[] = ['fixed_discount', 'percent_discount', 'free_shipping', 'product']

const LABELS: Record<keyof RewardForm, string> = {
  kind: t.rewards.kind,
  title: t.rewards.titleField,
  description: t.rewards.description,
  imageUrl: t.rewards.imageUrl,
  pointsCost: t.rewards.pointsCost,
  valueCents: t.rewards.valueCents,
  percent: t.rewards.percent,
  priceCents: t.rewards.priceCents,
  link: t.rewards.link,
  minimumOrderCents: t.rewards.minimumOrderCents,
  totalStock: t.rewards.totalStock,
  perMemberLimit: t.rewards.perMemberLimit,
}

const HELP: Partial<Record<keyof RewardForm, string>> = {
  title: t.rewards.titleHelp,
  description: t.rewards.descriptionHelp,
  imageUrl: t.rewards.imageUrlHelp,
  pointsCost: t.rewards.pointsCostHelp,
  valueCents: t.rewards.valueCentsHelp,
  percent: t.rewards.percentHelp,
  priceCents: t.rewards.priceCentsHelp,
  link: t.rewards.linkHelp,
  minimumOrderCents: t.rewards.minimumOrderCentsHelp,
  totalStock: t.rewards.totalStockHelp,
  perMemberLimit: t.rewards.perMemberLimitHelp,
}

const OPTIONAL = new Set<keyof RewardForm>([
  'description',
  'imageUrl',
  'priceCents',
  'link',
  'minimumOrderCents',
  'totalStock',
  'perMemberLimit',
])

/** Create (no id) or edit a reward; feed products only take what the feed does not own. */
export function RewardPage({ program, rewardId }: { program: ProgramView; rewardId: string | null }) {
  const loaded = useLoad(
    () => (rewardId ? endpoints.reward(program.id, rewardId) : Promise.resolve(null)),
    [program.id, rewardId],
  )
  const title = rewardId ? t.rewards.editTitle : t.rewards.newTitle
  return (
    <Page title={title} crumbs={[t.rewards.title]}>
      <LoadState of={loaded} />
      {!loaded.loading && !loaded.error && (
        <RewardEditor key={rewardId ?? 'new'} program={program} reward={loaded.data} />
      )}
    </Page>
  )
}

function RewardEditor({ program, reward }: { program: ProgramView; reward: RewardView | null }) {
  const [current, setCurrent] = useState(reward)
  const form = useForm<Record<keyof RewardForm, string>>(reward ? rewardToForm(reward) : emptyRewardForm())
  const [saved, setSaved] = useState(false)
  const source = current?.source ?? 'manual'
  const kind = form.values.kind as RewardKind
  const fields = rewardFields(kind, source)
  const { errors, bind } = form

  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    setSaved(false)
    form.setBusy(true)
    try {
      const body = rewardBody(form.values as unknown as RewardForm, source, !current)
      if (current) {
        const r = await endpoints.updateReward(program.id, current.id, body)
        setCurrent(r)
        setSaved(true)
      } else {
        const r = await endpoints.createReward(program.id, body)
        navigate({ name: 'reward', id: r.id }, { replace: true, flash: t.rewards.created })
      }
    } catch (err) {
      form.setErrors(formErrors(err, ['kind', ...fields]))
    } finally {
      form.setBusy(false)
    }
  }

  return (
    <form class="card narrow" onSubmit={submit} noValidate aria-label={current?.title ?? t.rewards.newTitle}>
      <ErrorSummary fields={errors.fields} general={errors.general} labels={LABELS} />
      {saved && <Notice kind="ok">{t.common.saved}</Notice>}
      {current?.source === 'feed' && (
        <Notice kind="info">
          <strong>{current.title}</strong> — {t.rewards.feedOwned}
        </Notice>
      )}
      <Field id="kind" label={t.rewards.kind} help={t.rewards.kindHelp} error={errors.fields.kind}>
        {(p) => (
          <select {...p} {...bind('kind')} onChange={bind('kind').onInput} disabled={!!current}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t.rewards.kinds[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {fields.map((f) => (
        <Field key={f} id={f} label={LABELS[f]} help={HELP[f]} error={errors.fields[f]} optional={OPTIONAL.has(f)}>
          {(p) =>
            f === 'description' ? (
              <textarea {...p} {...bind(f)} rows={3} />
            ) : (
              <input
                {...p}
                {...bind(f)}
                type="text"
                inputMode={
                  f === 'imageUrl' || f === 'link'
                    ? 'url'
                    : f.endsWith('Cents')
                      ? 'decimal'
                      : f === 'title'
                        ? 'text'
                        : 'numeric'
                }
                class={f === 'title' || f === 'imageUrl' || f === 'link' ? undefined : 'short'}
                aria-required={!OPTIONAL.has(f)}
              />
            )
          }
        </Field>
      ))}
      <div class="actions">
        <Link to={{ name: 'rewards', tab: source, q: '' }} class="button secondary">
          {t.common.back}
        </Link>
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.common.saving : current ? t.common.save : t.rewards.create}
        </button>
      </div>
    </form>
  )
}
