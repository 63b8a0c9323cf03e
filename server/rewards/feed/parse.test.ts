import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { parseFeed } from './parse.ts'
import { formatImportReport } from './report.ts'
import { atom, bytes, chunked, collect, G, item, rss } from './test-helpers.ts'

// The two examples of ../shared/reference/google-shopping-feed.md, copied verbatim into the
// repository: tests must not read outside it (CI runs on a bare checkout).
const referenceRss = readFileSync(new URL('./fixtures/reference-rss.xml', import.meta.url), 'utf8')
const referenceAtom = readFileSync(new URL('./fixtures/reference-atom.xml', import.meta.url), 'utf8')

describe('parseFeed: RSS 2.0', () => {
  it('reads every field of the reference example and skips the out-of-stock variant', async () => {
    const { result, items } = await collect([referenceRss], { now: new Date('2025-11-29T12:00:00Z') })
    assert.equal(result.ok, true)
    assert.equal(result.report.format, 'rss')
    assert.deepEqual(items, [
      {
        id: 'CAM-AZ-M',
        title: 'Camiseta Algodão Azul - M',
        priceCents: 9990,
        salePriceCents: 7990,
        salePriceEffective: { start: '2025-11-28T03:00:00.000Z', end: '2025-12-02T02:59:00.000Z' },
        imageUrl: 'https://cdn.exemplo.invalid/800x800/camiseta-azul.jpg',
        link: 'https://loja.exemplo.invalid/camiseta-algodao-azul?tam=m',
        availability: 'in_stock',
        itemGroupId: 'CAM-AZ',
        line: 8,
      },
      {
        id: 'CANECA-001',
        title: 'Caneca de Cerâmica 350 ml',
        // The nested <g:shipping><g:price>19.90 BRL</g:price> must not replace the item price.
        priceCents: 12990,
        salePriceCents: null,
        salePriceEffective: null,
        imageUrl: 'https://cdn.exemplo.invalid/800x800/caneca.jpg',
        link: 'https://loja.exemplo.invalid/caneca-ceramica-350',
        availability: 'in_stock',
        itemGroupId: null,
        line: 46,
      },
    ])
    assert.deepEqual(
      { ...result.report, errors: undefined, warnings: undefined },
      {
        format: 'rss',
        bytesRead: Buffer.byteLength(referenceRss),
        itemsSeen: 3,
        itemsAccepted: 2,
        skippedOutOfStock: 1,
        skippedNotAllowed: 0,
        skippedInvalid: 0,
        errors: undefined,
        errorCount: 0,
        warnings: undefined,
        warningCount: 0,
      },
    )
  })

  it('drops a sale price outside its effective window', async () => {
    const { items } = await collect([referenceRss], { now: new Date('2025-12-05T12:00:00Z') })
    assert.equal(items[0]?.salePriceCents, null)
    assert.equal(items[0]?.priceCents, 9990)
    assert.notEqual(items[0]?.salePriceEffective, null)
  })

  it('reads the un-prefixed RSS title and link (older Google examples)', async () => {
    const feed = rss(
      item('A1', '<title>  Título\n  RSS  </title>\n<link>https://loja.exemplo.invalid/a1</link>', ['title', 'link']),
    )
    const { items } = await collect([feed])
    assert.equal(items[0]?.title, 'Título RSS')
    assert.equal(items[0]?.link, 'https://loja.exemplo.invalid/a1')
  })

  it('prefers g:title over the RSS title and keeps the first of repeated fields', async () => {
    const feed = rss(
      item('A1', '<title>RSS</title>\n<g:price>99.00 BRL</g:price>') +
        item('A2', '<g:title> </g:title><title>RSS</title>', ['title']),
    )
    const { items } = await collect([feed])
    assert.equal(items[0]?.title, 'Produto A1')
    assert.equal(items[0]?.priceCents, 1000)
    assert.equal(items[1]?.title, 'RSS') // an empty g:title falls back to the RSS one
  })

  it('reads CDATA and entities in text', async () => {
    const feed = rss(item('A1', '<g:title><![CDATA[Caneca <Azul>]]> &amp; Pires &#233;</g:title>', ['title']))
    const { items } = await collect([feed])
    assert.equal(items[0]?.title, 'Caneca <Azul> & Pires é')
  })

  it('resolves the Google namespace by URI, whatever the prefix', async () => {
    const feed = rss(
      '<item><google:id>X1</google:id><google:title>T</google:title><google:price>5.00 BRL</google:price>' +
        '<google:availability>in_stock</google:availability></item>',
      `xmlns:google="${G}"`,
    )
    const { result, items } = await collect([feed])
    assert.equal(result.ok, true)
    assert.equal(items[0]?.id, 'X1')
  })
})

