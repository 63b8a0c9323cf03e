/**
 * widget.js — the only file a store includes:
 *   <script async src="https://<server>/widget.js" data-program="<programKey>"></script>
 * Tiny on purpose (budget: 3 KB gzip). It defines one global, `window.Fidelis`, replays calls
 * queued before it loaded, fetches the program's config, draws the launcher inside a shadow root
 * and loads the app bundle only on idle or on the first click.
 *
 * Immune to the host page (issue 24, measured on real stores): the host element hangs off <html>,
 * not <body> (off-canvas themes put a transform on <body>, which makes `position: fixed` relative
 * to it); the launcher and the panel are popovers in the browser's top layer, above any z-index
 * (top bars and chat floats use the maximum); `:host { all: initial !important }` and px units
 * keep the page's CSS, resets with !important and html font sizes out. Where the Popover API is
 * missing, the same elements stay `position: fixed` at the highest z-index.
 */
import { type Box, liftFor, probePoints as probePointsOf, showOnTop } from './placement.ts'

declare const __APP_FILE__: string

type Call = [string, ...unknown[]]
interface AppHandle {
  open(): void
  close(): void
  destroy(): void
}
interface AppModule {
  mount(root: ShadowRoot, ctx: AppContext): AppHandle
}
export interface AppContext {
  base: string
  programKey: string
  position: 'left' | 'right'
  config: LoaderConfig
  /** The loader's launcher, so the app can badge it and return focus to it. */
  launcher: HTMLButtonElement
}
export interface LoaderConfig {
  name: string
  pointsName: string
  primaryColor: string
  textColor: string
  launcherCorner?: string
  launcherOffsetX?: number
  launcherOffsetY?: number
  [k: string]: unknown
}

/** The merchant's offset (px, 0–200), or the old default when the config has none. */
const px = (n: unknown) => (typeof n === 'number' && n >= 0 && n <= 200 ? n : 20)

