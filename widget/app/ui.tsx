import { useState } from 'preact/hooks'
import { t } from './i18n.ts'

/** Pieces shared by several screens. */

export function ErrorBox({ message }: { message: string | null }) {
  return message ? (
    <p class="err" role="alert">
      {message}
    </p>
  ) : null
}

/** "R$ 10,00 de desconto · Pedido mínimo de R$ 100,00". */
export const conditions = (r: { benefit: string; minimumOrderCents: number | null }) =>
  r.benefit + (r.minimumOrderCents ? ` · ${t.minimumOrder(t.money(r.minimumOrderCents))}` : '')

/** The code in a read-only field (selectable by hand where the clipboard is refused) and a copy button. */
export function Code({ code }: { code: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="cp">
      <input class="code" readonly value={code} aria-label={t.code} onFocus={(e) => e.currentTarget.select()} />
      <button
        class="mini"
        type="button"
        onClick={() => {
          navigator.clipboard?.writeText(code).then(
            () => setCopied(true),
            () => undefined,
          )
        }}
      >
        {t.copy}
      </button>
      <span class="muted" aria-live="polite">
        {copied ? t.copied : ''}
      </span>
    </div>
  )
}
