import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import { eventually } from '../../test/eventually.ts'
import { anyAddress, downloadFeed as download, FeedDownloadError } from './download.ts'
import type { DownloadErrorCode, DownloadFeedOptions } from './download.ts'
import { generateFeed } from './generate.ts'
import { parseFeed } from './parse.ts'
import { item, rss } from './test-helpers.ts'
import { listenForTests } from '../../test/local-server.ts'

const FEED = rss(item('A') + item('B'))

/** The test server is on 127.0.0.1: these tests opt in, as FEED_ALLOW_PRIVATE_HOSTS does. */
const downloadFeed = (url: string, options: DownloadFeedOptions = {}) =>
  download(url, { allowAddress: anyAddress, ...options })
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
  '/to-metadata': (_req, res) => redirect(res, 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
  '/to-loopback-v6': (_req, res) => redirect(res, `http://[::1]:${port()}/feed`),
  '/to-other-loopback': (_req, res) => redirect(res, `http://127.0.0.2:${port()}/feed`),
  '/to-internal-name': (_req, res) => redirect(res, `http://metadata.internal:${port()}/feed`),
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
const port = () => (server.address() as AddressInfo).port
listenForTests(server, (url) => (base = url))

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
    let lookups = 0
    const resolve = async () => {
      lookups++
      return [{ address: '127.0.0.1', family: 4 }]
    }
    for (const url of [
      'file:///etc/passwd',
      'ftp://feeds.test/feed.xml',
      'data:text/xml,<rss/>',
      'javascript:alert(1)',
      'gopher://x',
    ]) {
      const err = await rejectsWith(downloadFeed(url, { resolve }), 'unsupported_scheme')
      assert.match(err.message, /apenas http:\/\/ e https:\/\//)
    }
    await rejectsWith(downloadFeed('not a url', { resolve }), 'invalid_url')
    await rejectsWith(downloadFeed('http://user:pass@feeds.test/feed', { resolve }), 'invalid_url')
    assert.equal(lookups, 0)
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
    const err = await rejectsWith(
      downloadFeed(`${base}/silent`, { connectTimeoutMs: 150, timeoutMs: 5000 }),
      'connect_timeout',
    )
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
    await eventually('the server to see both connections closed', () => abortedBodies >= 2)
    assert.equal(abortedBodies, 2)
  })

  it('can be cancelled from outside', async () => {
    const controller = new AbortController()
    const pending = downloadFeed(`${base}/silent`, { signal: controller.signal })
    controller.abort()
    await rejectsWith(pending, 'aborted')
  })
})

