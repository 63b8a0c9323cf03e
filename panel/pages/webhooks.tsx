import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { WebhookEndpointView, WebhookEventType } from '../../shared/api/webhooks.ts'
import { ConfirmDialog, ErrorSummary, Field, Notice, Page, Switch, useForm } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { Deliveries } from './webhook-deliveries.tsx'

const w = t.webhooks
/** Every event type, in the order merchants read them (a Record: a new type fails the typecheck here). */
const ALL_EVENTS: Record<WebhookEventType, true> = {
  'member.joined': true,
  'points.earned': true,
  'points.reversed': true,
  'reward.redeemed': true,
  'coupon.issued': true,
  'coupon.used': true,
  'points.expiring': true,
  'member.erased': true,
  'tier.changed': true,
  'referral.credited': true,
}
const EVENTS = Object.keys(ALL_EVENTS) as WebhookEventType[]
const LABELS: Record<string, string> = { url: w.url, events: w.events }

/** Mais > Configurações > Integração > Webhooks: the program's endpoints, their secrets and delivery logs. */
export function WebhooksPage({ program }: { program: ProgramView }) {
  const list = useLoad(() => endpoints.webhooks(program.id).then((r) => r.items), [program.id])
  const [secret, setSecret] = useState<string | null>(null)
  const replace = (e: WebhookEndpointView) => list.set((list.data ?? []).map((x) => (x.id === e.id ? e : x)))
  return (
    <Page title={w.title} crumbs={[t.nav.more, t.nav.settings, t.nav.integration]} intro={w.intro} wide>
      {secret && <SecretNotice secret={secret} onDone={() => setSecret(null)} />}
      <LoadState of={list} />
      {list.data?.length === 0 && <p class="note">{w.empty}</p>}
      {list.data?.map((e) => (
        <EndpointCard
          key={e.id}
          programId={program.id}
          endpoint={e}
          onChange={replace}
          onSecret={setSecret}
          onRemoved={() => list.set((list.data ?? []).filter((x) => x.id !== e.id))}
        />
      ))}
      <AddForm
        programId={program.id}
        onAdded={(e, s) => {
          list.set([...(list.data ?? []), e])
          setSecret(s)
        }}
      />
    </Page>
  )
}

function SecretNotice({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div class="card" data-webhook-secret>
      <Notice kind="warn">
        <strong>{w.secretTitle}</strong> {w.secretBody}
      </Notice>
      <Field id="webhook-secret" label={w.secretLabel}>
        {(p) => <input {...p} type="text" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />}
      </Field>
      <button type="button" class="secondary" onClick={onDone}>
        {w.secretDone}
      </button>
    </div>
  )
}