describe('parseFeed: Atom 1.0', () => {
  it('reads the reference Atom example', async () => {
    const { result, items } = await collect([referenceAtom])
    assert.equal(result.ok, true)
    assert.equal(result.report.format, 'atom')
    assert.deepEqual(items, [
      {
        id: 'CANECA-001',
        title: 'Caneca de Cerâmica 350 ml',
        priceCents: 12990,
        salePriceCents: null,
        salePriceEffective: null,
        imageUrl: 'https://cdn.exemplo.invalid/800x800/caneca.jpg',
        link: 'https://loja.exemplo.invalid/caneca-ceramica-350',
        availability: 'in_stock',
        itemGroupId: null,
        line: 8,
      },
    ])
  })

  it('falls back to the entry <id>, takes the alternate link and a sale price', async () => {
    const feed = atom(
      '<entry>\n<title>Boné</title>\n<id>BONE-1</id>\n' +
        '<link rel="self" href="https://loja.exemplo.invalid/self"/>\n' +
        '<link href="https://loja.exemplo.invalid/bone"/>\n' +
        '<g:price>50.00 BRL</g:price>\n<g:sale_price>45.5 BRL</g:sale_price>\n<g:availability>preorder</g:availability>\n</entry>\n',
    )
    const { result, items } = await collect([feed])
    assert.equal(result.ok, true)
    assert.deepEqual(items[0], {
      id: 'BONE-1',
      title: 'Boné',
      priceCents: 5000,
      salePriceCents: 4550,
      salePriceEffective: null,
      imageUrl: null,
      link: 'https://loja.exemplo.invalid/bone',
      availability: 'preorder',
      itemGroupId: null,
      line: 6,
    })
  })
})

describe('parseFeed: availability', () => {
  it('accepts in_stock, "in stock", preorder, backorder; skips out_of_stock and "out of stock"', async () => {
    const values = [
      'in_stock',
      'in stock',
      'IN_STOCK',
      'preorder',
      'backorder',
      'out_of_stock',
      'out of stock',
      ' Out Of Stock ',
    ]
    const feed = rss(
      values.map((v, i) => item(`I${i}`, `<g:availability>${v}</g:availability>`, ['availability'])).join(''),
    )
    const { result, items } = await collect([feed])
    assert.equal(result.ok, true)
    assert.deepEqual(
      items.map((i) => i.availability),
      ['in_stock', 'in_stock', 'in_stock', 'preorder', 'backorder'],
    )
    assert.equal(result.report.skippedOutOfStock, 3)
  })

  it('reports an unknown or missing availability as an item error', async () => {
    const feed = rss(
      item('A', '<g:availability>talvez</g:availability>', ['availability']) +
        item('B', '', ['availability']) +
        item('C'),
    )
    const { result, items } = await collect([feed])
    assert.equal(result.ok, true)
    assert.deepEqual(
      items.map((i) => i.id),
      ['C'],
    )
    assert.equal(result.report.skippedInvalid, 2)
    assert.match(result.report.errors[0]?.message ?? '', /Disponibilidade desconhecida: "talvez"/)
    assert.match(result.report.errors[1]?.message ?? '', /Campo obrigatório ausente: g:availability/)
  })
})

