/**
 * widget.js — the only file a store includes:
 *   <script async src="https://<server>/widget.js" data-program="<programKey>"></script>
 * Tiny on purpose (budget: 3 KB gzip). It defines one global, `window.Fidelis`, replays calls
 * queued before it loaded, fetches the program's config, draws the launcher inside a shadow root
 * and loads the app bundle only on idle or on the first click.
 */
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
  [k: string]: unknown
}

;(() => {
  const w = window as unknown as { Fidelis?: { q?: Call[]; __loaded?: boolean; __app?: AppModule } & Record<string, unknown> }
  const previous = w.Fidelis
  if (previous && previous.__loaded) return // included twice: the first copy stays in charge
  const script = document.currentScript as HTMLScriptElement | null
  if (!script) return
  const programKey = script.getAttribute('data-program') || ''
  const position: 'left' | 'right' = script.getAttribute('data-position') === 'left' ? 'left' : 'right'
  const base = new URL(script.src, location.href).origin

  let host: HTMLElement | null = null
  let app: AppHandle | null = null
  let loading: Promise<AppHandle> | null = null
  let config: LoaderConfig | null = null
  let launcher: HTMLButtonElement | null = null
  let wantOpen = false

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
      host = app = launcher = null
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
            if (!mod || !host?.shadowRoot || !config || !launcher) return reject(new Error('fidelis app failed to load'))
            app = mod.mount(host.shadowRoot, { base, programKey, position, config, launcher })
            resolve(app)
          })
        // After destroy and init the bundle is already here: mount it again (each mount starts fresh).
        if ((w.Fidelis as { __app?: AppModule }).__app) return mount()
        const s = document.createElement('script')
        s.src = `${base}/widget/${__APP_FILE__}`
        s.async = true
        s.onload = mount
        s.onerror = () => {
          loading = null
          reject(new Error('fidelis app failed to load'))
        }
        document.head.appendChild(s)
      })
    }
    return loading
  }

  function draw(cfg: LoaderConfig) {
    host = document.createElement('div')
    host.setAttribute('data-fidelis', '')
    // The host only positions; everything visible lives in the shadow root, away from page CSS.
    host.style.cssText = `all:initial;position:fixed;z-index:2147483000;bottom:0;${position}:0;width:0;height:0`
    const root = host.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    style.textContent =
      `:host{all:initial}.l{position:fixed;bottom:20px;${position}:20px;display:flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:12px 18px;` +
      `font:600 15px/1.2 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);` +
      `background:var(--c);color:var(--t)}.l:focus-visible{outline:3px solid #1a73e8;outline-offset:3px}.b{background:var(--t);color:var(--c);border-radius:999px;padding:2px 8px;font-size:13px}` +
      `.b:empty{display:none}`
    launcher = document.createElement('button')
    launcher.className = 'l'
    launcher.type = 'button'
    launcher.setAttribute('aria-haspopup', 'dialog')
    launcher.style.setProperty('--c', cfg.primaryColor)
    launcher.style.setProperty('--t', cfg.textColor)
    const label = document.createElement('span')
    label.textContent = cfg.name
    const badge = document.createElement('span')
    badge.className = 'b'
    badge.setAttribute('data-badge', '')
    launcher.append(label, badge)
    launcher.addEventListener('click', () => void ensureApp().then((a) => a.open()))
    root.append(style, launcher)
    document.body.appendChild(host)
    // Warm the app up when the browser has nothing better to do.
    const idle = (window as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => void }).requestIdleCallback
    if (idle) idle(() => void ensureApp().catch(() => undefined), { timeout: 4000 })
    if (wantOpen) void ensureApp().then((a) => a.open())
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
