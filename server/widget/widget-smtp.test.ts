import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { WidgetMe, WidgetSession } from '../../shared/api/widget.ts'
import { eventually } from '../test/eventually.ts'
import { captureLogger } from '../test/harness.ts'
import { startTestSmtp, type TestSmtp } from '../email/test-support.ts'
import { createMailTransport } from '../email/transport.ts'
import { liveProgram, seedMember, startWidgetTestApp, type WidgetTestEnv } from './test-support.ts'

describe('widget login over real SMTP', () => {
  let env: WidgetTestEnv
  let smtp: TestSmtp

  before(async () => {
    smtp = await startTestSmtp()
    const transport = createMailTransport({
      smtpUrl: smtp.url,
      mailFrom: 'Fidelis <no-reply@fidelis.test>',
      dataDir: '/nonexistent',
      log: captureLogger().log,
    })
    // Workers on: the outbox job really sends the e-mail to the SMTP server on loopback.
    env = await startWidgetTestApp({ transport, work: true })
  })
  after(async () => {
    await env.close()
    await smtp.close()
  })

  const mailTo = (address: string, count: number) =>
    eventually(
      `e-mail #${count} to ${address}`,
      () => smtp.received.filter((r) => r.rcpt.includes(address))[count - 1]?.mail,
    )

  test('the code arrives by e-mail (pt-BR) and logs the shopper in', async () => {
    const p = await liveProgram(env, { name: 'Clube Bella' })
    const memberId = await seedMember(env.t, p.programId, 'ana@cliente.test', { name: 'Ana' })
    const start = await env.t.request('POST', `${p.base}/login`, {
      body: { email: 'ana@cliente.test' },
      headers: { origin: p.siteUrl },
    })
    assert.equal(start.status, 202)

    const mail = await mailTo('ana@cliente.test', 1)
    assert.equal(mail.subject, 'Seu código de acesso ao programa Clube Bella')
    assert.equal(mail.from?.value[0]?.name, 'Clube Bella')
    const text = mail.text ?? ''
    assert.match(text, /Olá, Ana!/)
    assert.match(text, /O código vale por 10 minutos\./)
    const code = /\b([0-9]{6})\b/.exec(text)?.[1]
    assert.ok(code, text)
    assert.doesNotMatch(mail.subject ?? '', /[0-9]{6}/)

    const verify = await env.t.request('POST', `${p.base}/login/verify`, {
      body: { email: 'ana@cliente.test', code },
      headers: { origin: p.siteUrl },
    })
    assert.equal(verify.status, 200, JSON.stringify(verify.body))
    assert.equal(verify.headers.get('access-control-allow-origin'), p.siteUrl)
    const session = v.parse(WidgetSession, verify.body)
    const me = await env.t.request('GET', `${p.base}/me`, { token: session.accessToken })
    assert.equal(me.status, 200)
    assert.equal(v.parse(WidgetMe, me.body).member.id, memberId)

    // Once sent, the outbox no longer holds the code. The worker records `sent` just after the
    // SMTP server accepted the message, so the row may still say `sending` for a moment.
    // The login code's row: joining also queues a welcome e-mail, and an unordered select may
    // return either (an update moves the code's row after the welcome's in the heap).
    const outboxRow = () =>
      env.t.database.db
        .selectFrom('email_outbox')
        .selectAll()
        .where('program_id', '=', p.programId)
        .where('kind', '=', 'login_code')
        .executeTakeFirstOrThrow()
    const row = await eventually('the outbox row to leave `sending`', async () => {
      const r = await outboxRow()
      return r.status !== 'sending' && r
    })
    assert.equal(row.status, 'sent')
    assert.equal(row.text_body, null)

    const logs = env.t.logLines.join('\n')
    assert.ok(!logs.includes(code!), 'the code is not logged')
    assert.ok(!logs.includes(session.accessToken) && !logs.includes(session.refreshToken), 'tokens are not logged')
    assert.ok(env.t.logLines.some((l) => l.includes('"email sent"')))
  })

  test('a store customer joins through the e-mailed code', async () => {
    const p = await liveProgram(env)
    p.addStoreCustomer('novo@cliente.test', 'Novo Cliente')
    const start = await env.t.request('POST', `${p.base}/join`, {
      body: { email: 'novo@cliente.test', name: 'Novo', emailConsent: true },
    })
    assert.equal(start.status, 202)
    const mail = await mailTo('novo@cliente.test', 1)
    assert.match(mail.text ?? '', /Olá, Novo!/)
    const code = /\b([0-9]{6})\b/.exec(mail.text ?? '')![1]
    const verify = await env.t.request('POST', `${p.base}/login/verify`, { body: { email: 'novo@cliente.test', code } })
    assert.equal(verify.status, 200, JSON.stringify(verify.body))
    assert.deepEqual(verify.body.member, { id: verify.body.member.id, name: 'Novo', email: 'novo@cliente.test' })
  })
})
