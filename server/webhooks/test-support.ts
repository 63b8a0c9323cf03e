import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestApp } from '../test/harness.ts'

/** A request a test receiver got: its headers and raw body. */
export interface Received {
  headers: Record<string, string>
  body: string
}

export interface Receiver {
  url: string
  received: Received[]
  close(): Promise<void>
}

/**
 * A real HTTP receiver on loopback. `answer(n, res)` answers the n-th request (1-based); by
 * default 200. An answer that never ends the response is a hung receiver (closed at `close`).
 */
export async function startReceiver(
  answer: (n: number, res: http.ServerResponse) => void = (_n, res) => res.end('ok'),
): Promise<Receiver> {
  const received: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') })
      answer(received.length, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A merchant with a program of their own; `api` calls the program's admin routes. */
export async function programWithMerchant(t: TestApp) {
  const m = await t.merchant()
  const res = await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Clube Bella' } })
  if (res.status !== 201) throw new Error(`program: ${JSON.stringify(res.body)}`)
  const programId = res.body.id as string
  const api = (method: string, path: string, body?: unknown) =>
    t.request(method, `/v1/programs/${programId}${path}`, { token: m.token, ...(body !== undefined ? { body } : {}) })
  return { programId, merchant: m, api }
}