describe('parseFeed: allowlist', () => {
  const feed = rss(
    item('SKU-1', '<g:item_group_id>PAI-1</g:item_group_id>') +
      item('SKU-2', '<g:item_group_id>PAI-1</g:item_group_id>') +
      item('SKU-3', '<g:item_group_id>PAI-2</g:item_group_id>') +
      item('SKU-4', '<g:mpn>SKU-9</g:mpn>') +
      item('SKU-5', '<g:availability>out_of_stock</g:availability>', ['availability']),
  )

  it('keeps items whose g:id or g:item_group_id is listed (g:mpn is not a store SKU)', async () => {
    const { result, items } = await collect([feed], { allowlist: new Set(['SKU-3', 'PAI-1', 'SKU-9', 'SKU-5']) })
    assert.deepEqual(
      items.map((i) => i.id),
      ['SKU-1', 'SKU-2', 'SKU-3'],
    )
    assert.equal(result.report.skippedNotAllowed, 1)
    assert.equal(result.report.skippedOutOfStock, 1)
  })

  it('an empty allowlist means no filtering', async () => {
    const { items } = await collect([feed], { allowlist: new Set() })
    assert.equal(items.length, 4)
  })

  it('items outside the allowlist are not validated', async () => {
    const broken = rss(item('OUT', '<g:price>abc</g:price>', ['price']) + item('IN'))
    const { result, items } = await collect([broken], { allowlist: new Set(['IN']) })
    assert.equal(items.length, 1)
    assert.equal(result.report.errorCount, 0)
    assert.equal(result.report.skippedNotAllowed, 1)
  })
})

describe('parseFeed: item errors', () => {
  it('reports missing required fields with line numbers and continues', async () => {
    const feed = rss(
      item('OK1') +
        item('NOID', '', ['id']) +
        item('NOPRICE', '', ['price']) +
        item('NOTITLE', '', ['title']) +
        item('OK2'),
    )
    const { result, items } = await collect([feed])
    assert.equal(result.ok, true)
    assert.deepEqual(
      items.map((i) => i.id),
      ['OK1', 'OK2'],
    )
    assert.equal(result.report.skippedInvalid, 3)
    assert.deepEqual(result.report.errors, [
      { line: 15, message: 'Campo obrigatório ausente: g:id.' },
      { line: 22, itemId: 'NOPRICE', message: 'Campo obrigatório ausente: g:price.' },
      { line: 29, itemId: 'NOTITLE', message: 'Campo obrigatório ausente: g:title.' },
    ])
  })

  it('reports every problem of an item, at the line of the field', async () => {
    const feed = rss(
      item('X', '<g:price>12,90 BRL</g:price>\n<g:availability>sim</g:availability>', [
        'price',
        'availability',
        'title',
      ]),
    )
    const { result } = await collect([feed])
    assert.deepEqual(
      result.report.errors.map((e) => e.line),
      [7, 11, 12],
    )
    assert.equal(result.report.skippedInvalid, 1)
    assert.equal(result.report.errorCount, 3)
  })

  it('rejects prices in another currency and malformed prices', async () => {
    const prices = ['15.00 USD', '4999 JPY', '12,90 BRL', 'R$ 10,00', '10.00', '1.299.90 BRL', '0.00 BRL', '']
    const feed = rss(prices.map((p, i) => item(`P${i}`, `<g:price>${p}</g:price>`, ['price'])).join('') + item('OK'))
    const { result, items } = await collect([feed])
    assert.equal(result.ok, true)
    assert.equal(items.length, 1)
    assert.deepEqual(
      result.report.errors.map((e) => [e.itemId, e.message]),
      [
        ['P0', 'g:price em USD: apenas preços em reais (BRL) são aceitos.'],
        ['P1', 'g:price em JPY: apenas preços em reais (BRL) são aceitos.'],
        ['P2', 'g:price em formato inválido: "12,90 BRL". Use o formato "129.90 BRL" (ponto como separador decimal).'],
        ['P3', 'g:price em formato inválido: "R$ 10,00". Use o formato "129.90 BRL" (ponto como separador decimal).'],
        ['P4', 'g:price sem moeda: "10.00". Use o formato "129.90 BRL".'],
        [
          'P5',
          'g:price em formato inválido: "1.299.90 BRL". Use o formato "129.90 BRL" (ponto como separador decimal).',
        ],
        ['P6', 'g:price deve ser maior que zero.'],
        ['P7', 'Campo obrigatório ausente: g:price.'],
      ],
    )
  })

  it('rejects an item whose sale price is in another currency; ignores a sale price not lower than the price', async () => {
    const feed = rss(
      item('S1', '<g:sale_price>8.00 USD</g:sale_price>') +
        item('S2', '<g:sale_price>10.00 BRL</g:sale_price>') +
        item('S3', '<g:sale_price>9.99 BRL</g:sale_price>'),
    )
    const { result, items } = await collect([feed])
    assert.deepEqual(
      items.map((i) => [i.id, i.salePriceCents]),
      [
        ['S2', null],
        ['S3', 999],
      ],
    )
    assert.equal(result.report.errors[0]?.itemId, 'S1')
    assert.equal(result.report.warnings[0]?.itemId, 'S2')
  })

  it('rejects ids over 50 characters and duplicate ids', async () => {
    const long = 'L'.repeat(51)
    const feed = rss(item(long) + item('D1') + item('D1'))
    const { result, items } = await collect([feed])
    assert.deepEqual(
      items.map((i) => i.id),
      ['D1'],
    )
    assert.equal(result.report.errors[0]?.message, 'O g:id passa de 50 caracteres.')
    assert.match(result.report.errors[1]?.message ?? '', /"D1" se repete \(primeira ocorrência na linha 15\)/)
  })

  it('drops non-http(s) links and images with a warning but keeps the item', async () => {
    const feed = rss(
      item('U1', '<g:link>javascript:alert(1)</g:link>\n<g:image_link>ftp://x/y.jpg</g:image_link>', [
        'link',
        'image_link',
      ]),
    )
    const { result, items } = await collect([feed])
    assert.equal(items[0]?.link, null)
    assert.equal(items[0]?.imageUrl, null)
    assert.equal(result.report.warningCount, 2)
  })

  it('caps the errors kept in the report but counts them all', async () => {
    const feed = rss(Array.from({ length: 30 }, (_, i) => item(`E${i}`, '', ['price'])).join('') + item('OK'))
    const { result } = await collect([feed], { maxErrors: 5 })
    assert.equal(result.report.errors.length, 5)
    assert.equal(result.report.errorCount, 30)
    assert.match(formatImportReport(result.report), /… e mais 25\./)
  })

  it('rejects a field longer than 10 000 characters', async () => {
    const long = 'x'.repeat(10_001)
    const feed = rss(
      item('T1', `<g:title>${long}</g:title>`, ['title']) +
        item('T2', `<g:price>${long}</g:price>`, ['price']) +
        item(`${long}`) +
        item('OK'),
    )
    const { result, items } = await collect([feed])
    assert.equal(items.length, 1)
    assert.deepEqual(
      result.report.errors.map((e) => e.message),
      [
        'O campo g:title passa de 10.000 caracteres.',
        'O campo g:price passa de 10.000 caracteres.',
        'O g:id passa de 50 caracteres.',
      ],
    )
  })
})

