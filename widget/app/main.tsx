import { render } from 'preact'
import type { AppContext } from '../loader.ts'
import { createApi } from './api.ts'
import { safeColours } from './contrast.ts'
import { Panel } from './panel.tsx'
import { resumer } from './session.ts'
import { createStore, StoreContext } from './state.ts'
import { css } from './styles.ts'
import type { WidgetConfig } from './types.ts'

/**
 * The app bundle's entry: the loader calls `mount` once the bundle has loaded, and again after
 * its destroy and init. Each mount has its own store (state.ts), so a new mount starts fresh.
 */
function mount(root: ShadowRoot, ctx: AppContext) {
  const config = ctx.config as unknown as WidgetConfig
  const store = createStore(createApi(ctx.base, ctx.programKey), ctx, config)
  const colours = safeColours(config.primaryColor, config.textColor)
  const style = document.createElement('style')
  style.textContent = css
  const holder = document.createElement('div')
  holder.style.setProperty('--c', colours.primary)
  holder.style.setProperty('--t', colours.text)
  root.append(style, holder)

  const close = () => {
    store.open.value = false
    ctx.launcher.setAttribute('aria-expanded', 'false')
    ctx.launcher.focus()
  }
  const App = () => (store.open.value ? <Panel onClose={close} /> : null)
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>,
    holder,
  )

  // A friend's referral code, in the link or kept from an earlier page (screens/offer.tsx); with
  // referrals off the offer's chunk and its request are not even loaded (the server says 404).
  try {
    if (
      config.referrals &&
      (location.search.includes('indicacao=') || localStorage.getItem(`fidelis:${ctx.programKey}:referral`))
    )
      void import('./screens/offer.tsx').then(
        (m) => m.start(store),
        () => undefined,
      )
  } catch {
    // storage refused: no kept code
  }
  const resume = resumer(store)
  return {
    open: () => {
      store.open.value = true
      ctx.launcher.setAttribute('aria-expanded', 'true')
      resume()
    },
    close,
    destroy: () => {
      render(null, holder)
      holder.remove()
      style.remove()
    },
  }
}

;(window as unknown as { Fidelis: { __app?: unknown } }).Fidelis.__app = { mount }
