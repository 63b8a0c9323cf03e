import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'node:test'
import { LiClient } from './client.ts'
import { agentFetch } from './http.ts'
import { listenForTests } from '../test/local-server.ts'

// A plain HTTP server standing in for LI: agentFetch is the default transport of every client.
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string; socket: number }> = []
const sockets = new WeakMap<object, number>()
let nextSocket = 0
const server = http.createServer((req, res) => {
  let body = ''
  req.setEncoding('utf8').on('data', (d) => (body += d))
  req.on('end', () => {
    if (!sockets.has(req.socket)) sockets.set(req.socket, ++nextSocket)
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: sockets.get(req.socket)! })
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000)
    if (req.url === '/limited') {
      res.writeHead(429, { 'retry-after': '7', 'x-multi': ['a', 'b'] })
      return void res.end('{}')
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ ok: true, echo: body, acentos: 'ação' }))
  })
})
let base = ''
listenForTests(server, (url) => (base = url))

test('agentFetch: status, headers, the whole body as UTF-8, the POST body with its length', async () => {
  const res = await agentFetch(`${base}/v1/cupom/`, {
    method: 'POST',
    headers: { authorization: 'chave_api k aplicacao a', 'content-type': 'application/json' },
    body: JSON.stringify({ codigo: 'ÇÃO-1' }),
  })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('Content-Type'), 'application/json')
  assert.equal(res.headers.get('x-absent'), null)
  const body = JSON.parse(await res.text())
  assert.equal(body.acentos, 'ação')
  assert.equal(JSON.parse(body.echo).codigo, 'ÇÃO-1')
  const req = seen.at(-1)!
  assert.equal(req.headers['content-length'], String(Buffer.byteLength(JSON.stringify({ codigo: 'ÇÃO-1' }))))
  assert.equal(req.headers.authorization, 'chave_api k aplicacao a')

  const limited = await agentFetch(`${base}/limited`, { method: 'GET', headers: {} })
  assert.equal(limited.status, 429)
  assert.equal(limited.headers.get('retry-after'), '7')
  assert.equal(limited.headers.get('x-multi'), 'a, b')
})

test('agentFetch: connections are kept alive and reused', async () => {
  seen.length = 0
  for (let i = 0; i < 5; i++) await (await agentFetch(`${base}/ping`, { method: 'GET', headers: {} })).text()
  assert.equal(new Set(seen.map((s) => s.socket)).size, 1)
})

test('agentFetch: an aborted call rejects; the LI client reports it as a timeout', async () => {
  const ctrl = new AbortController()
  setTimeout(() => ctrl.abort(), 50)
  await assert.rejects(agentFetch(`${base}/slow`, { method: 'GET', headers: {}, signal: ctrl.signal }))
  const client = new LiClient({
    baseUrl: base,
    credentials: { kind: 'chave_api', apiKey: 'k', appKey: 'a' },
    timeoutMs: 100,
    maxTransientRetries: 0,
  })
  await assert.rejects(client.request('GET', '/slow'), /did not answer in 100 ms/)
})

test('agentFetch: an unreachable host and an unsupported scheme reject', async () => {
  await assert.rejects(agentFetch('http://127.0.0.1:1/', { method: 'GET', headers: {} }))
  await assert.rejects(agentFetch('ftp://127.0.0.1/', { method: 'GET', headers: {} }), /unsupported protocol/)
})

test('agentFetch: an answer past the size cap rejects instead of filling memory', async () => {
  const big = http.createServer((_req, res) => {
    res.writeHead(200)
    const chunk = Buffer.alloc(1024 * 1024, 120)
    let sent = 0
    const pump = () => {
      while (sent < 40 && res.write(chunk)) sent++
      if (sent < 40) res.once('drain', pump)
      else res.end()
    }
    pump()
  })
  await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve))
  try {
    const port = (big.address() as { port: number }).port
    await assert.rejects(agentFetch(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {} }), /larger than/)
  } finally {
    big.closeAllConnections()
    big.close()
  }
})
