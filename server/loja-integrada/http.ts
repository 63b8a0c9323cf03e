import http from 'node:http'
import https from 'node:https'
import type { LiFetch } from '../lib/fetch-like.ts'

export type { LiFetch, LiRequestInit, LiResponse } from '../lib/fetch-like.ts'

// Keep-alive pools, one per scheme, shared by every store's client in the process: LI is one
// host, so its connections are reused across stores. The cap is well above what the budgets let
// through at once; requests past it queue here instead of opening yet more sockets.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
}

const MAX_BODY_BYTES = 32 * 1024 * 1024

/**
 * `node:http(s)` with keep-alive. Why not the global fetch: undici's fetch builds web streams,
 * an AbortSignal chain and a Request per call; on the redeem benchmark that was about a millisecond
 * of CPU per coupon, more than the rest of the coupon job. The answer's body is read in full
 * before resolving, so the caller's timeout (the signal) covers it too. No Accept-Encoding is
 * sent: LI answers uncompressed JSON (fetch asked for gzip and inflated it).
 */
export const agentFetch: LiFetch = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url)
    const scheme = target.protocol === 'https:' ? 'https:' : 'http:'
    if (target.protocol !== scheme) return reject(new Error(`unsupported protocol ${target.protocol}`))
    const headers: Record<string, string | number> = { ...init.headers }
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body)
    const req = (scheme === 'https:' ? https : http).request(
      target,
      { method: init.method, headers, agent: agents[scheme], ...(init.signal ? { signal: init.signal } : {}) },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          // LI pages are tens of kilobytes; an endless body is a broken upstream, not data.
          if (size > MAX_BODY_BYTES) return void req.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`))
          chunks.push(chunk)
        })
        res.once('error', reject)
        res.once('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: {
              get: (name) => {
                const v = res.headers[name.toLowerCase()]
                return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v
              },
            },
            text: () => Promise.resolve(body),
          })
        })
      },
    )
    req.once('error', reject)
    req.end(init.body)
  })
