import type { LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import {
  checkedAddresses,
  type CheckedAddresses,
  isPublicAddress,
  pinnedLookup,
  type Resolve,
  systemResolve,
} from '../lib/net.ts'

/**
 * One webhook POST to a merchant's URL, with what an untrusted URL needs: the host is resolved
 * once and every address it resolves to must be allowed (public by default: the SSRF guard of
 * server/lib/net.ts); the connection is pinned to those checked addresses (a fixed `lookup`, so
 * DNS rebinding has no window — why this is node:http and not fetch); one deadline covers connect,
 * upload and the whole answer; redirects are never followed (the 3xx is returned and counts as a
 * failure), so a redirect cannot lead to a private address. The answer body is read up to 4 KB
 * and dropped.
 */
export interface PostOptions {
  timeoutMs: number
  allowAddress?: (address: string) => boolean
  resolve?: Resolve
}

export type PostResult = { ok: true; status: number } | { ok: false; status: number | null; error: string }

const MAX_ANSWER_BYTES = 4096

export function isLoopbackAddress(address: string): boolean {
  const ip = address.replace(/%.*$/, '')
  return /^127\./.test(ip) || ip === '::1' || /^::ffff:127\./i.test(ip)
}

export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostResult> {
  const allow = options.allowAddress ?? isPublicAddress
  const resolve = options.resolve ?? systemResolve
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return { ok: false, status: null, error: 'invalid URL' }
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    return { ok: false, status: null, error: `unsupported scheme ${target.protocol}` }

  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, options.timeoutMs)
  timer.unref()
  try {
    let checked: CheckedAddresses
    try {
      checked = await checkedAddresses(target, allow, resolve)
    } catch (err) {
      return { ok: false, status: null, error: `host not found: ${target.hostname} (${describe(err)})` }
    }
    if (!checked.ok && checked.reason === 'host_not_found')
      return { ok: false, status: null, error: `host not found: ${target.hostname}` }
    if (!checked.ok)
      return { ok: false, status: null, error: `private address refused: ${target.hostname} is ${checked.address}` }
    const addresses = checked.addresses
    const status = await send(target, addresses, body, headers, controller.signal)
    if (status >= 200 && status <= 299) return { ok: true, status }
    const why = status >= 300 && status <= 399 ? 'redirect not followed' : 'answer not 2xx'
    return { ok: false, status, error: `HTTP ${status}: ${why}` }
  } catch (err) {
    if (timedOut) return { ok: false, status: null, error: `timeout after ${options.timeoutMs} ms` }
    return { ok: false, status: null, error: `network: ${describe(err)}` }
  } finally {
    clearTimeout(timer)
  }
}

/** Resolves with the answer's status once its body was read (up to MAX_ANSWER_BYTES) or ended. */
function send(
  url: URL,
  addresses: LookupAddress[],
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        signal,
        agent: false,
        lookup: pinnedLookup(addresses),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Fidelis-Webhooks/1.0',
        },
      },
      (res) => {
        let read = 0
        const status = res.statusCode ?? 0
        res.on('data', (chunk: Buffer) => {
          read += chunk.byteLength
          if (read > MAX_ANSWER_BYTES) {
            res.destroy()
            resolve(status)
          }
        })
        res.on('end', () => resolve(status))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as NodeJS.ErrnoException).code
  return code ? `${code} ${err.message}` : err.message
}
