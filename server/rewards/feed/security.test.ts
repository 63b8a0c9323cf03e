import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { describe, it } from 'node:test'
import { parseFeed } from './parse.ts'
import type { FeedSource, ParseFeedOptions } from './types.ts'
import { BILLION_LAUGHS, bytes, chunked, collect, G, item, rss } from './test-helpers.ts'
import { listenForTests } from '../../test/local-server.ts'

const MB = 1024 * 1024

async function fatalOf(source: FeedSource, options: Omit<ParseFeedOptions, 'onItem'> = {}) {
  const { result, items } = await collect(source, options)
  assert.equal(result.ok, false, 'expected a fatal result')
  if (result.ok) throw new Error('unreachable')
  return { fatal: result.fatal, items, report: result.report }
}

describe('DOCTYPE and entities', () => {
  it('billion laughs: fatal at the DOCTYPE line, nothing expanded, memory flat', async () => {
    const rssBefore = process.memoryUsage().rss
    // Byte by byte as well, so the DOCTYPE is recognised across chunk boundaries.
    for (const source of [[BILLION_LAUGHS], chunked(BILLION_LAUGHS, 1), chunked(BILLION_LAUGHS, 7)]) {
      const { fatal, items, report } = await fatalOf(source)
      assert.equal(fatal.code, 'doctype')
      assert.equal(fatal.line, 2)
      assert.match(fatal.message, /DOCTYPE/)
      assert.equal(items.length, 0)
      assert.equal(report.itemsSeen, 0)
    }
    assert.ok(process.memoryUsage().rss - rssBefore < 20 * MB)
  })

  it('a huge internal DTD is refused at its start, without reading the rest of the stream', async () => {
    let pulled = 0
    async function* source() {
      yield bytes(
        '<?xml version="1.0"?>\n<!-- a comment with <!DOCTYPE inside is fine -->\n<?pi x?>\n<!DOCTYPE rss [\n',
      )
      for (let i = 0; i < 10_000; i++) {
        pulled++
        yield bytes(`<!ENTITY e${i} "${'x'.repeat(10_000)}">\n`) // 100 MB if read to the end
      }
    }
    const rssBefore = process.memoryUsage().rss
    const { fatal, report } = await fatalOf(source())
    assert.equal(fatal.code, 'doctype')
    assert.equal(fatal.line, 4)
    assert.ok(pulled <= 1, `pulled ${pulled} chunks`)
    assert.ok(report.bytesRead < 64 * 1024)
    assert.ok(process.memoryUsage().rss - rssBefore < 20 * MB)
  })

  it('a short DOCTYPE followed by a stalled stream is refused without waiting for more bytes', async () => {
    async function* source() {
      yield bytes('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x "y">]>')
      await new Promise(() => undefined) // never resolves
    }
    const { fatal } = await fatalOf(source())
    assert.equal(fatal.code, 'doctype')
  })

  it('external entity (file:) is refused; the file is never read', async () => {
    const feed = rss(item('XXE', '<g:description>&xxe;</g:description>')).replace(
      '<rss',
      '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<rss',
    )
    const { fatal, items } = await fatalOf([feed])
    assert.equal(fatal.code, 'doctype')
    assert.equal(fatal.line, 2)
    assert.equal(items.length, 0)
  })

  describe('external entity over http', () => {
    let requests = 0
    const server = createServer((_req, res) => {
      requests++
      res.end('<!ENTITY leak "leaked">')
    })
    let base = ''
    listenForTests(server, (url) => (base = url))

    it('general, parameter and DOCTYPE SYSTEM ids are never fetched', async () => {
      const doctypes = [
        `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${base}/general">]>`,
        `<!DOCTYPE rss [<!ENTITY % dtd SYSTEM "${base}/parameter"> %dtd;]>`,
        `<!DOCTYPE rss SYSTEM "${base}/external.dtd">`,
        `<!DOCTYPE rss PUBLIC "-//X//DTD X//EN" "${base}/public.dtd">`,
      ]
      for (const doctype of doctypes) {
        const feed = rss(item('XXE', '<g:description>&xxe;</g:description>')).replace('<rss', `${doctype}\n<rss`)
        const { fatal } = await fatalOf([feed])
        assert.equal(fatal.code, 'doctype')
      }
      // Give a stray request time to arrive before checking none did.
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.equal(requests, 0)
    })
  })

  it('an undefined entity without DOCTYPE is fatal (never resolved to anything)', async () => {
    const { fatal } = await fatalOf([rss(item('A') + item('B', '<g:description>&xxe;</g:description>'))])
    assert.equal(fatal.code, 'entity')
    assert.equal(fatal.line, 22)
  })

  it('a DOCTYPE after the root element is fatal too', async () => {
    const feed = rss(item('A')).replace('<channel>', '<channel>\n<!DOCTYPE x [<!ENTITY a "b">]>')
    assert.equal((await fatalOf([feed])).fatal.code, 'doctype')
  })
})

describe('memory bounds inside the document', () => {
  it('one text node longer than the token cap is fatal before the end of the stream', async () => {
    let pulled = 0
    async function* source() {
      yield bytes(rss('').replace('</channel>', `<item><g:id>A</g:id><g:description>`).replace('</rss>\n', ''))
      for (let i = 0; i < 1000; i++) {
        pulled++
        yield bytes('y'.repeat(50_000))
      }
    }
    const { fatal } = await fatalOf(source(), { maxTokenChars: 200_000 })
    assert.equal(fatal.code, 'token_too_large')
    assert.ok(pulled < 10)
  })

  it('an endless comment or attribute list is caught the same way', async () => {
    const comment = [rss(item('A')).replace('<channel>', `<channel><!-- ${'c'.repeat(300_000)}`)]
    assert.equal((await fatalOf(comment, { maxTokenChars: 200_000 })).fatal.code, 'token_too_large')
    const attributes = Array.from({ length: 30_000 }, (_, i) => ` a${i}="v"`).join('')
    const tag = [rss(item('A')).replace('<channel>', `<channel><x${attributes}/>`)]
    assert.equal((await fatalOf(tag, { maxTokenChars: 200_000 })).fatal.code, 'token_too_large')
  })

  it('deep nesting is fatal', async () => {
    const deep = `${'<x>'.repeat(100)}${'</x>'.repeat(100)}`
    const { fatal } = await fatalOf([rss(item('A', deep))])
    assert.equal(fatal.code, 'too_deep')
  })

  it('the default maxItems (200 000) is enforced', async () => {
    // Tiny items so the test stays quick; stops at item 200 001.
    const body = '<item><g:id>x</g:id></item>'
    async function* source() {
      yield bytes(`<rss xmlns:g="${G}"><channel>`)
      for (let i = 0; i < 300; i++) yield bytes(body.repeat(1000))
    }
    const { fatal, report } = await fatalOf(source())
    assert.equal(fatal.code, 'too_many_items')
    assert.equal(report.itemsSeen, 200_001)
  })
})

describe('the API makes a fatal result unmistakable', () => {
  it('ok is false and fatal is set on the result and the report', async () => {
    const result = await parseFeed(['<rss>'])
    assert.equal(result.ok, false)
    if (!result.ok) {
      assert.equal(result.fatal.code, 'truncated')
      assert.equal(result.report.fatal.code, 'truncated')
    }
    const good = await parseFeed([rss(item('A'))])
    assert.equal(good.ok, true)
    assert.equal('fatal' in good.report, false)
  })
})
