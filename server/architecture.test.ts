import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

/**
 * The dependency rule (ARCHITECTURE.md), checked on the import graph of server/, shared/,
 * widget/ and panel/. A regex over `from '…'`, `import '…'` and `import('…')` is enough: every
 * relative import in the code base is written that way, with its extension.
 */

/**
 * Layers, bottom first. A file may import its own unit, or a unit of a lower layer; units of the
 * same layer never import each other. A unit is the longest prefix listed here that a path
 * starts with (a folder or one file).
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['shared'],
  ['widget'],
  // The panel draws the widget's launcher with the widget's own contrast helper.
  ['panel'],
  ['server/config'],
  ['server/lib'],
  ['server/db'],
  // pt-BR texts shoppers read (ledger reasons, coupon benefits, money).
  ['server/i18n'],
  ['server/jobs', 'server/auth', 'server/rate-limit'],
  // AppDeps: what features and workers get from the composing layer.
  ['server/deps.ts'],
  // The HTTP toolkit of route files (route(), AppEnv, client ip, headers); it imports no feature.
  ['server/http'],
  // The LI connector: client, wire types, conversions, request budget, queue names.
  ['server/loja-integrada'],
  ['server/programs', 'server/merchants'],
  // The event webhooks' outbox writer: every feature where an event happens writes through it.
  ['server/webhooks/outbox'],
  ['server/ledger'],
  ['server/points'],
  // Cashback programs and any-amount redemptions: rules both modes share (issue 18).
  ['server/cashback'],
  // VIP tiers (issue 19): below the orders and members that show and apply them.
  ['server/tiers'],
  ['server/email'],
  ['server/members'],
  ['server/orders'],
  ['server/integrations'],
  ['server/rewards'],
  ['server/redemptions'],
  // Event webhooks: endpoints, the outbox relay, signed deliveries.
  ['server/webhooks'],
  // Referrals (issue 19): reads orders and members through their services, creates coupons the
  // redemptions' way, credits through the ledger; the widget and the dashboard read it.
  ['server/referrals'],
  ['server/identity'],
  // The merchant's dashboard: a read model over orders, members, the ledger and redemptions.
  ['server/dashboard'],
  ['server/widget', 'server/widget-assets'],
  // LGPD rights and store offboarding: reads every feature's rows of a member, adds shopper routes to the widget's.
  ['server/privacy'],
  // Builds the panel with the widget's esbuild settings.
  ['server/panel-assets'],
  ['server/li-simulator'],
  // The composition: it may import every feature.
  ['server/maintenance.ts'],
  ['server/workers.ts'],
  ['server/app.ts'],
  ['server/runtime.ts'],
  // Entry points, tools and the tests of the whole server.
  [
    'server/main.ts',
    'server/cli',
    'server/demo',
    'server/bench',
    'server/test',
    'server/architecture.test.ts',
    'server/line-length.test.ts',
    'server/process.test.ts',
  ],
]

const ROOTS = ['server', 'shared', 'widget', 'panel']
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function walk(dir: string, out: string[]) {
  for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(p, out)
    } else if (/\.tsx?$/.test(entry.name)) out.push(p)
  }
}

const files: string[] = []
for (const r of ROOTS) if (fs.existsSync(path.join(repoRoot, r))) walk(r, files)

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm
/** file → relative imports resolved to repository paths. */
const graph = new Map<string, { spec: string; target: string }[]>()
for (const f of files) {
  const src = fs.readFileSync(path.join(repoRoot, f), 'utf8')
  const edges: { spec: string; target: string }[] = []
  for (const m of src.matchAll(IMPORT))
    edges.push({ spec: m[1]!, target: path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]!)) })
  graph.set(f, edges)
}

