import { t } from './i18n.ts'
import type { Store, Tab } from './state.ts'

/** The badge on the loader's launcher: the balance when logged in (in reais for cashback), empty otherwise. */
function setBadge(store: Store, text: string) {
  const badge = store.ctx.launcher.querySelector('[data-badge]')
  if (badge) badge.textContent = text
}

/** Loads the member's page (balance, history, coupons) and badges the launcher with the balance. */
export async function loadMe(store: Store) {
  const me = (store.me.value = await store.api.me())
  setBadge(store, me.cashback ? t.money(me.balance) : t.number(me.balance))
}

/**
 * A returning shopper's session, resumed when they open the panel, not on every page view:
 * refresh tokens rotate, and a page left mid-refresh (shoppers click through stores fast) would
 * otherwise leave the next page holding an already-used token. Once per mount.
 */
export function resumer(store: Store) {
  let resumed = false
  return () => {
    if (resumed || store.me.value || !store.api.hasSession()) return
    resumed = true
    void store.api
      .refresh()
      .then((ok) => (ok ? loadMe(store).then(() => (store.screen.value = { name: 'me' })) : undefined))
      .catch(() => undefined)
  }
}

/** Back to the member's page on a tab, with fresh numbers (after a redemption, or cancelling one). */
export function backToMe(store: Store, to: Tab) {
  store.tab.value = to
  store.rewards.value = null
  store.screen.value = { name: 'me' }
  void loadMe(store).catch(() => undefined)
}

export async function logOut(store: Store) {
  await store.api.logout().catch(() => undefined)
  store.me.value = null
  store.rewards.value = null
  store.tab.value = 'history'
  setBadge(store, '')
  store.screen.value = { name: 'welcome' }
}

/**
 * The e-mail of a shopper sent to the store's sign-up page, kept for their way back: the e-mail
 * step starts with it. In this tab's sessionStorage on the store's origin, not in the sign-up
 * URL: a query string lands in the store's logs, its analytics and Referer headers, and the
 * sign-up page is not known to read it anyway.
 */
const emailKey = (store: Store) => `fidelis:${store.ctx.programKey}:email`
export function rememberEmail(store: Store, email: string | null) {
  try {
    if (email) sessionStorage.setItem(emailKey(store), email)
    else sessionStorage.removeItem(emailKey(store))
  } catch {
    // storage refused (private mode, sandbox): the shopper types it again
  }
}
export function rememberedEmail(store: Store): string {
  try {
    return sessionStorage.getItem(emailKey(store)) ?? ''
  } catch {
    return ''
  }
}