describe('parseFeed: fatal feeds', () => {
  const fatalOf = async (source: Parameters<typeof parseFeed>[0], options = {}) => {
    const { result, items } = await collect(source, options)
    assert.equal(result.ok, false)
    if (result.ok) throw new Error('unreachable')
    assert.deepEqual(result.fatal, result.report.fatal)
    return { fatal: result.fatal, items, report: result.report }
  }

  it('not XML: JSON, CSV, plain text', async () => {
    for (const text of ['{"items": []}', 'id,title,price\n1,a,10.00 BRL\n', 'hello']) {
      const { fatal } = await fatalOf([text])
      assert.equal(fatal.code, 'not_xml')
      assert.equal(fatal.line, 1)
      assert.equal(fatal.message, 'O arquivo não é um XML válido.')
    }
  })

  it('an empty document', async () => {
    assert.equal((await fatalOf([''])).fatal.code, 'empty_document')
    assert.equal((await fatalOf(['  \n '])).fatal.code, 'empty_document')
  })

  it('an HTML page', async () => {
    const { fatal } = await fatalOf(['<!doctype html>\n<html><body>Login</body></html>'])
    assert.equal(fatal.code, 'not_xml')
    assert.match(fatal.message, /página HTML/)
    assert.equal((await fatalOf(['<html><body>x</body></html>'])).fatal.code, 'not_xml')
  })

  it('truncated XML, with the last line', async () => {
    const full = rss(item('A') + item('B'))
    const cut = full.slice(0, full.indexOf('<g:price>10.00', full.indexOf('<g:id>B')))
    const { fatal, items } = await fatalOf([cut])
    assert.equal(fatal.code, 'truncated')
    assert.equal(fatal.line, cut.split('\n').length)
    assert.equal(items.length, 1) // emitted before the end was reached; the caller discards it
  })

  it('malformed XML in the middle, with its line', async () => {
    const feed = rss(item('A') + '<item><g:id>B</g:id></itm>\n' + item('C'))
    const { fatal } = await fatalOf([feed])
    assert.equal(fatal.code, 'malformed_xml')
    assert.equal(fatal.line, 15)
    assert.equal(fatal.message, 'XML malformado: tag de fechamento sem a tag de abertura correspondente.')
    assert.match(fatal.detail ?? '', /close tag/)
  })

  it('a bare & (unescaped, as in URLs), at its own line', async () => {
    const feed = rss(
      item('A') + item('B', '<g:link>https://loja.exemplo.invalid/b?cor=azul&tam=m</g:link>', ['link']) + item('C'),
    )
    const { fatal } = await fatalOf([feed])
    assert.equal(fatal.code, 'malformed_xml')
    assert.equal(fatal.line, 21)
    assert.match(fatal.message, /caractere & sem escape/)
    // Byte by byte too: the check survives chunk boundaries.
    assert.equal((await fatalOf(chunked(feed, 1))).fatal.line, 21)
  })

  it('& is fine in CDATA, comments and as a reference split across chunks', async () => {
    const feed = rss(
      item(
        'A',
        '<g:description><![CDATA[a & b ]] > ]]></g:description>\n<!-- x & y -->\n<g:brand>M &amp; N &#38; &#x26;</g:brand>',
      ),
    )
    for (const size of [1, 2, 3, 5, 8, 1000]) {
      const { result } = await collect(chunked(feed, size))
      assert.equal(result.ok, true, `chunk size ${size}`)
    }
  })

  it('wrong root element or Atom 0.3', async () => {
    assert.equal((await fatalOf(['<products><product/></products>'])).fatal.code, 'not_a_feed')
    const atom03 = '<feed xmlns="http://purl.org/atom/ns#"><entry/></feed>'
    assert.match((await fatalOf([atom03])).fatal.message, /Atom 0\.3/)
  })

  it('missing Google namespace (g: prefix unbound)', async () => {
    const { fatal } = await fatalOf([rss(item('A'), '')])
    assert.equal(fatal.code, 'namespace')
    assert.match(fatal.message, /não declara o namespace do Google/)
  })

  it('wrong Google namespace URI', async () => {
    const { fatal } = await fatalOf([rss(item('A') + item('B'), 'xmlns:g="http://base.google.com/ns/2.0"')])
    assert.equal(fatal.code, 'namespace')
    assert.equal(fatal.line, 7)
    assert.match(fatal.message, /"http:\/\/base\.google\.com\/ns\/2\.0"/)
  })

  it('no g: fields at all (plain RSS news feed)', async () => {
    const feed = rss('<item><title>Notícia</title><link>https://x.invalid/n</link></item>')
    assert.equal((await fatalOf([feed])).fatal.code, 'namespace')
  })

  it('a feed without items, or where every item is invalid', async () => {
    assert.equal((await fatalOf([rss('')])).fatal.code, 'no_items')
    const { fatal, report } = await fatalOf([rss(item('A', '', ['price']) + item('B', '', ['price']))])
    assert.equal(fatal.code, 'all_invalid')
    assert.equal(report.errorCount, 2)
  })

  it('more than maxItems items stops at the first extra item', async () => {
    const feed = rss(Array.from({ length: 10 }, (_, i) => item(`M${i}`)).join(''))
    const { fatal, report } = await fatalOf([feed], { maxItems: 5 })
    assert.equal(fatal.code, 'too_many_items')
    assert.equal(report.itemsSeen, 6)
    assert.match(fatal.message, /limite de 5 produtos/)
  })

  it('more than maxBytes stops reading the source', async () => {
    let pulled = 0
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++
        yield bytes(
          i === 0 ? '<?xml version="1.0"?>\n<rss version="2.0" xmlns:g="' + G + '"><channel>\n' : item(`B${i}`),
        )
      }
    }
    const { fatal, report } = await fatalOf(source(), { maxBytes: 2000 })
    assert.equal(fatal.code, 'too_large')
    assert.ok(report.bytesRead > 2000 && report.bytesRead < 2400)
    assert.ok(pulled < 20)
  })

  it('a fatal result destroys a Readable source', async () => {
    const stream = Readable.from(
      (function* () {
        yield bytes(rss(item('A')).replace('</channel>\n</rss>\n', ''))
        for (let i = 0; i < 1_000_000; i++) yield bytes(item(`R${i}`))
      })(),
    )
    const { fatal } = await fatalOf(stream, { maxItems: 10 })
    assert.equal(fatal.code, 'too_many_items')
    assert.equal(stream.destroyed, true)
  })

  it('a source that fails is a read error', async () => {
    async function* source() {
      yield bytes(rss(item('A')).slice(0, 200))
      throw new Error('socket hang up')
    }
    const { fatal } = await fatalOf(source())
    assert.equal(fatal.code, 'read_error')
    assert.equal(fatal.detail, 'socket hang up')
  })
})

