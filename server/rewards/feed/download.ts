import { feedMessages as m } from './messages.ts'

export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024
export const DEFAULT_MAX_REDIRECTS = 3

export type DownloadErrorCode =
  | 'invalid_url'
  | 'unsupported_scheme'
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
  fetchImpl?: typeof fetch
  /** Aborts the download from outside (job cancelled, shutdown). */
  signal?: AbortSignal
  userAgent?: string
}

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

/**
 * Starts an HTTP(S) download of a feed with the limits an untrusted URL needs. Resolves once a
 * 2xx response's headers have arrived; the body streams through `body`.
 *
 * Redirects are followed by hand (fetch's `redirect: 'follow'` would accept any number up to
 * 20 and we could not check each target's scheme). Not covered here: requests to private
 * addresses (SSRF); that needs a DNS-aware agent in front of fetch.
 */
export async function downloadFeed(url: string | URL, options: DownloadFeedOptions = {}): Promise<FeedDownload> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS
  const connectTimeoutMs = Math.min(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs)
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS
  const fetchImpl = options.fetchImpl ?? globalThis.fetch

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
    if (timedOut === 'connect') return new FeedDownloadError('connect_timeout', m.connectTimeout(connectTimeoutMs), detail)
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
      let response: Response
      try {
        response = await fetchImpl(current, {
          redirect: 'manual',
          signal: controller.signal,
          headers: {
            accept: 'application/xml, text/xml, application/rss+xml, application/atom+xml;q=0.9, */*;q=0.5',
            'user-agent': options.userAgent ?? 'Fidelis-FeedImporter/1.0',
          },
        })
      } finally {
        clearTimeout(connectTimer)
      }

      if (REDIRECT_STATUSES.has(response.status)) {
        await response.body?.cancel().catch(() => undefined)
        const location = response.headers.get('location')
        if (!location) throw new FeedDownloadError('redirect_without_location', m.redirectWithoutLocation, undefined, response.status)
        if (redirects >= maxRedirects) {
          throw new FeedDownloadError('too_many_redirects', m.tooManyRedirects(maxRedirects), `more than ${maxRedirects} redirects`)
        }
        current = checkUrl(location, true, current)
        continue
      }

      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel().catch(() => undefined)
        throw new FeedDownloadError('http_status', m.httpStatus(response.status), `HTTP ${response.status}`, response.status)
      }

      const lengthHeader = response.headers.get('content-length')
      const contentLength = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null
      if (contentLength !== null && contentLength > maxBytes) {
        await response.body?.cancel().catch(() => undefined)
        throw new FeedDownloadError('too_large', m.downloadTooLarge(maxBytes), `content-length ${contentLength}`)
      }

      const body = response.body
      async function* read(): AsyncGenerator<Uint8Array> {
        if (!body) return
        const reader = body.getReader()
        let received = 0
        try {
          while (true) {
            let next: ReadableStreamReadResult<Uint8Array>
            try {
              next = await reader.read()
            } catch (err) {
              throw failure(err)
            }
            if (next.done) return
            received += next.value.byteLength
            // Counted while streaming: Content-Length can be absent, wrong, or compressed size.
            if (received > maxBytes) throw new FeedDownloadError('too_large', m.downloadTooLarge(maxBytes), `more than ${maxBytes} bytes`)
            yield next.value
          }
        } finally {
          finish()
        }
      }

      return {
        url: current.href,
        status: response.status,
        contentType: response.headers.get('content-type'),
        contentLength,
        redirects,
        body: read(),
        cancel: finish,
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
  // fetch refuses URLs with credentials anyway; say so clearly instead of a generic TypeError.
  if (url.username !== '' || url.password !== '') throw new FeedDownloadError('invalid_url', m.invalidUrl, 'credentials in URL')
  return url
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
  return `${err.name}: ${err.message}${cause}`
}
