import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { WidgetConfig } from '../../shared/api/widget.ts'
import { loadWidgetProgram, SETTINGS_TTL_MS, WidgetPrograms } from './programs.ts'
import { liveProgram, type LiveProgram, startWidgetTestApp, type WidgetTestEnv } from './test-support.ts'

/**
 * The public config follows the merchant's settings: the `referrals` flag (the widget asks for
 * `me/referral` only when it is true) and how fast a change reaches the answer and its ETag.
 */
describe('widget config: referrals flag and freshness', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp()
  })
  after(() => env.close())

  const req = (...a: Parameters<WidgetTestEnv['t']['request']>) => env.t.request(...a)
  const db = () => env.t.database.db
  const config = async (p: LiveProgram, headers: Record<string, string> = {}) => {
    const res = await req('GET', `${p.base}/config`, { headers })
    return { status: res.status, etag: res.headers.get('etag'), body: res.status === 200 ? res.body : null }
  }
  const setReferrals = async (p: LiveProgram, enabled: boolean) => {
    const path = `/v1/programs/${p.programId}/referrals/settings`
    const current = await req('GET', path, { token: p.merchantToken })
    const saved = await req('PUT', path, { token: p.merchantToken, body: { ...current.body, enabled } })
    assert.equal(saved.status, 200, JSON.stringify(saved.body))
  }

  test('referrals: false until the merchant turns them on, then true with a new ETag', async () => {
    const off = await liveProgram(env)
    const a = await config(off)
    assert.equal(v.parse(WidgetConfig, a.body).referrals, false, 'never saved: off')

    const p = await liveProgram(env)
    // Read outside the app's cache, so the app's first read comes after the change.
    const before = (await loadWidgetProgram(db(), p.programKey))!
    assert.equal(before.config.referrals, false)
    await setReferrals(p, true)
    const on = await config(p)
    assert.equal(on.status, 200)
    assert.equal(v.parse(WidgetConfig, on.body).referrals, true)
    // A browser holding the config from before the change gets the new one, not a 304.
    assert.notEqual(on.etag, before.etag)
    assert.equal((await config(p, { 'if-none-match': before.etag })).status, 200)
    assert.equal((await config(p, { 'if-none-match': on.etag! })).status, 304)
  })

  test('referrals: false while the store connection is inactive, even when switched on', async () => {
    const p = await liveProgram(env, { active: false })
    await setReferrals(p, true)
    // Not live before activation (design rule 7): `me/referral` would answer `enabled: false`.
    assert.equal(v.parse(WidgetConfig, (await config(p)).body).referrals, false)
  })

  test('turning referrals off (and on again) reaches a process within SETTINGS_TTL_MS, as other settings do', async () => {
    const p = await liveProgram(env)
    await setReferrals(p, true)
    let now = 1_000_000
    const programs = new WidgetPrograms(db(), () => now)
    const first = (await programs.get(p.programKey))!
    assert.equal(first.config.referrals, true)

    await setReferrals(p, false)
    now += SETTINGS_TTL_MS - 1
    assert.equal((await programs.get(p.programKey))!.etag, first.etag, 'kept for the TTL')
    now += 1
    const off = (await programs.get(p.programKey))!
    assert.equal(off.config.referrals, false)
    assert.equal(JSON.parse(off.configJson).referrals, false, 'the served JSON says it too')
    assert.notEqual(off.etag, first.etag)

    await setReferrals(p, true)
    now += SETTINGS_TTL_MS
    const again = (await programs.get(p.programKey))!
    assert.equal(again.config.referrals, true)
    // The config is a function of the settings: back to the same answer, back to the same ETag.
    assert.equal(again.etag, first.etag)
  })
})
