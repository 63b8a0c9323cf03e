import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BUDGET, buildWidget } from '../server/widget-assets/build.ts'

test('the widget builds within its size budget (loader ≤ 3 KB gzip, app ≤ 20 KB gzip)', async () => {
  const w = await buildWidget()
  // app: what the first click downloads (the entry and its static imports); lazy: screens fetched
  // when first opened (login steps, "Meus dados", spending an amount).
  console.log(
    JSON.stringify({
      loader_gzip_bytes: w.loader.gzipBytes,
      app_gzip_bytes: w.app.gzipBytes,
      lazy_gzip_bytes: w.lazyGzipBytes,
    }),
  )
  assert.ok(w.loader.gzipBytes <= BUDGET.loaderGzipBytes, `loader is ${w.loader.gzipBytes} B gzip`)
  assert.ok(w.app.gzipBytes <= BUDGET.appGzipBytes, `app is ${w.app.gzipBytes} B gzip`)
  assert.doesNotMatch(w.app.code, /valibot/, 'no validator in the shopper bundle')
})