const unitOf = (f: string) => {
  let best: string | undefined
  for (const layer of LAYERS)
    for (const u of layer) if ((f === u || f.startsWith(`${u}/`)) && (!best || u.length > best.length)) best = u
  return best
}
const layerOf = (unit: string) => LAYERS.findIndex((l) => l.includes(unit))
/** The feature a file belongs to: its top folder under server/ (or the root folder outside it). */
const featureOf = (f: string) => {
  const parts = f.split('/')
  return parts[0] === 'server' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!
}
/** Tests, their helpers and the benchmarks (which reuse the test database templates and harness). */
const isTestCode = (f: string) =>
  /\.test\.tsx?$/.test(f) ||
  /(^|\/)(test-support|test-helpers)(\.ts|\/)/.test(f) ||
  f.startsWith('server/test/') ||
  f.startsWith('server/bench/')
const isRouteFile = (f: string) => /(^|\/)([a-z-]+-)?routes\.ts$/.test(f)
const isRepository = (f: string) => /\/repository(\.ts|\/)/.test(f)

const problems = (check: (from: string, spec: string, to: string) => string | undefined) => {
  const out: string[] = []
  for (const [from, edges] of graph) {
    for (const { spec, target } of edges) {
      const why = check(from, spec, target)
      if (why) out.push(`${from}: import '${spec}' — ${why}`)
    }
  }
  return out
}

test('every file is in a layer', () => {
  assert.deepEqual(
    files.filter((f) => !unitOf(f)),
    [],
    'add the new folder to LAYERS (server/architecture.test.ts) and ARCHITECTURE.md',
  )
})

test('imports go down the layers only', () => {
  // Tests and test helpers are exempt: a ledger test creates its members and programs through
  // their services and runs against the harness, which composes the whole app.
  const found = problems((from, _spec, to) => {
    if (isTestCode(from) || to.startsWith('node_modules/')) return undefined
    const a = unitOf(from)
    const b = unitOf(to)
    if (!a || !b || a === b) return undefined
    if (isTestCode(to)) return 'non-test code imports test code'
    return layerOf(b) < layerOf(a) ? undefined : `${a} (layer ${layerOf(a)}) may not import ${b} (layer ${layerOf(b)})`
  })
  assert.deepEqual(found, [])
})

test("a feature reads another feature's data through its service, not its repository", () => {
  // Tests are exempt: they set up and inspect rows directly.
  const found = problems((from, _spec, to) =>
    !isTestCode(from) && isRepository(to) && featureOf(from) !== featureOf(to)
      ? `${featureOf(to)}'s repository, use its service`
      : undefined,
  )
  assert.deepEqual(found, [])
})

test('only the edge and route files import server/http', () => {
  const found = problems((from, _spec, to) =>
    to.startsWith('server/http/') &&
    !from.startsWith('server/http/') &&
    featureOf(from) !== 'server' &&
    !isRouteFile(from) &&
    !isTestCode(from)
      ? 'only routes.ts / *-routes.ts and the edge may use the HTTP layer'
      : undefined,
  )
  assert.deepEqual(found, [])
})

test('shared/ imports only shared/; widget/ and panel/ never import server/', () => {
  const found = problems((from, _spec, to) => {
    if (from.startsWith('shared/') && !to.startsWith('shared/')) return 'shared/ imports nothing outside shared/'
    // widget/size.test.ts measures the bundle the server's own builder makes.
    if ((from.startsWith('widget/') || from.startsWith('panel/')) && to.startsWith('server/') && !isTestCode(from))
      return 'the UIs talk to the server over HTTP only'
    return undefined
  })
  assert.deepEqual(found, [])
})

test('no import cycle between files', () => {
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (f: string) => {
    state.set(f, 'open')
    stack.push(f)
    for (const { target } of graph.get(f) ?? []) {
      if (!graph.has(target)) continue
      const s = state.get(target)
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' → '))
      else if (!s) visit(target)
    }
    stack.pop()
    state.set(f, 'done')
  }
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f)
  assert.deepEqual(cycles, [])
})