describe('parseFeed: encodings and chunking', () => {
  it('gives identical results whatever the chunk boundaries (bytes split mid-character)', async () => {
    const expected = await collect([referenceRss], { now: new Date('2025-11-29T12:00:00Z') })
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4096 }), async (size) => {
        const actual = await collect(chunked(referenceRss, size), { now: new Date('2025-11-29T12:00:00Z') })
        assert.deepEqual(actual, expected)
      }),
      { numRuns: 40 },
    )
    assert.deepEqual(await collect(chunked(referenceRss, 1), { now: new Date('2025-11-29T12:00:00Z') }), expected)
  })

  it('reads a Node Readable and string chunks', async () => {
    const fromStream = await collect(Readable.from(chunked(referenceAtom, 7)))
    const fromStrings = await collect([referenceAtom.slice(0, 100), referenceAtom.slice(100)])
    assert.equal(fromStream.items[0]?.title, 'Caneca de Cerâmica 350 ml')
    assert.deepEqual(fromStream, fromStrings)
  })

  it('honours a Latin-1 declaration and a UTF-8 BOM', async () => {
    const latin = rss(item('A', '<g:title>Calça Ação</g:title>', ['title'])).replace('UTF-8', 'ISO-8859-1')
    const { items } = await collect([Buffer.from(latin, 'latin1')])
    assert.equal(items[0]?.title, 'Calça Ação')
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(referenceAtom)])
    assert.equal((await collect([bom])).items.length, 1)
  })

  it('invalid UTF-8 is fatal, at the line of the bad byte', async () => {
    const text = rss(item('A') + item('B', '<g:title>Cal\u0000a</g:title>', ['title']))
    const raw = Buffer.from(text)
    raw[raw.indexOf(0)] = 0xe7 // a Latin-1 "ç" in a file declared UTF-8
    const { result } = await collect([raw])
    assert.equal(result.ok, false)
    assert.equal(result.report.fatal?.code, 'encoding')
    assert.equal(result.report.fatal?.line, 21)
  })

  it('an unsupported encoding is fatal', async () => {
    const { result } = await collect([bytes(rss(item('A')).replace('UTF-8', 'EBCDIC-US'))])
    assert.equal(result.report.fatal?.code, 'encoding')
    assert.match(result.report.fatal?.message ?? '', /EBCDIC-US/)
  })
})

