import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Executor } from '../db/database.ts'
import { upsertIntegration } from '../integrations/repository.ts'
import type { TestApp } from '../test/harness.ts'

/** Test/bench helpers: a local feed server and a program with an integration that has a feed URL. */

type Route = string | Uint8Array | ((req: IncomingMessage, res: ServerResponse) => void)

export interface FeedServer {
  base: string
  /** Serves `body` (or runs the handler) at `path` from now on. */
  serve(path: string, route: Route): string
  /** Paths requested so far. */
  requests: string[]
  close(): Promise<void>
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route>()
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    requests.push(path)
    const route = routes.get(path)
    if (route === undefined) {
      res.statusCode = 404
      res.end('not found')
    } else if (typeof route === 'function') route(req, res)
    else {
      res.setHeader('content-type', 'application/xml; charset=utf-8')
      res.end(route)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    requests,
    serve(path, route) {
      routes.set(path, route)
      return `${base}${path}`
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * The integration row the feed import reads. Written directly: saving it through the API checks
 * the key with Loja Integrada, which has nothing to do with feeds. The key is a placeholder that
 * is never decrypted here.
 */
export async function setFeedIntegration(
  db: Executor,
  programId: string,
  opts: { feedUrl: string | null; allowlist?: string[]; active?: boolean },
): Promise<void> {
  await upsertIntegration(db, {
    program_id: programId,
    credential_kind: 'personal_token',
    api_key_enc: 'not-a-real-key',
    api_key_last4: 'test',
    site_url: 'https://www.loja.test',
    feed_url: opts.feedUrl,
    reward_allowlist: opts.allowlist ?? [],
    active: opts.active ?? false,
  })
}

export interface ProgramSetup {
  token: string
  merchantId: string
  programId: string
  /** `/v1/programs/<id>` */
  programBase: string
  /** `/v1/programs/<id>/rewards` */
  base: string
}

/** A merchant (logged in) with one program, through the API. */
export async function programWithToken(t: TestApp, body: Record<string, unknown> = {}): Promise<ProgramSetup> {
  const m = await t.merchant()
  const res = await t.request('POST', '/v1/programs', {
    token: m.token,
    body: { name: 'Clube da Loja', earnRate: 1, ...body },
  })
  assert.equal(res.status, 201, JSON.stringify(res.body))
  return {
    token: m.token,
    merchantId: m.id,
    programId: res.body.id,
    programBase: `/v1/programs/${res.body.id}`,
    base: `/v1/programs/${res.body.id}/rewards`,
  }
}
