import fs from 'node:fs'
import path from 'node:path'

/**
 * A node:test reporter that run-tests.ts adds next to the usual one. It is plain JavaScript
 * because the runner loads reporters without tsx. It sums the top-level tests' durations per file,
 * merges them into .data/test-durations-<dialect>.json (read by test-durations.ts to order the
 * next run) and prints the slowest files.
 */
const FILE = path.resolve(`.data/test-durations-${process.env.DATABASE_URL ? 'postgres' : 'pglite'}.json`)

export default async function* durationsReporter(source) {
  const run = {}
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const file = path.relative(process.cwd(), event.data.file)
      run[file] = Math.round((run[file] ?? 0) + event.data.details.duration_ms)
    }
  }
  let previous = {}
  try {
    previous = JSON.parse(fs.readFileSync(FILE, 'utf8'))
  } catch {
    // first run
  }
  fs.mkdirSync(path.dirname(FILE), { recursive: true })
  const tmp = `${FILE}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify({ ...previous, ...run }, null, 1) + '\n')
  fs.renameSync(tmp, FILE)
  const slowest = Object.entries(run)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
  yield `\n# slowest files (sum of their tests, s):\n${slowest.map(([f, ms]) => `#   ${(ms / 1000).toFixed(1).padStart(6)}  ${f}`).join('\n')}\n`
}
