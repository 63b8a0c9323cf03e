import type { InputHTMLAttributes, JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiError } from './api.ts'
import { messageFor } from './errors.ts'
import { t } from './i18n.ts'

/** Pieces shared by several screens. */

/**
 * The alert above a form: a message, or a failed call in words (errors.ts). A rate limit counts
 * its wait down to the second the API gave (retryAfter), then says the shopper may try again.
 */
export function ErrorBox({ error }: { error: unknown }) {
  const [, tick] = useState(0)
  const retryAt = error instanceof ApiError ? error.retryAt : null
  useEffect(() => {
    if (retryAt === null) return
    const id = setInterval(() => {
      tick((n) => n + 1)
      if (Date.now() >= retryAt) clearInterval(id)
    }, 1000)
    return () => clearInterval(id)
  }, [retryAt])
  if (!error) return null
  return (
    <p class="err" role="alert">
      {typeof error === 'string' ? error : messageFor(error)}
    </p>
  )
}

/** A labelled input with its rule under it when refused (tied by aria-describedby). */
export function Field({
  label,
  id,
  error,
  ...input
}: { label: string; id: string; error?: string | undefined } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <>
      <label>
        {label}
        <input
          id={id}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-e` : undefined}
          {...input}
        />
      </label>
      {error && (
        <p class="fe" id={`${id}-e`}>
          {error}
        </p>
      )}
    </>
  )
}

/**
 * "R$ 10,00 de desconto · Pedido mínimo de R$ 100,00"; the benefit is left out when the title
 * already says it (a reward called "Frete grátis" read "Frete grátis — Frete grátis").
 */
export function conditions(r: { title: string; benefit: string; minimumOrderCents: number | null }): string {
  const parts = r.title.toLowerCase().includes(r.benefit.toLowerCase()) ? [] : [r.benefit]
  if (r.minimumOrderCents) parts.push(t.minimumOrder(t.money(r.minimumOrderCents)))
  return parts.join(' · ')
}

/**
 * A coupon's name and one-line note, on the redemption result and in the Cupons tab: a product
 * reward's coupon reads as the product ("Ganhe Almofada Linho"), not as a cash discount.
 */
export const couponName = (c: { rewardKind: string; title: string }) =>
  c.rewardKind === 'product' ? t.productTitle(c.title) : c.title
export const couponNote = (c: {
  rewardKind: string
  title: string
  benefit: string
  minimumOrderCents: number | null
}) => (c.rewardKind === 'product' ? t.productNote : conditions(c))

/**
 * The code as text in a monospace box, never cut: it wraps before it would overflow (an input
 * scrolled it out of sight, and "Código copiado!" beside it squeezed it further). A tap selects
 * all of it (user-select: all) where the clipboard is refused; the confirmation has its own line.
 */
export function Code({ code }: { code: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="cp">
      <span class="muted">{t.couponCode}</span>
      <p class="code" data-code translate={false}>
        {code}
      </p>
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
      <p class="muted" aria-live="polite">
        {copied ? t.copied : ''}
      </p>
    </div>
  )
}

/**
 * Screens a shopper opens rarely ("Meus dados") or only in some programs (spending an amount) are
 * chunks of their own, fetched on the first visit, so what every shopper downloads on the first
 * click stays within the 20 KB budget (server/widget-assets/build.ts). A failed fetch shows the
 * network error and is tried again on the next visit; `quiet` shows nothing instead (a part of a
 * screen the rest does not need, like the "Indique e ganhe" entry).
 */
export function lazyScreen<P extends object>(load: () => Promise<(props: P) => JSX.Element | null>, quiet = false) {
  let loading: Promise<(props: P) => JSX.Element | null> | null = null
  return function Lazy(props: P) {
    const [screen, setScreen] = useState<{ C: (props: P) => JSX.Element | null } | null>(null)
    const [error, setError] = useState<unknown>(null)
    useEffect(() => {
      ;(loading ??= load()).then(
        (C) => setScreen({ C }),
        (err) => {
          loading = null
          setError(err)
        },
      )
    }, [])
    return screen ? <screen.C {...props} /> : quiet ? null : <ErrorBox error={error} />
  }
}
