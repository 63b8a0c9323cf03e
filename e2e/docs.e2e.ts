import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testConfig } from '../server/test/harness.ts'
import { testDatabase } from '../server/test/database.ts'
import { launchBrowser, watchErrors } from './browser.ts'

const ARTIFACTS = path.resolve('e2e/artifacts')

let runtime: Runtime
let browser: Browser

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const database = await testDatabase()
  runtime = await startRuntime(testConfig({ PORT: '0', HOST: '127.0.0.1' }), { database })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await runtime?.stop()
})

test('the API documentation renders in a real browser, offline, without errors', async () => {
  const page = await browser.newPage()
  const errors = watchErrors(page)
  await page.goto(`${runtime.url}/docs`)
  await page.getByText('Fidelis API').first().waitFor()
  await page.getByText('/v1/programs/{programId}/members/{memberId}/adjustments').first().waitFor()
  await page.screenshot({ path: path.join(ARTIFACTS, 'docs.png'), fullPage: false })
  assert.deepEqual(errors, [])
})
