import type { LookupAddress } from 'node:dns'
import http from 'node:http'
import type { IncomingMessage } from 'node:http'
import https from 'node:https'
import { pipeline } from 'node:stream'
import type { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { checkedAddresses, isPublicAddress, pinnedLookup, type Resolve, systemResolve } from '../../lib/net.ts'
import { feedMessages as m } from './messages.ts'

export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024
export const DEFAULT_MAX_REDIRECTS = 3

export type DownloadErrorCode =
  | 'invalid_url'
  | 'unsupported_scheme'
  | 'private_address'
  | 'host_not_found'
  | 'too_many_redirects'
  | 'redirect_without_location'
  | 'http_status'
  | 'connect_timeout'
  | 'timeout'
  | 'too_large'
  | 'network'
  | 'aborted'

/** A download failure; `message` is pt-BR and goes into the import report as is. */
export class FeedDownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    /** English technical detail for logs (underlying error, URL scheme, status…). */
    readonly detail?: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'FeedDownloadError'
  }
}

export interface DownloadFeedOptions {
  /** Whole download, redirects and body included. */
  timeoutMs?: number
  /** Until each response's headers arrive (DNS, TCP, TLS, server think time). */
  connectTimeoutMs?: number
  /** Counted on the decoded body, so a gzip bomb is cut at this size too. */
  maxBytes?: number
  maxRedirects?: number
  /**
   * Which resolved addresses may be connected to; default: public internet addresses only
   * (`isPublicAddress`). FEED_ALLOW_PRIVATE_HOSTS passes `anyAddress` (tests, benchmarks, the
   * demo download feeds from 127.0.0.1).
   */
  allowAddress?: (address: string) => boolean
  /** DNS for host names (tests: a fake resolver); default `dns.lookup`, all addresses. */
  resolve?: Resolve
  /** Aborts the download from outside (job cancelled, shutdown). */
  signal?: AbortSignal
  userAgent?: string
}

export const anyAddress = (): boolean => true

export interface FeedDownload {
  /** URL after redirects. */
  url: string
  status: number
  contentType: string | null
  contentLength: number | null
  redirects: number
  /**
   * The body, for `parseFeed`. Iterating it may throw FeedDownloadError (timeout, size cap,
   * connection lost); stopping early (return()) aborts the request.
   */
  body: AsyncIterable<Uint8Array>
  /** Aborts the request; for a caller that decides not to read the body. */
  cancel(): void
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const ACCEPT = 'application/xml, text/xml, application/rss+xml, application/atom+xml;q=0.9, */*;q=0.5'

/**
 * Starts an HTTP(S) download of a feed with the limits an untrusted URL needs. Resolves once a
 * 2xx response's headers have arrived; the body streams through `body`.
 *
 * Redirects are followed by hand, each hop checked like the first: scheme, then the host's
 * addresses (SSRF). The host name is resolved once per hop, every address it resolves to must
 * be allowed, and the connection is made to those same addresses through a pinned `lookup`, so
 * a DNS answer that changes between the check and the connect (DNS rebinding) cannot slip a
 * private address in. That is why this uses node:http(s) rather than fetch, whose connection
 * resolves names itself.
 */
export async function downloadFeed(url: string | URL, options: DownloadFeedOptions = {}): Promise<FeedDownload> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS
  const connectTimeoutMs = Math.min(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs)
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS
  const allowAddress = options.allowAddress ?? isPublicAddress
  const resolve = options.resolve ?? systemResolve

  let current = checkUrl(url, false)

  const controller = new AbortController()
  let timedOut: 'total' | 'connect' | null = null
  const totalTimer = setTimeout(() => {
    timedOut ??= 'total'
    controller.abort()
  }, timeoutMs)
  // The socket keeps the process alive while data flows; the timer alone should not.
  totalTimer.unref()
  const onExternalAbort = () => controller.abort()
  options.signal?.addEventListener('abort', onExternalAbort, { once: true })
  if (options.signal?.aborted) controller.abort()
  const finish = () => {
    clearTimeout(totalTimer)
    options.signal?.removeEventListener('abort', onExternalAbort)
    controller.abort() // releases the connection if the body was not read to the end
  }

  const failure = (err: unknown): FeedDownloadError => {
    if (err instanceof FeedDownloadError) return err
    const detail = describe(err)
    if (timedOut === 'connect')
      return new FeedDownloadError('connect_timeout', m.connectTimeout(connectTimeoutMs), detail)
    if (timedOut === 'total') return new FeedDownloadError('timeout', m.timeout(timeoutMs), detail)
    if (options.signal?.aborted) return new FeedDownloadError('aborted', m.downloadAborted, detail)
    return new FeedDownloadError('network', m.network, detail)
  }

