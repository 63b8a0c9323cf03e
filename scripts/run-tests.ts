import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ensureTemplate } from '../server/test/database.ts'
import { slowestFirst } from './test-durations.ts'

/**
 * `npm test` after the typecheck: finds every *.test.ts outside e2e/ (Node 20's runner does not
 * expand globs), builds the database template once for the chosen dialect, then runs the files
 * with node's test runner, slowest first (scripts/test-durations.ts). Arguments narrow the set:
 * `npm test -- ledger` runs files whose path contains "ledger". TEST_CONCURRENCY sets how many
 * files run at once (default below).
 */
const roots = ['server', 'shared', 'widget', 'panel', 'scripts']
const filters = process.argv.slice(2)

function walk(dir: string, out: string[]) {
  if (!fs.existsSync(dir)) return
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(p, out)
    } else if (entry.name.endsWith('.test.ts')) out.push(p)
  }
}

const files: string[] = []
for (const r of roots) walk(r, files)
const selected = slowestFirst(files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))))
if (selected.length === 0) {
  console.error('no test files found')
  process.exit(1)
}

const CONCURRENCY = 2

const dialect = process.env.DATABASE_URL ? 'postgres' : 'pglite'
console.log(`# ${selected.length} test files on ${dialect}`)
await ensureTemplate()

const concurrency = Number(process.env.TEST_CONCURRENCY ?? CONCURRENCY)
// The runner's own default reporter, plus one that records each file's duration.
const reporters = ['--test-reporter', process.stdout.isTTY ? 'spec' : 'tap', '--test-reporter-destination', 'stdout']
reporters.push('--test-reporter', './scripts/test-durations-reporter.mjs', '--test-reporter-destination', 'stdout')
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=180000',
    ...reporters,
    ...selected,
  ],
  { stdio: 'inherit', env: { ...process.env, FIDELIS_TEST: '1' } },
)
process.exit(result.status ?? 1)
