import { useState } from 'preact/hooks'
import type { WebhookDeliveryView, WebhookEndpointView } from '../../shared/api/webhooks.ts'
import { Notice } from '../components.tsx'
import { LoadMore, LoadState, Table, usePaged } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { messageFor } from '../errors.ts'
import { t } from '../i18n.ts'

const w = t.webhooks

/** An endpoint's delivery log, newest first, with "Reenviar" on each delivery. */
export function Deliveries({ programId, endpoint }: { programId: string; endpoint: WebhookEndpointView }) {
  const list = usePaged(
    (cursor) => endpoints.webhookDeliveries(programId, endpoint.id, cursor ? { cursor } : {}),
    [programId, endpoint.id],
  )
  const [rows, setRows] = useState<Record<number, WebhookDeliveryView>>({})
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const resend = async (d: WebhookDeliveryView) => {
    setNotice(null)
    try {
      const next = await endpoints.resendWebhookDelivery(programId, endpoint.id, d.id)
      setRows((r) => ({ ...r, [d.id]: next }))
      setNotice({ kind: 'ok', text: w.resent })
    } catch (err) {
      setNotice({ kind: 'error', text: messageFor(err) })
    }
  }
  const c = w.columns
  return (
    <div class="deliveries" data-webhook-deliveries>
      <h3>{w.deliveries}</h3>
      <LoadState of={list.first} />
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {list.first.data && list.items.length === 0 && <p class="note">{w.noDeliveries}</p>}
      {list.items.length > 0 && (
        <Table data="webhook-deliveries" columns={[c.when, c.event, c.status, c.code, c.attempts, c.next, c.action]}>
          {list.items.map((shown) => {
            const d = rows[shown.id] ?? shown
            return (
              <tr key={d.id} data-delivery={d.messageId}>
                <td>{t.dateTime(d.lastAttemptAt ?? d.createdAt)}</td>
                <td>
                  {w.eventNames[d.eventType] ?? d.eventType}
                  <br />
                  <code>{d.messageId}</code>
                </td>
                <td title={d.lastError ?? undefined}>{w.statuses[d.status] ?? d.status}</td>
                <td class="num">{d.responseStatus ?? t.common.none}</td>
                <td class="num">{t.number(d.attempts)}</td>
                <td>{d.nextAttemptAt ? t.dateTime(d.nextAttemptAt) : t.common.none}</td>
                <td>
                  <button type="button" class="secondary small" disabled={!endpoint.enabled} onClick={() => resend(d)}>
                    {w.resend}
                  </button>
                </td>
              </tr>
            )
          })}
        </Table>
      )}
      <LoadMore list={list} />
    </div>
  )
}
