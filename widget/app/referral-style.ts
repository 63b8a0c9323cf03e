import type { Store } from './state.ts'

/**
 * Adds a lazy chunk's own CSS to the widget's shadow root once (the first click's stylesheet,
 * styles.ts, carries none of it). `id` names the chunk's sheet.
 */
export function addStyle(store: Store, id: string, css: string) {
  const root = store.ctx.launcher.getRootNode() as ShadowRoot | Document
  if (root.querySelector(`style[data-s="${id}"]`)) return
  const style = document.createElement('style')
  style.setAttribute('data-s', id)
  style.textContent = css
  ;(root instanceof ShadowRoot ? root : document.head).append(style)
}