;(() => {
  const w = window as unknown as {
    Fidelis?: { q?: Call[]; __loaded?: boolean; __app?: AppModule } & Record<string, unknown>
  }
  const previous = w.Fidelis
  if (previous && previous.__loaded) return // included twice: the first copy stays in charge
  const script = document.currentScript as HTMLScriptElement | null
  if (!script) return
  const programKey = script.getAttribute('data-program') || ''
  let position: 'left' | 'right' = 'right'
  const base = new URL(script.src, location.href).origin

  let host: HTMLElement | null = null
  let app: AppHandle | null = null
  let loading: Promise<AppHandle> | null = null
  let config: LoaderConfig | null = null
  let launcher: HTMLButtonElement | null = null
  let wantOpen = false
  let lift = 0
  let offsetY = 20
  let timer: ReturnType<typeof setTimeout> | undefined
  let watcher: MutationObserver | null = null

  const api = {
    __loaded: true,
    init,
    open() {
      wantOpen = true
      if (config) void ensureApp().then((a) => a.open())
    },
    close() {
      wantOpen = false
      app?.close()
    },
    destroy() {
      app?.destroy()
      host?.remove()
      watcher?.disconnect()
      removeEventListener('resize', later)
      host = app = launcher = watcher = null
      loading = null
    },
  }
  w.Fidelis = api as unknown as typeof w.Fidelis

  function ensureApp(): Promise<AppHandle> {
    if (!loading) {
      loading = new Promise<AppHandle>((resolve, reject) => {
        // Mounting waits for a task of its own: the app's evaluation and its first render in one
        // task would be a long task on a slow phone.
        const mount = () =>
          setTimeout(() => {
            const mod = (w.Fidelis as { __app?: AppModule }).__app
            if (!mod || !host?.shadowRoot || !config || !launcher)
              return reject(new Error('fidelis app failed to load'))
            app = mod.mount(host.shadowRoot, { base, programKey, position, config, launcher })
            resolve(app)
          })
        // After destroy and init the bundle is already here: mount it again (each mount starts fresh).
        if ((w.Fidelis as { __app?: AppModule }).__app) return mount()
        // An ES module, so its rarely used screens can be chunks fetched on demand. The URL is a
        // runtime string: esbuild leaves the import() to the browser.
        import(`${base}/widget/${__APP_FILE__}`).then(mount, () => {
          loading = null
          reject(new Error('fidelis app failed to load'))
        })
      })
    }
    return loading
  }

  function draw(cfg: LoaderConfig) {
    position = cfg.launcherCorner === 'bottom-left' ? 'left' : 'right'
    // A custom element name: the page's `div { … !important }` rules do not match it.
    host = document.createElement('fidelis-widget')
    host.setAttribute('data-fidelis', '')
    const root = host.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    // In the top layer the UA's [popover] style (inset:0, margin:auto, border, padding in em,
    // Canvas colours) applies first: every one of those is set here. --y is the merchant's offset
    // plus the lift past the page's floats.
    style.textContent =
      `:host{all:initial!important}.l{position:fixed;z-index:2147483647;inset:auto;${position}:var(--x);` +
      `bottom:var(--y);margin:0;overflow:visible;width:auto;height:auto;max-width:min(280px,calc(100vw - 16px));` +
      `display:flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:12px 18px;` +
      `font:600 15px/1.2 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;letter-spacing:normal;` +
      `text-transform:none;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);` +
      `background:var(--c);color:var(--t)}.l:focus-visible{outline:3px solid #1a73e8;outline-offset:3px}` +
      `.b{flex:none;background:var(--t);color:var(--c);border-radius:999px;padding:2px 8px;font-size:13px}` +
      // One line whatever the program's name: a long one is cut with an ellipsis (three lines
      // covered a phone); the text stays whole for screen readers, and in the title on hover.
      `.b:empty{display:none}.n{min-width:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}`
    launcher = document.createElement('button')
    launcher.className = 'l'
    launcher.type = 'button'
    launcher.popover = 'manual'
    launcher.setAttribute('aria-haspopup', 'dialog')
    launcher.style.setProperty('--c', cfg.primaryColor)
    launcher.style.setProperty('--t', cfg.textColor)
    launcher.style.setProperty('--x', px(cfg.launcherOffsetX) + 'px')
    offsetY = px(cfg.launcherOffsetY)
    launcher.style.setProperty('--y', offsetY + 'px')
    const label = document.createElement('span')
    label.className = 'n'
    label.textContent = launcher.title = cfg.name
    const badge = document.createElement('span')
    badge.className = 'b'
    badge.setAttribute('data-badge', '')
    launcher.append(label, badge)
    launcher.addEventListener('click', () => void ensureApp().then((a) => a.open()))
    root.append(style, launcher)
    document.documentElement.appendChild(host)
    showOnTop(launcher)
    place()
    // Chat floats arrive late (their own scripts) and phones rotate: look again then.
    addEventListener('resize', later)
    addEventListener('load', later)
    watcher = new MutationObserver(later)
    watcher.observe(document.body, { childList: true })
    // Warm the app up when the browser has nothing better to do.
    const idle = (window as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => void })
      .requestIdleCallback
    const warm = () => void ensureApp().catch(() => undefined)
    if (idle) idle(warm, { timeout: 4000 })
    // A friend arriving through a referral link: the app keeps the code for the store's next pages
    // and shows the offer (screens/offer.tsx). Browsers without requestIdleCallback (Safari) would
    // otherwise load it only on a click, and lose the code on the first page change.
    else if (location.search.includes('indicacao=')) setTimeout(warm, 500)
    if (wantOpen) void ensureApp().then((a) => a.open())
  }

  function later() {
    clearTimeout(timer)
    timer = setTimeout(place, 200)
  }

  /**
   * Lifts the launcher past fixed or sticky elements of the page in its spot (widget/placement.ts):
   * hit-tests the spot, walking up from each element found to the fixed or sticky box it sits in.
   */
  function place() {
    if (!launcher || !host) return
    const r = launcher.getBoundingClientRect()
    const spot: Box = { top: r.top + lift, bottom: r.bottom + lift, left: r.left, right: r.right }
    const probe = (b: Box) => {
      const found = new Set<Element>()
      // Elements already walked in this probe: their fixed box, if any, is already found.
      const seen = new Set<Element>()
      for (const [x, y] of probePointsOf(b))
        for (const el of document.elementsFromPoint(x, y)) {
          for (
            let e: Element | null = el;
            e && e !== host && e !== document.body && e !== document.documentElement && !seen.has(e);
            e = e.parentElement
          ) {
            seen.add(e)
            if (/fixed|sticky/.test(getComputedStyle(e).position)) {
              found.add(e)
              break
            }
          }
        }
      return [...found].map((e) => e.getBoundingClientRect())
    }
    lift = liftFor(spot, innerHeight, probe)
    launcher.style.setProperty('--y', offsetY + lift + 'px')
  }

  function init() {
    if (host || !programKey) return
    fetch(`${base}/v1/widget/${encodeURIComponent(programKey)}/config`, { credentials: 'omit' })
      .then((r) => (r.ok ? r.json() : null))
      .then((cfg: LoaderConfig | null) => {
        if (!cfg || host) return
        config = cfg
        const start = () => draw(cfg)
        if (document.body) start()
        else document.addEventListener('DOMContentLoaded', start, { once: true })
      })
      .catch(() => undefined) // the store's page must never see our failures
  }

  init()
  for (const [name, ...args] of previous?.q ?? []) {
    const fn = (api as unknown as Record<string, (...a: unknown[]) => void>)[name]
    if (typeof fn === 'function') fn(...args)
  }
})()
