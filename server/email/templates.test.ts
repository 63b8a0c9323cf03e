import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { renderEmail, templates, type Brand } from './templates/index.ts'

const brand: Brand = {
  programName: 'Clube Bella',
  siteUrl: 'https://www.bella.com.br/',
  primaryColor: '#0f766e',
  textColor: '#ffffff',
}

function render(b: Brand, code = '482913', unsubscribeUrl?: string) {
  const t = templates.login_code
  return renderEmail(t.content({ code, name: 'Ana' }, b), { brand: b, reason: t.defaultReason(b), unsubscribeUrl })
}

describe('e-mail templates', () => {
  test('the login code is in both bodies but neither in the subject nor the preview line', () => {
    const r = render(brand)
    assert.equal(r.subject, 'Seu código de acesso ao programa Clube Bella')
    assert.match(r.text, /^ {4}482913$/m)
    assert.match(r.html, />482913</)
    const preheader = /<div style="display:none[^>]*>([^<]*)<\/div>/.exec(r.html)?.[1] ?? ''
    assert.equal(preheader, 'Use o código para entrar. Ele vale por 10 minutos.')
  })

  test('text and HTML tell the same things', () => {
    const r = render(brand)
    const unescapeHtml = (s: string) =>
      s
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
    const htmlText = unescapeHtml(r.html.replace(/<[^>]+>/g, '\n'))
    for (const line of r.text.split('\n').filter((l) => l.trim() && l !== '--')) {
      const piece = line.trim().replace(/: https?:\/\/\S+$/, '')
      assert.ok(htmlText.includes(piece.replace(/ bella\.com\.br$/, '')), `HTML lacks "${piece}"`)
    }
  })

  test('everything from the database is escaped, and only http(s) links are kept', () => {
    const evil: Brand = {
      programName: '<script>alert(1)</script> & "Co"',
      siteUrl: 'javascript:alert(1)',
      primaryColor: 'red;background:url(x)',
      textColor: '#fff',
    }
    const r = render(evil)
    assert.ok(!r.html.includes('<script>'))
    assert.ok(r.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;'))
    assert.ok(!r.html.includes('javascript:'))
    assert.ok(!r.text.includes('javascript:'))
    assert.ok(!r.html.includes('url(x)'), 'an invalid color falls back to the default')
    assert.ok(r.html.includes('#5b21b6'))
  })

  test('subjects stay on one line', () => {
    const r = render({ ...brand, programName: 'Clube\r\nBcc: x@y.z' })
    assert.ok(!/[\r\n]/.test(r.subject))
  })

  test('without a site the footer has no store link; with an unsubscribe URL it has the link', () => {
    const plain = render({ ...brand, siteUrl: null })
    assert.ok(!plain.html.includes('Programa de fidelidade da loja'))
    assert.ok(!plain.html.includes('Cancelar inscrição'))
    const marketing = render(brand, '482913', 'https://fidelis.example/v1/email/unsubscribe?token=a&b')
    assert.ok(marketing.html.includes('href="https://fidelis.example/v1/email/unsubscribe?token=a&amp;b"'))
    assert.ok(marketing.text.includes('Cancelar inscrição: https://fidelis.example/v1/email/unsubscribe?token=a&b'))
    assert.ok(marketing.text.includes('Programa de fidelidade da loja bella.com.br: https://www.bella.com.br/'))
  })

  test('a login code must be six digits', () => {
    assert.throws(() => render(brand, '12345'), /6 digits/)
    assert.throws(() => render(brand, '12345a'), /6 digits/)
  })

  test('categories: login codes are transactional and sensitive; welcome is marketing', () => {
    assert.deepEqual([templates.login_code.category, templates.login_code.sensitive], ['transactional', true])
    assert.deepEqual([templates.welcome.category, templates.welcome.sensitive], ['marketing', false])
    assert.equal(templates.login_code.expiresInMs?.({ code: '123456' }), 10 * 60_000)
  })
})
