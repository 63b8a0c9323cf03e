import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))

describe('standalone runner (main.ts)', () => {
  test('listens, prints keys as one JSON line, serves real HTTP, survives a client abort, stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, LI_SIM_PORT: '0', LI_SIM_SEED: '3', LI_SIM_CUSTOMERS: '20', LI_SIM_ORDERS: '60' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let out = ''
      child.stdout.setEncoding('utf8')
      while (!out.includes('\n')) {
        const [chunk] = (await Promise.race([
          once(child.stdout, 'data'),
          once(child, 'exit').then(() => {
            throw new Error('exited early')
          }),
        ])) as [string]
        out += chunk
      }
      const info = JSON.parse(out.split('\n')[0]!)
      assert.equal(info.event, 'li-simulator-listening')
      assert.equal(info.orders, 60)
      const auth = { authorization: `chave_api ${info.chave_api} aplicacao ${info.chave_aplicacao}` }
      const res = await fetch(`${info.apiBase}/pedido/search/?limit=5`, { headers: auth })
      assert.equal(res.status, 200)
      const body = (await res.json()) as any
      assert.equal(body.meta.total_count, 60)
      assert.ok(body.meta.next.startsWith('/api/v1/pedido/search/?limit=5&offset=5'))

      // A hanging request ends when the client gives up; the server keeps serving.
      await fetch(`${info.control}/faults`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'timeout', count: 1 }),
        headers: { 'content-type': 'application/json' },
      })
      await assert.rejects(fetch(`${info.apiBase}/situacao`, { headers: auth, signal: AbortSignal.timeout(300) }), {
        name: 'TimeoutError',
      })
      assert.equal((await fetch(`${info.apiBase}/situacao`, { headers: auth })).status, 200)

      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      assert.equal(code, 0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
