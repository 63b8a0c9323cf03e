import assert from 'node:assert/strict'
import { encryptSecret } from '../lib/crypto.ts'
import type { SeededStore } from '../li-simulator/index.ts'
import type { TestApp } from '../test/harness.ts'
import { startLiTestApp, type LiTestEnv } from '../test/li-store.ts'

/** Test fixtures of the widget: an app wired to the LI simulator, and live programs with a store. */

export type WidgetTestEnv = LiTestEnv

/** An app wired to the LI simulator (server/test/li-store.ts); programs come from `liveProgram`. */
export function startWidgetTestApp(opts: Parameters<typeof startLiTestApp>[0] = {}): Promise<WidgetTestEnv> {
  return startLiTestApp(opts)
}

export interface LiveProgram {
  programId: string
  programKey: string
  merchantToken: string
  store: SeededStore
  siteUrl: string
  base: string
  /** Adds a customer to the simulated store (found by the widget's customer search). */
  addStoreCustomer(email: string, nome?: string): number
}

let storeSeed = 7000

/**
 * A program with a saved, active integration on a fresh simulated store (Personal Token). The
 * integration row is written directly: the admin flow is covered by the integrations tests.
 */
export async function liveProgram(
  env: WidgetTestEnv,
  opts: {
    joiningOpen?: boolean
    active?: boolean
    siteUrl?: string
    signupUrl?: string | null
    integration?: boolean
    name?: string
    /** Default points. */
    mode?: 'points' | 'cashback'
  } = {},
): Promise<LiveProgram> {
  const { t, sim } = env
  const m = await t.merchant()
  const res = await t.request('POST', '/v1/programs', {
    token: m.token,
    body: {
      name: opts.name ?? 'Clube Bella',
      ...(opts.mode ? { mode: opts.mode } : {}),
      pointsName: 'pontos',
      joiningOpen: opts.joiningOpen ?? true,
      primaryColor: '#0f766e',
    },
  })
  assert.equal(res.status, 201, JSON.stringify(res.body))
  const programId = res.body.id as string
  const store = sim.seed({ seed: ++storeSeed, customers: 2, orders: 0 })
  const siteUrl = opts.siteUrl ?? `https://www.loja${storeSeed}.com.br`
  if (opts.integration !== false) {
    await t.database.db
      .insertInto('integrations')
      .values({
        program_id: programId,
        credential_kind: 'personal_token',
        api_key_enc: encryptSecret(t.deps.secrets.encryptionKey, store.personalToken, programId),
        api_key_last4: store.personalToken.slice(-4),
        site_url: siteUrl + '/',
        signup_url: opts.signupUrl === undefined ? `${siteUrl}/conta/criar` : opts.signupUrl,
        active: opts.active ?? true,
        activated_at: (opts.active ?? true) ? new Date() : null,
      })
      .execute()
  }
  return {
    programId,
    programKey: res.body.programKey,
    merchantToken: m.token,
    store,
    siteUrl,
    base: `/v1/widget/${res.body.programKey}`,
    addStoreCustomer: (email, nome) =>
      sim.state.requireStore(store.store.id).addCustomer({ email, ...(nome ? { nome } : {}) }).id,
  }
}

/** The 6 digits of the newest login-code e-mail to `to`, read from the outbox before it is sent. */
export async function latestCode(t: TestApp, programId: string, to: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('email_outbox')
    .select(['text_body'])
    .where('program_id', '=', programId)
    .where('to_address', '=', to)
    .where('kind', '=', 'login_code')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  const code = /\b([0-9]{6})\b/.exec(row?.text_body ?? '')?.[1]
  if (!code) throw new Error(`no login code e-mail to ${to}`)
  return code
}

/** Seeds a member directly (as the sync would have). */
export async function seedMember(
  t: TestApp,
  programId: string,
  email: string,
  extra: { name?: string; balance?: number } = {},
): Promise<number> {
  const row = await t.database.db
    .insertInto('members')
    .values({ program_id: programId, email, name: extra.name ?? 'Ana' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Logs a member in through the API and returns the session. */
export async function login(
  t: TestApp,
  p: LiveProgram,
  email: string,
): Promise<{ accessToken: string; refreshToken: string; member: { id: number } }> {
  const start = await t.request('POST', `${p.base}/login`, { body: { email } })
  assert.equal(start.status, 202, JSON.stringify(start.body))
  const code = await latestCode(t, p.programId, email)
  const verify = await t.request('POST', `${p.base}/login/verify`, { body: { email, code } })
  assert.equal(verify.status, 200, JSON.stringify(verify.body))
  return verify.body
}
