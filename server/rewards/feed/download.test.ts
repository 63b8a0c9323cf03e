import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { after, before, describe, it } from 'node:test'
import { downloadFeed, FeedDownloadError } from './download.ts'
import type { DownloadErrorCode } from './download.ts'
import { generateFeed } from './generate.ts'
import { parseFeed } from './parse.ts'
import { item, rss } from './test-helpers.ts'

const FEED = rss(item('A') + item('B'))
const requests: string[] = []
let abortedBodies = 0

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/feed': (_req, res) => {
    res.setHeader('content-type', 'application/xml; charset=utf-8')
    res.end(FEED)
  },
  '/r1': (_req, res) => redirect(res, '/r2'),
  '/r2': (_req, res) => redirect(res, 'r3'), // relative
  '/r3': (_req, res) => redirect(res, `${base}/feed`),
  '/loop': (_req, res) => redirect(res, '/loop'),
  '/to-file': (_req, res) => redirect(res, 'file:///etc/passwd'),
  '/to-ftp': (_req, res) => redirect(res, 'ftp://127.0.0.1/feed.xml'),
  '/no-location': (_req, res) => {
    res.statusCode = 302
    res.end()
  },
  '/missing': (_req, res) => {
    res.statusCode = 404
    res.end('not found')
  },
  '/silent': () => {
    // Accepts the connection and never answers.
  },
  '/stall-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' })
    res.write(FEED.slice(0, 100)) // then nothing, forever
  },
  '/big-declared': (_req, res) => {
    res.writeHead(200, { 'content-length': String(5000) })
    res.end('x'.repeat(5000))
  },
  '/big-chunked': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' }) // no content-length
    for (let i = 0; i < 50; i++) res.write('x'.repeat(100))
    res.end()
  },
  '/gzip-bomb': (_req, res) => {
    const body = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)) // 10 MB of spaces, ~10 kB on the wire
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(body.length) })
    res.end(body)
  },
  '/endless': (_req, res) => {
    // A valid but never-ending feed; counts whether the client hung up early.
    res.writeHead(200, { 'content-type': 'application/xml' })
    res.on('close', () => {
      if (!res.writableFinished) abortedBodies++
    })
    const pump = async () => {
      for await (const chunk of generateFeed({ items: 1_000_000 })) {
        if (res.destroyed) return
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
      }
    }
    pump().catch(() => undefined)
  },
  '/doctype': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' })
    res.on('close', () => {
      if (!res.writableFinished) abortedBodies++
    })
    res.write('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x "y">]>\n')
    // Keeps the response open: only the client hanging up ends it.
  },
}

function redirect(res: ServerResponse, location: string) {
  res.statusCode = 302
  res.setHeader('location', location)
  res.end()
}

const server = createServer((req, res) => {
  requests.push(req.url ?? '')
  const route = routes[req.url ?? '']
  if (route) route(req, res)
  else routes['/missing']?.(req, res)
})
let base = ''

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => {
  server.closeAllConnections()
  server.close()
})

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = []
  for await (const chunk of body) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts).toString('utf8')
}

async function rejectsWith(promise: Promise<unknown>, code: DownloadErrorCode): Promise<FeedDownloadError> {
  try {
    await promise
  } catch (err) {
    assert.ok(err instanceof FeedDownloadError, `expected FeedDownloadError, got ${String(err)}`)
    assert.equal(err.code, code, err.message)
    return err
  }
  assert.fail(`expected ${code}`)
}