  try {
    for (let redirects = 0; ; redirects++) {
      const connectTimer = setTimeout(() => {
        timedOut ??= 'connect'
        controller.abort()
      }, connectTimeoutMs)
      connectTimer.unref()
      let response: IncomingMessage
      try {
        const addresses = await abortable(
          allowedAddresses(current, redirects > 0, allowAddress, resolve),
          controller.signal,
        )
        response = await request(current, addresses, controller.signal, options.userAgent)
      } finally {
        clearTimeout(connectTimer)
      }
      const status = response.statusCode ?? 0

      if (REDIRECT_STATUSES.has(status)) {
        response.destroy()
        const location = response.headers.location
        if (!location)
          throw new FeedDownloadError('redirect_without_location', m.redirectWithoutLocation, undefined, status)
        if (redirects >= maxRedirects) {
          throw new FeedDownloadError(
            'too_many_redirects',
            m.tooManyRedirects(maxRedirects),
            `more than ${maxRedirects} redirects`,
          )
        }
        current = checkUrl(location, true, current)
        continue
      }

      if (status < 200 || status > 299) {
        response.destroy()
        throw new FeedDownloadError('http_status', m.httpStatus(status), `HTTP ${status}`, status)
      }

      const lengthHeader = response.headers['content-length']
      const contentLength = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null
      if (contentLength !== null && contentLength > maxBytes) {
        response.destroy()
        throw new FeedDownloadError('too_large', m.downloadTooLarge(maxBytes), `content-length ${contentLength}`)
      }

      const body = decoded(response)
      const close = () => {
        body.destroy()
        response.destroy()
        finish()
      }
      async function* read(): AsyncGenerator<Uint8Array> {
        let received = 0
        try {
          const chunks = body[Symbol.asyncIterator]()
          while (true) {
            let next: IteratorResult<Buffer>
            try {
              next = await chunks.next()
            } catch (err) {
              throw failure(err)
            }
            if (next.done) return
            received += next.value.byteLength
            // Counted while streaming: Content-Length can be absent, wrong, or compressed size.
            if (received > maxBytes)
              throw new FeedDownloadError('too_large', m.downloadTooLarge(maxBytes), `more than ${maxBytes} bytes`)
            yield next.value
          }
        } finally {
          close()
        }
      }

      return {
        url: current.href,
        status,
        contentType: response.headers['content-type'] ?? null,
        contentLength,
        redirects,
        body: read(),
        cancel: close,
      }
    }
  } catch (err) {
    finish()
    throw failure(err)
  }
}

function checkUrl(input: string | URL, afterRedirect: boolean, base?: URL): URL {
  let url: URL
  try {
    url = new URL(input, base)
  } catch {
    throw new FeedDownloadError('invalid_url', m.invalidUrl, 'unparseable URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const message = afterRedirect ? m.redirectUnsupportedScheme(url.protocol) : m.unsupportedScheme(url.protocol)
    throw new FeedDownloadError('unsupported_scheme', message, `scheme ${url.protocol}`)
  }
  // Credentials in a feed URL would be sent to every redirect target; refuse them clearly.
  if (url.username !== '' || url.password !== '')
    throw new FeedDownloadError('invalid_url', m.invalidUrl, 'credentials in URL')
  return url
}

/** The addresses this hop may connect to (lib/net.ts), or the download's own error. */
async function allowedAddresses(
  url: URL,
  afterRedirect: boolean,
  allowAddress: (address: string) => boolean,
  resolve: Resolve,
): Promise<LookupAddress[]> {
  const checked = await checkedAddresses(url, allowAddress, resolve)
  if (checked.ok) return checked.addresses
  if (checked.reason === 'host_not_found')
    throw new FeedDownloadError('host_not_found', m.hostNotFound(url.hostname), checked.detail)
  const message = afterRedirect
    ? m.redirectPrivateAddress(url.hostname, checked.address)
    : m.privateAddress(url.hostname, checked.address)
  throw new FeedDownloadError('private_address', message, `${url.hostname} resolves to ${checked.address}`)
}

function request(
  url: URL,
  addresses: LookupAddress[],
  signal: AbortSignal,
  userAgent?: string,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        signal,
        // A fresh connection per request: a pooled one might have been checked under other rules.
        agent: false,
        lookup: pinnedLookup(addresses),
        headers: {
          accept: ACCEPT,
          'accept-encoding': 'gzip, deflate, br',
          'user-agent': userAgent ?? 'Fidelis-FeedImporter/1.0',
        },
      },
      (response) => {
        // Errors reach the reader through iteration; this keeps one after the reader is gone
        // (an abort, the total timeout) from being an unhandled 'error' event.
        response.on('error', () => undefined)
        resolve(response)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** The body with its Content-Encoding undone (we ask for gzip, deflate and br). */
function decoded(response: IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase()
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null
  if (!decoder) return response
  pipeline(response, decoder, () => undefined) // errors surface on the decoder's iteration
  return decoder
}

/** Rejects as soon as `signal` aborts (DNS lookups cannot be cancelled, only abandoned). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
  return `${err.name}: ${err.message}${cause}`
}