function EventChecks({
  id,
  chosen,
  onToggle,
  error,
}: {
  id: string
  chosen: Set<string>
  onToggle: (ev: string, on: boolean) => void
  error?: string | undefined
}) {
  return (
    <fieldset class={error ? 'field invalid' : 'field'} aria-describedby={`${id}-help`}>
      <legend>{w.events}</legend>
      <p class="help" id={`${id}-help`}>
        {w.eventsHelp}
      </p>
      <ul class="checks" id={id} tabIndex={-1}>
        {EVENTS.map((ev) => (
          <li key={ev}>
            <label class="check">
              <input
                type="checkbox"
                value={ev}
                checked={chosen.has(ev)}
                onChange={(e) => onToggle(ev, (e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              {w.eventNames[ev]} <code>{ev}</code>
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p class="error" data-field-error="events">
          {error}
        </p>
      )}
    </fieldset>
  )
}

const toggled = (s: Set<string>, ev: string, on: boolean) => {
  const next = new Set(s)
  if (on) next.add(ev)
  else next.delete(ev)
  return next
}

function AddForm({
  programId,
  onAdded,
}: {
  programId: string
  onAdded: (e: WebhookEndpointView, secret: string) => void
}) {
  const form = useForm({ url: '' })
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const submit = async (e: Event) => {
    e.preventDefault()
    await form.run(['url', 'events'], async () => {
      const res = await endpoints.createWebhook(programId, { url: form.values.url.trim(), events: [...chosen] })
      form.setValues({ url: '' })
      setChosen(new Set())
      onAdded(res.endpoint, res.secret)
    })
  }
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="webhook-add-title" data-webhook-add>
      <h2 id="webhook-add-title">{w.addTitle}</h2>
      <ErrorSummary fields={form.errors.fields} general={form.errors.general} labels={LABELS} />
      <Field id="url" label={w.url} help={w.urlHelp} error={form.errors.fields.url}>
        {(p) => <input {...p} {...form.bind('url')} type="url" inputMode="url" placeholder="https://" />}
      </Field>
      <EventChecks
        id="events"
        chosen={chosen}
        onToggle={(ev, on) => setChosen((s) => toggled(s, ev, on))}
        error={form.errors.fields.events}
      />
      <button type="submit" class="primary" disabled={form.busy}>
        {form.busy ? w.adding : w.add}
      </button>
    </form>
  )
}

function EndpointCard({
  programId,
  endpoint: e,
  onChange,
  onSecret,
  onRemoved,
}: {
  programId: string
  endpoint: WebhookEndpointView
  onChange: (e: WebhookEndpointView) => void
  onSecret: (s: string) => void
  onRemoved: () => void
}) {
  const form = useForm({})
  const [chosen, setChosen] = useState<Set<string>>(new Set(e.events))
  const [confirm, setConfirm] = useState<'rotate' | 'remove' | null>(null)
  const [dialogError, setDialogError] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [saved, setSaved] = useState(false)
  const save = (body: { events?: string[]; enabled?: boolean }) =>
    form.run(['events', 'enabled'], async () => onChange(await endpoints.updateWebhook(programId, e.id, body)))
  const act = async () => {
    setDialogError(null)
    try {
      if (confirm === 'rotate') {
        const res = await endpoints.rotateWebhookSecret(programId, e.id)
        onChange(res.endpoint)
        onSecret(res.secret)
      } else if (confirm === 'remove') {
        await endpoints.deleteWebhook(programId, e.id)
        onRemoved()
      }
      setConfirm(null)
    } catch (err) {
      setDialogError(messageFor(err))
    }
  }
  return (
    <section class="card" aria-label={e.url} data-webhook={e.url}>
      <h2 class="break">{e.url}</h2>
      <ErrorSummary fields={form.errors.fields} general={form.errors.general} labels={LABELS} />
      {saved && <Notice kind="ok">{t.common.saved}</Notice>}
      {e.disabledReason === 'failing' && e.disabledAt && (
        <Notice kind="warn">{w.disabledFailing(t.dateTime(e.disabledAt))}</Notice>
      )}
      {e.enabled && e.failingSince && <Notice kind="warn">{w.failingSince(t.dateTime(e.failingSince))}</Notice>}
      {e.previousSecretExpiresAt && <p class="note">{w.overlap(t.dateTime(e.previousSecretExpiresAt))}</p>}
      <Switch
        id={`enabled-${e.id}`}
        label={w.enabled}
        checked={e.enabled}
        disabled={form.busy}
        onChange={(on) => void save({ enabled: on })}
      />
      <EventChecks
        id={`events-${e.id}`}
        chosen={chosen}
        onToggle={(ev, on) => setChosen((s) => toggled(s, ev, on))}
        error={form.errors.fields.events}
      />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={form.busy}
          onClick={async () => setSaved(await save({ events: EVENTS.filter((ev) => chosen.has(ev)) }))}
        >
          {w.save}
        </button>
        <button type="button" class="secondary" onClick={() => setConfirm('rotate')}>
          {w.rotate}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? w.hideDeliveries : w.showDeliveries}
        </button>
        <button type="button" class="secondary" onClick={() => setConfirm('remove')}>
          {w.remove}
        </button>
      </div>
      {open && <Deliveries programId={programId} endpoint={e} />}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'rotate' ? w.rotateTitle : w.removeTitle}
        body={[confirm === 'rotate' ? w.rotateBody : w.removeBody]}
        confirm={confirm === 'rotate' ? w.rotate : w.remove}
        cancel={t.common.cancel}
        error={dialogError}
        onConfirm={act}
        onCancel={() => setConfirm(null)}
      />
    </section>
  )
}