describe('downloadFeed', () => {
  it('downloads a feed that parseFeed reads', async () => {
    const download = await downloadFeed(`${base}/feed`)
    assert.equal(download.status, 200)
    assert.equal(download.redirects, 0)
    assert.equal(download.contentType, 'application/xml; charset=utf-8')
    const result = await parseFeed(download.body)
    assert.equal(result.ok, true)
    assert.equal(result.report.itemsAccepted, 2)
  })

  it('follows up to maxRedirects redirects, relative ones included', async () => {
    const download = await downloadFeed(`${base}/r1`)
    assert.equal(download.redirects, 3)
    assert.equal(download.url, `${base}/feed`)
    assert.equal(await readAll(download.body), FEED)
  })

  it('stops after maxRedirects', async () => {
    requests.length = 0
    const err = await rejectsWith(downloadFeed(`${base}/loop`, { maxRedirects: 3 }), 'too_many_redirects')
    assert.equal(err.message, 'O endereço do feed redireciona mais de 3 vezes.')
    assert.equal(requests.length, 4)
    await rejectsWith(downloadFeed(`${base}/r1`, { maxRedirects: 2 }), 'too_many_redirects')
  })

  it('accepts only http and https, before any request', async () => {
    let calls = 0
    const fetchImpl: typeof fetch = async (...args) => {
      calls++
      return fetch(...args)
    }
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/feed.xml', 'data:text/xml,<rss/>', 'javascript:alert(1)', 'gopher://x']) {
      const err = await rejectsWith(downloadFeed(url, { fetchImpl }), 'unsupported_scheme')
      assert.match(err.message, /apenas http:\/\/ e https:\/\//)
    }
    await rejectsWith(downloadFeed('not a url', { fetchImpl }), 'invalid_url')
    await rejectsWith(downloadFeed('http://user:pass@127.0.0.1/feed', { fetchImpl }), 'invalid_url')
    assert.equal(calls, 0)
  })

  it('refuses a redirect to file: or ftp:', async () => {
    const err = await rejectsWith(downloadFeed(`${base}/to-file`), 'unsupported_scheme')
    assert.match(err.message, /redireciona para "file:"/)
    await rejectsWith(downloadFeed(`${base}/to-ftp`), 'unsupported_scheme')
    await rejectsWith(downloadFeed(`${base}/no-location`), 'redirect_without_location')
  })

  it('reports HTTP errors with the status', async () => {
    const err = await rejectsWith(downloadFeed(`${base}/missing`), 'http_status')
    assert.equal(err.status, 404)
    assert.equal(err.message, 'O servidor do feed respondeu com o status HTTP 404.')
  })

  it('times out when the server never answers', async () => {
    const err = await rejectsWith(downloadFeed(`${base}/silent`, { connectTimeoutMs: 150, timeoutMs: 5000 }), 'connect_timeout')
    assert.match(err.message, /não respondeu/)
    // With only the total timeout set short, it is the one reported.
    await rejectsWith(downloadFeed(`${base}/silent`, { timeoutMs: 150 }), 'timeout')
  })

  it('times out when the body stalls, and parseFeed reports it as fatal', async () => {
    const download = await downloadFeed(`${base}/stall-body`, { timeoutMs: 200 })
    const result = await parseFeed(download.body)
    assert.equal(result.ok, false)
    assert.equal(result.report.fatal?.code, 'download')
    assert.equal(result.report.fatal?.detail, 'timeout')
    assert.match(result.report.fatal?.message ?? '', /tempo limite/)
  })

  it('refuses a body over maxBytes from Content-Length, before reading it', async () => {
    const err = await rejectsWith(downloadFeed(`${base}/big-declared`, { maxBytes: 1000 }), 'too_large')
    assert.equal(err.detail, 'content-length 5000')
  })

  it('cuts a body over maxBytes while streaming (no Content-Length)', async () => {
    const download = await downloadFeed(`${base}/big-chunked`, { maxBytes: 1000 })
    assert.equal(download.contentLength, null)
    await rejectsWith(readAll(download.body), 'too_large')
  })

  it('counts decompressed bytes, so a gzip bomb is cut too', async () => {
    const download = await downloadFeed(`${base}/gzip-bomb`, { maxBytes: 256 * 1024 })
    assert.ok((download.contentLength ?? 0) < 256 * 1024)
    const result = await parseFeed(download.body)
    assert.equal(result.report.fatal?.code, 'download')
    assert.equal(result.report.fatal?.detail, 'too_large')
    assert.ok(result.report.bytesRead <= 256 * 1024)
  })

  it('hangs up as soon as parseFeed stops (limit reached, DOCTYPE)', async () => {
    abortedBodies = 0
    const endless = await downloadFeed(`${base}/endless`)
    const tooBig = await parseFeed(endless.body, { maxBytes: 2 * 1024 * 1024 })
    assert.equal(tooBig.report.fatal?.code, 'too_large')

    const doctype = await downloadFeed(`${base}/doctype`)
    const refused = await parseFeed(doctype.body)
    assert.equal(refused.report.fatal?.code, 'doctype')

    // The server sees both connections closed by the client.
    for (let i = 0; i < 50 && abortedBodies < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.equal(abortedBodies, 2)
  })

  it('can be cancelled from outside', async () => {
    const controller = new AbortController()
    const pending = downloadFeed(`${base}/silent`, { signal: controller.signal })
    controller.abort()
    await rejectsWith(pending, 'aborted')
  })
})
