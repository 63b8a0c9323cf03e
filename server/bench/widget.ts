import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { launchBrowser } from '../../e2e/browser.ts'
import { createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { startRuntime } from '../runtime.ts'
import { testDatabase } from '../test/database.ts'
import { testConfig } from '../test/harness.ts'
import { buildWidget } from '../widget-assets/build.ts'

const RUNS = 7

/**
 * Sizes of the built widget, then in headless Chromium on a plain store page: the time from the
 * loader starting to run to the launcher being visible, and the main-thread script time the
 * widget adds before any interaction (the page's ScriptDuration with the widget minus without,
 * median of 7 loads each). Needs Debian's Chromium (/usr/bin/chromium).
 */
export async function run() {
  const built = await buildWidget()
  const database = await testDatabase()
  const runtime = await startRuntime(testConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { database })
  const merchant = await createMerchant(runtime.deps.db, {
    email: 'bench-widget@loja.test',
    password: 'benchmark password',
  })
  const program = await createProgram(runtime.deps.db, merchant.id, {
    name: 'Clube',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#0f5f57',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  const page = (withWidget: boolean) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>Loja</title></head><body><h1>Loja</h1>` +
    `<script>performance.mark('store-ready')</script>` +
    (withWidget ? `<script async src="${runtime.url}/widget.js" data-program="${program.programKey}"></script>` : '') +
    `</body></html>`
  const store = http.createServer((req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(page(req.url !== '/bare')),
  )
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', () => r()))
  const storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`
  // The store origin must be allowed to read the config (CORS): it is the program's extra origin.
  const login = await fetch(`${runtime.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench-widget@loja.test', password: 'benchmark password' }),
  })
  const { token } = (await login.json()) as { token: string }
  await fetch(`${runtime.url}/v1/programs/${program.id}/widget/origins`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ origins: [storeUrl] }),
  })

  const browser = await launchBrowser()
  const visible: number[] = []
  const mainThread: number[] = []
  const longest: number[] = []
  const longestCpu: number[] = []
  try {
    for (let i = 0; i < RUNS + 1; i++) {
      const scriptMs: Record<string, number> = {}
      for (const variant of ['bare', 'widget'] as const) {
        const context = await browser.newContext()
        const p = await context.newPage()
        const cdp = await context.newCDPSession(p)
        await cdp.send('Performance.enable')
        await p.goto(`${storeUrl}/${variant === 'bare' ? 'bare' : ''}`)
        if (variant === 'widget') {
          await p.locator('[data-fidelis]').locator('button').waitFor()
          const ms = await p.evaluate(() => {
            const loader = performance
              .getEntriesByType('resource')
              .find((e) => e.name.endsWith('/widget.js')) as PerformanceResourceTiming
            return performance.now() - loader.responseEnd
          })
          if (i > 0) visible.push(ms) // the first load warms the server's build and caches
        } else {
          await p.waitForLoadState('load')
        }
        await p.waitForTimeout(300)
        const { metrics } = (await cdp.send('Performance.getMetrics')) as {
          metrics: Array<{ name: string; value: number }>
        }
        scriptMs[variant] = (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0) * 1000
        await context.close()
      }
      if (i > 0) mainThread.push(Math.max(0, scriptMs.widget! - scriptMs.bare!))
      if (i > 0) {
        const task = await longestWidgetTask(browser, storeUrl, runtime.url!)
        longest.push(task.wall)
        longestCpu.push(task.cpu)
      }
    }
  } finally {
    await browser.close()
    store.close()
    await runtime.stop()
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  console.log(
    JSON.stringify({
      bench: 'widget',
      loader_gzip_bytes: built.loader.gzipBytes,
      app_gzip_bytes: built.app.gzipBytes,
      launcher_visible_ms: Math.round(median(visible) * 10) / 10,
      widget_main_thread_ms: Math.round(median(mainThread) * 10) / 10,
      // The longest main-thread task that ran our code (loader, config, then the lazy app on the
      // first click and the panel's first render); the issue asks for none above 50 ms.
      // Wall time, and the same task's CPU time (on a busy machine wall time includes waiting).
      longest_widget_task_ms: Math.round(median(longest) * 10) / 10,
      longest_widget_task_cpu_ms: Math.round(median(longestCpu) * 10) / 10,
    }),
  )
}

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  /** Thread (CPU) time of the event; `dur` is wall time, which includes being preempted. */
  tdur?: number
  pid: number
  tid: number
  args?: { data?: { url?: string; scriptName?: string } }
}

/**
 * Loads the store page, opens the widget (the first interaction loads the app) and waits for the
 * panel, under a Chromium trace; returns the longest top-level task (…RunTask) of the page's main
 * thread during which a script of the widget's origin was compiled or ran.
 */
async function longestWidgetTask(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  storeUrl: string,
  widgetOrigin: string,
): Promise<{ wall: number; cpu: number }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])))
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,v8', transferMode: 'ReportEvents' })
  await page.goto(storeUrl)
  const launcher = page.locator('[data-fidelis]').locator('button')
  await launcher.waitFor()
  await launcher.click()
  await page.getByRole('dialog').waitFor()
  await page.waitForTimeout(300)
  await cdp.send('Tracing.end')
  await done
  await context.close()
  const ours = events.filter((e) => {
    const url = e.args?.data?.url ?? e.args?.data?.scriptName ?? ''
    return (
      url.startsWith(widgetOrigin) &&
      ['EvaluateScript', 'FunctionCall', 'v8.compile', 'v8.run', 'TimerFire', 'EventDispatch'].includes(e.name)
    )
  })
  // Top-level tasks of the page during which a script of ours ran.
  const within = (task: TraceEvent, e: TraceEvent) =>
    e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts < task.ts + task.dur!
  const tasks = events.filter(
    (task) => task.name.endsWith('RunTask') && task.ph === 'X' && task.dur && ours.some((e) => within(task, e)),
  )
  // WIDGET_TRACE_DEBUG=1 prints each of them over 8 ms with what ran inside it (stderr).
  if (process.env.WIDGET_TRACE_DEBUG) {
    for (const task of tasks.filter((t) => t.dur! >= 8000)) {
      const inner = events.filter((e) => e !== task && e.ph === 'X' && (e.dur ?? 0) > 500 && within(task, e))
      console.error(
        `task ${(task.dur! / 1000).toFixed(1)}ms cpu ${((task.tdur ?? 0) / 1000).toFixed(1)}: ` +
          inner
            .map(
              (e) =>
                `${e.name}@${((e.ts - task.ts) / 1000).toFixed(1)}+${((e.dur ?? 0) / 1000).toFixed(1)}` +
                (e.args?.data?.url ? '(' + e.args.data.url.slice(-20) + ')' : ''),
            )
            .join(' '),
      )
    }
  }
  const max = Math.max(0, ...tasks.map((t) => t.dur! / 1000))
  const maxCpu = Math.max(0, ...tasks.map((t) => (t.tdur ?? t.dur!) / 1000))
  return { wall: max, cpu: maxCpu }
}