describe('parseFeed: onItem', () => {
  it('awaits an async onItem before reading on (backpressure)', async () => {
    const order: string[] = []
    const feed = rss(item('A') + item('B'))
    await parseFeed([feed], {
      onItem: async (i) => {
        order.push(`start ${i.id}`)
        await new Promise((resolve) => setTimeout(resolve, 5))
        order.push(`end ${i.id}`)
      },
    })
    assert.deepEqual(order, ['start A', 'end A', 'start B', 'end B'])
  })

  it('a failing onItem rejects parseFeed and closes the source', async () => {
    let closed = false
    async function* source() {
      try {
        yield bytes(rss(item('A')))
        yield bytes('<!-- more -->')
      } finally {
        closed = true
      }
    }
    await assert.rejects(
      parseFeed(source(), {
        onItem: () => {
          throw new Error('db down')
        },
      }),
      /db down/,
    )
    assert.equal(closed, true)
  })
})

describe('formatImportReport', () => {
  it('renders counts, the fatal reason and errors with lines in pt-BR', async () => {
    const ok = await collect([rss(item('A') + item('B', '', ['price']))])
    const text = formatImportReport(ok.result.report)
    assert.match(text, /Resultado: importação concluída\./)
    assert.match(text, /Produtos importados: 1/)
    assert.match(text, /- linha 15 \[B\]: Campo obrigatório ausente: g:price\./)
    const bad = await collect(['<rss><channel>'])
    assert.match(
      formatImportReport(bad.result.report),
      /catálogo anterior foi mantido\.\nLinha 1: O XML terminou antes do fim/,
    )
  })
})
