import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { LiClient, LiError } from './client.ts'

/** A scripted LI: each call takes the next answer; records what was asked. */
function scripted(answers: Array<Response | 'hang' | 'network'>) {
  const calls: Array<{ url: string; init: RequestInit }> = []
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(url), init: init ?? {} })
    const next = answers.shift()
    if (!next) throw new Error('no more scripted answers')
    if (next === 'network') throw new TypeError('fetch failed')
    if (next === 'hang') {
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
    }
    return next
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

function client(
  fetch: typeof globalThis.fetch,
  sleeps: number[] = [],
  kind: 'chave_api' | 'personal_token' = 'chave_api',
) {
  return new LiClient({
    baseUrl: 'https://api.awsli.com.br/',
    credentials: kind === 'chave_api' ? { kind, apiKey: 'k123', appKey: 'a456' } : { kind, token: 'tok789' },
    fetch,
    timeoutMs: 50,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  })
}

const page = (objects: unknown[], next: string | null = null) => ({
  meta: { limit: 20, offset: 0, total_count: objects.length, next, previous: null },
  objects,
})

describe('LI client', () => {
  test('sends either credential form in the Authorization header, never in the URL', async () => {
    for (const [kind, header] of [
      ['chave_api', 'chave_api k123 aplicacao a456'],
      ['personal_token', 'Basic tok789'],
    ] as const) {
      const s = scripted([json(page([]))])
      await client(s.fetch, [], kind).verify()
      assert.equal(new Headers(s.calls[0]!.init.headers).get('authorization'), header)
      assert.doesNotMatch(s.calls[0]!.url, /k123|tok789/)
    }
  })

  test('429: waits Retry-After when sent, else backs off with jitter, then goes on', async () => {
    const sleeps: number[] = []
    const s = scripted([json({}, 429, { 'retry-after': '7' }), json({}, 429), json(page([]))])
    await client(s.fetch, sleeps).verify()
    assert.equal(s.calls.length, 3)
    assert.equal(sleeps[0], 7000)
    assert.ok(sleeps[1]! >= 1000 && sleeps[1]! <= 2000, `backoff ${sleeps[1]}`) // second 429: base × 2², half of it jittered
  })

  test('5xx, timeouts, network errors and malformed JSON are retried, then fail as unavailable', async () => {
    const ok = scripted([json({}, 502), 'hang', 'network', json(page([]))])
    await client(ok.fetch).verify()
    assert.equal(ok.calls.length, 4)

    const bad = scripted([new Response('<html>oops', { status: 200 }), json({}, 500), json({}, 503), json({}, 500)])
    await assert.rejects(
      client(bad.fetch).verify(),
      (err: unknown) => err instanceof LiError && err.kind === 'unavailable',
    )
    assert.equal(bad.calls.length, 4, 'one try and three retries')
  })

  test('401/403 are never retried', async () => {
    for (const status of [401, 403]) {
      const s = scripted([json({ error: 'Acesso negado' }, status), json(page([]))])
      await assert.rejects(
        client(s.fetch).verify(),
        (err: unknown) => err instanceof LiError && err.kind === 'auth' && err.status === status,
      )
      assert.equal(s.calls.length, 1)
    }
  })

  test('deactivating a coupon PUTs the whole coupon as read, without read-only fields, only ativo changed', async () => {
    const stored = {
      id: 42,
      codigo: 'FIDABC',
      descricao: 'Fidelidade',
      tipo: 'fixo',
      valor: '10.00',
      valor_minimo: null,
      quantidade: 1,
      quantidade_por_cliente: 1,
      quantidade_usada: 0,
      cumulativo: false,
      aplicar_no_total: false,
      ativo: true,
      validade: '2027-11-29T23:59:59',
      condicao_cliente: 'grupos_selecionados',
      grupos: ['3'],
      condicao_produto: 'todos_produtos',
      categorias: [],
      id_externo: null,
      data_criacao: '2026-11-29T10:00:00',
      data_modificacao: '2026-11-29T10:00:00',
      resource_uri: '/api/v1/cupom/42',
    }
    const s = scripted([json(stored), json({ ...stored, ativo: false })])
    const coupon = await client(s.fetch).deactivateCoupon(42)
    assert.equal(coupon.active, false)
    assert.equal(s.calls[1]!.init.method, 'PUT')
    assert.match(s.calls[1]!.url, /\/v1\/cupom\/42$/)
    const { id, quantidade_usada, data_criacao, data_modificacao, resource_uri, ...writable } = stored
    assert.deepEqual(
      JSON.parse(String(s.calls[1]!.init.body)),
      { ...writable, ativo: false },
      'groups and every other field kept',
    )
  })

  test('follows meta.next (relative /api/v1 links) for list reads', async () => {
    const status = (id: number) => ({
      id,
      codigo: `s${id}`,
      nome: `S${id}`,
      aprovado: false,
      cancelado: false,
      final: false,
    })
    const s = scripted([
      json(page([status(1), status(2)], '/api/v1/situacao/?limit=50&offset=50')),
      json(page([status(3)])),
    ])
    const list = await client(s.fetch).listStatuses()
    assert.deepEqual(
      list.map((x) => x.id),
      [1, 2, 3],
    )
    assert.equal(s.calls[1]!.url, 'https://api.awsli.com.br/api/v1/situacao/?limit=50&offset=50')
  })

  test('order summaries: cents, UTC instants, customer id from the URI; keyed paging parameters', async () => {
    const s = scripted([
      json(
        page([
          {
            numero: 1042,
            cliente: '/api/v1/cliente/5550123',
            situacao: {
              id: 14,
              codigo: 'pedido_entregue',
              nome: 'Pedido Entregue',
              aprovado: true,
              cancelado: false,
              final: true,
            },
            valor_subtotal: '129.90',
            valor_envio: '15.00',
            valor_desconto: '10.00',
            valor_total: '134.90',
            data_criacao: '2025-03-14T10:22:31.418552',
            data_modificacao: '2025-03-15T08:00:00.000001',
          },
        ]),
      ),
    ])
    const result = await client(s.fetch).searchOrders({ since: new Date('2025-03-15T11:00:00Z'), offset: 3 })
    const o = result.items[0]!
    assert.equal(o.subtotalCents, 12990)
    assert.equal(o.discountCents, 1000)
    assert.equal(o.customerId, 5550123)
    assert.equal(o.createdAt.toISOString(), '2025-03-14T13:22:31.418Z')
    const url = new URL(s.calls[0]!.url)
    assert.equal(url.pathname, '/v1/pedido/search/')
    assert.equal(url.searchParams.get('since_atualizado'), '2025-03-15T08:00:00')
    assert.equal(url.searchParams.get('offset'), '3')
    assert.equal(url.searchParams.get('limit'), '50')
  })
})
