import { useState } from 'preact/hooks'
import type { IntegrationView } from '../../shared/api/integrations.ts'
import { Notice, Switch } from '../components.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, messageFor } from '../errors.ts'
import { modeWords } from '../i18n/mode-words.ts'
import { currentProgram } from '../state.ts'

/** Integration and sync texts in the program's own words (points or cashback). */
const w = () => modeWords(currentProgram())

/** The integration page's sales source card: LI's sales registration or the ERP endpoint, not both. */
export function SalesSource({
  programId,
  integration,
  onChange,
}: {
  programId: string
  integration: IntegrationView | null
  onChange: (i: IntegrationView) => void
}) {
  // The switch shows the merchant's click at once; a refusal puts it back.
  const [pending, setPending] = useState<{ source: 'sales-registration' | 'erp-sales'; enabled: boolean } | null>(null)
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const toggle = async (source: 'sales-registration' | 'erp-sales', enabled: boolean) => {
    setPending({ source, enabled })
    setMessage(null)
    try {
      const row = await (source === 'sales-registration' ? endpoints.setSalesRegistration : endpoints.setErpSales)(
        programId,
        { enabled },
      )
      onChange(row)
      if (source === 'sales-registration')
        setMessage({ kind: 'ok', text: enabled ? w().integration.salesOn : w().integration.salesOff })
    } catch (err) {
      const refused = err instanceof ApiError && err.status === 409
      setMessage({
        kind: 'error',
        text: refused
          ? source === 'sales-registration'
            ? w().integration.refusedSalesWhileErp
            : w().integration.refusedErpWhileSales
          : messageFor(err),
      })
    } finally {
      setPending(null)
    }
  }
  const state = (source: 'sales-registration' | 'erp-sales', saved: boolean | undefined) =>
    pending?.source === source ? pending.enabled : (saved ?? false)
  return (
    <section class="card" aria-labelledby="sales-title">
      <h2 id="sales-title">{w().integration.salesTitle}</h2>
      {!integration && <p class="help">{w().integration.salesNeedIntegration}</p>}
      <Switch
        id="salesRegistration"
        label={w().integration.salesRegistration}
        help={w().integration.salesRegistrationHelp}
        checked={state('sales-registration', integration?.salesRegistration)}
        disabled={!integration || (!!pending && pending.source !== 'sales-registration')}
        onChange={(on) => void toggle('sales-registration', on)}
      />
      <Switch
        id="erpSales"
        label={w().integration.erpSales}
        help={w().integration.erpSalesHelp}
        checked={state('erp-sales', integration?.erpSales)}
        disabled={!integration || (!!pending && pending.source !== 'erp-sales')}
        onChange={(on) => void toggle('erp-sales', on)}
      />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
    </section>
  )
}