describe('downloadFeed refuses non-public addresses (SSRF)', () => {
  /** Public addresses only, as in production, except the test server itself for the first hop. */
  const onlyTestServer = (address: string) => address === '127.0.0.1'

  async function refused(promise: Promise<unknown>, address: string): Promise<FeedDownloadError> {
    const err = await rejectsWith(promise, 'private_address')
    assert.ok(err.message.includes(address), err.message)
    assert.match(err.message, /rede interna ou reservada .* não é aceit[oa] por segurança/)
    return err
  }

  it('refuses private, loopback, link-local, metadata, IPv6 and other reserved IP literals without connecting', async () => {
    requests.length = 0
    const literals: Array<[string, string]> = [
      [`http://127.0.0.1:${port()}/feed`, '127.0.0.1'],
      ['http://127.1.2.3/feed', '127.1.2.3'],
      ['http://2130706433/feed', '127.0.0.1'], // decimal spelling of 127.0.0.1
      ['http://0x7f.1/feed', '127.0.0.1'],
      ['http://10.1.2.3/feed', '10.1.2.3'],
      ['http://172.16.0.1/feed', '172.16.0.1'],
      ['https://192.168.0.10/feed', '192.168.0.10'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['http://100.64.0.1/feed', '100.64.0.1'],
      ['http://0.0.0.0/feed', '0.0.0.0'],
      ['http://224.0.0.1/feed', '224.0.0.1'],
      ['http://255.255.255.255/feed', '255.255.255.255'],
      [`http://[::1]:${port()}/feed`, '::1'],
      ['http://[::]/feed', '::'],
      ['http://[fe80::1]/feed', 'fe80::1'],
      ['http://[fc00::1]/feed', 'fc00::1'],
      ['http://[fd12:3456::1]/feed', 'fd12:3456::1'],
      ['http://[ff02::1]/feed', 'ff02::1'],
      ['http://[::ffff:169.254.169.254]/feed', '::ffff:a9fe:a9fe'], // IPv4-mapped metadata address
      ['http://[64:ff9b::a00:1]/feed', '64:ff9b::a00:1'], // NAT64 of 10.0.0.1
    ]
    for (const [url, address] of literals) {
      const err = await refused(download(url), address)
      assert.equal(err.detail?.endsWith(address), true, err.detail)
    }
    assert.equal(requests.length, 0, 'nothing reached the test server')
  })

  it('refuses a name that resolves to a private address, or to a private one among public ones', async () => {
    const dns: Record<string, string[]> = {
      'feeds.loja.test': ['10.0.0.7'],
      'metadata.google.internal': ['169.254.169.254'],
      'mixed.loja.test': ['93.184.215.14', '192.168.1.1'],
      'v6.loja.test': ['2606:4700::6810:1', 'fd00::5'],
    }
    const resolve = async (hostname: string) =>
      (dns[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    await refused(download('http://feeds.loja.test/feed.xml', { resolve }), '10.0.0.7')
    await refused(download('http://metadata.google.internal/computeMetadata/v1/', { resolve }), '169.254.169.254')
    await refused(download('https://mixed.loja.test/feed.xml', { resolve }), '192.168.1.1')
    await refused(download('https://v6.loja.test/feed.xml', { resolve }), 'fd00::5')
    // The real resolver: localhost is this machine.
    await refused(download(`http://localhost:${port()}/feed`), 'localhost')
    const unknown = await rejectsWith(download('http://nowhere.loja.test/feed.xml', { resolve }), 'host_not_found')
    assert.match(unknown.message, /nowhere\.loja\.test.*não foi encontrado/)
  })

  it('checks every redirect hop, with a readable report', async () => {
    const resolve = async (hostname: string) =>
      hostname === 'metadata.internal' ? [{ address: '10.0.0.1', family: 4 }] : []
    requests.length = 0
    const options = { allowAddress: onlyTestServer, resolve }
    const metadata = await refused(download(`${base}/to-metadata`, options), '169.254.169.254')
    assert.match(metadata.message, /redireciona para 169\.254\.169\.254/)
    await refused(download(`${base}/to-loopback-v6`, options), '::1')
    await refused(download(`${base}/to-other-loopback`, options), '127.0.0.2')
    await refused(download(`${base}/to-internal-name`, options), '10.0.0.1')
    // Only the first hops reached the test server; none of the targets was requested.
    assert.deepEqual(requests, ['/to-metadata', '/to-loopback-v6', '/to-other-loopback', '/to-internal-name'])
  })

  it('resolves once per hop and connects to the address it checked (no DNS rebinding)', async () => {
    // A rebinding resolver: the checked answer first, an internal one afterwards. The download
    // never asks again, so it connects where the check said (here: the test server, allowed).
    let lookups = 0
    const resolve = async () => [{ address: lookups++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 }]
    const result = await download(`http://feeds.rebind.test:${port()}/feed`, { allowAddress: onlyTestServer, resolve })
    assert.equal(await readAll(result.body), FEED)
    assert.equal(lookups, 1)
  })

  it('downloads from a private address when opted in (FEED_ALLOW_PRIVATE_HOSTS)', async () => {
    const result = await download(`http://localhost:${port()}/feed`, { allowAddress: anyAddress })
    assert.equal(await readAll(result.body), FEED)
  })
})
