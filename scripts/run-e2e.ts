import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ensureTemplate } from '../server/test/database.ts'

/**
 * `npm run test:e2e`: every e2e/*.e2e.ts in headless Debian Chromium (needs /usr/bin/chromium;
 * .ci/run installs it). Screenshots land in e2e/artifacts/. Arguments narrow the set, as for
 * `npm test`: `npm run test:e2e -- first-run` runs the files whose name contains "first-run".
 */
const filters = process.argv.slice(2)
const files = fs
  .readdirSync('e2e')
  .filter((f) => f.endsWith('.e2e.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => path.join('e2e', f))
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
if (!fs.existsSync(chromium)) {
  console.error(
    `Chromium not found at ${chromium}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`,
  )
  process.exit(1)
}
if (files.length === 0) {
  console.error('no e2e test files found')
  process.exit(1)
}
console.log(`# ${files.length} e2e files`)
await ensureTemplate()
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
)
process.exit(res.status ?? 1)
