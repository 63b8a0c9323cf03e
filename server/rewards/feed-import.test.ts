import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { FeedImportList } from '../../shared/api/rewards.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { importFeed, scheduleFeedImports, type FeedImportOptions } from './feed-import.ts'
import { generateFeed } from './feed/generate.ts'
import { atom, BILLION_LAUGHS, G, item, rss } from './feed/test-helpers.ts'
import {
  programWithToken,
  setFeedIntegration,
  startFeedServer,
  type FeedServer,
  type ProgramSetup,
} from './test-support.ts'

const referenceRss = readFileSync(new URL('./feed/fixtures/reference-rss.xml', import.meta.url), 'utf8')
const referenceAtom = readFileSync(new URL('./feed/fixtures/reference-atom.xml', import.meta.url), 'utf8')
/** Inside the reference feed's sale window (28/11–01/12/2025, São Paulo). */
const DURING_SALE = new Date('2025-11-29T12:00:00-03:00')

/** An RSS item with a price (reais, dot decimals) and availability. */
const product = (id: string, price: string, extra = '', availability = 'in_stock') =>
  item(id, extra, ['price', 'availability']).replace(
    '</item>',
    `<g:price>${price} BRL</g:price>\n<g:availability>${availability}</g:availability>\n</item>`,
  )

describe('Google Shopping feed import', () => {
  let t: TestApp
  let feeds: FeedServer
  let feedN = 0

  before(async () => {
    t = await createTestApp()
    feeds = await startFeedServer()
  })
  after(async () => {
    await feeds.close()
    await t.close()
  })

  interface Setup extends ProgramSetup {
    /** Serves the next feed document at this program's feed URL. */
    serve(body: string | Uint8Array): void
    run(options?: FeedImportOptions): ReturnType<typeof importFeed>
  }

  async function setup(opts: { earnRate?: number; allowlist?: string[] } = {}): Promise<Setup> {
    const p = await programWithToken(t, { earnRate: opts.earnRate ?? 1 })
    const path = `/feed-${++feedN}.xml`
    const url = feeds.serve(path, 'not served yet')
    await setFeedIntegration(t.database.db, p.programId, {
      feedUrl: url,
      ...(opts.allowlist ? { allowlist: opts.allowlist } : {}),
    })
    return {
      ...p,
      serve: (body) => void feeds.serve(path, body),
      run: (options = {}) => importFeed(t.deps, p.programId, options),
    }
  }

  async function catalogue(programId: string) {
    return t.database.db
      .selectFrom('rewards')
      .selectAll()
      .where('program_id', '=', programId)
      .where('source', '=', 'feed')
      .orderBy('feed_item_id')
      .execute()
  }

  async function reports(p: ProgramSetup) {
    const res = await t.request('GET', `${p.programBase}/feed-imports`, { token: p.token })
    assert.equal(res.status, 200)
    return v.parse(FeedImportList, res.body).items
  }

  async function stagedRows() {
    const row = await t.database.db
      .selectFrom('feed_import_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  test('a good RSS feed: in-stock items become product rewards with a proposed points cost', async () => {
    const p = await setup()
    p.serve(referenceRss)
    const run = await p.run({ now: DURING_SALE })
    assert.equal(run?.status, 'ok', run?.report ?? '')

    const rows = await catalogue(p.programId)
    assert.deepEqual(
      rows.map((r) => [
        r.feed_item_id,
        r.kind,
        r.title,
        r.price_cents,
        r.sale_price_cents,
        r.points_cost,
        r.active,
        r.removed_from_feed_at,
      ]),
      [
        // R$ 99,90 at 1 point per real: 999 → 1 000 (never priced from the sale price).
        ['CAM-AZ-M', 'product', 'Camiseta Algodão Azul - M', 9990, 7990, 1000, true, null],
        ['CANECA-001', 'product', 'Caneca de Cerâmica 350 ml', 12990, null, 1300, true, null],
      ],
      'CAM-AZ-G is out of stock and skipped',
    )
    assert.equal(rows[0]?.image_url, 'https://cdn.exemplo.invalid/800x800/camiseta-azul.jpg')
    assert.equal(rows[0]?.link, 'https://loja.exemplo.invalid/camiseta-algodao-azul?tam=m')

    const [report] = await reports(p)
    assert.ok(report)
    assert.equal(report.status, 'ok')
    assert.equal(report.trigger, 'manual')
    assert.equal(report.format, 'rss')
    assert.equal(report.itemsSeen, 3)
    assert.equal(report.itemsAccepted, 2)
    assert.equal(report.skippedOutOfStock, 1)
    assert.equal(report.rewardsCreated, 2)
    assert.equal(report.rewardsUpdated, 0)
    assert.equal(report.rewardsRemoved, 0)
    assert.equal(report.fatal, null)
    assert.ok(report.finishedAt)
    assert.match(report.report ?? '', /Resultado: importação concluída/)
    assert.match(report.report ?? '', /Prêmios novos: 2/)
    assert.equal(await stagedRows(), 0, 'staging is emptied')

    const list = await t.request('GET', `${p.base}?source=feed`, { token: p.token })
    assert.equal(list.body.items.length, 2)
    assert.equal(list.body.items[0].available, true)
    assert.equal(list.body.items[0].suggestedPointsCost, 1000)

    // The same feed again writes nothing.
    const again = await p.run({ now: DURING_SALE })
    assert.equal(again?.rewards_created, 0)
    assert.equal(again?.rewards_updated, 0)
    assert.match(again?.report ?? '', /Prêmios sem alteração: 2/)
    const unchanged = await catalogue(p.programId)
    assert.deepEqual(
      unchanged.map((r) => r.updated_at.getTime()),
      rows.map((r) => r.updated_at.getTime()),
    )
  })

  test('a good Atom feed', async () => {
    const p = await setup({ earnRate: 2 })
    p.serve(referenceAtom)
    const run = await p.run()
    assert.equal(run?.status, 'ok', run?.report ?? '')
    assert.equal(run?.format, 'atom')
    const rows = await catalogue(p.programId)
    assert.deepEqual(
      rows.map((r) => [r.feed_item_id, r.title, r.price_cents, r.points_cost, r.link]),
      [['CANECA-001', 'Caneca de Cerâmica 350 ml', 12990, 2600, 'https://loja.exemplo.invalid/caneca-ceramica-350']],
      'earn rate 2 doubles the proposal',
    )
  })

  test('the allowlist keeps only listed ids or item groups', async () => {
    const p = await setup({ allowlist: ['CAM-AZ', 'CANECA-999'] })
    p.serve(referenceRss)
    const run = await p.run()
    assert.equal(run?.status, 'ok')
    assert.deepEqual(
      (await catalogue(p.programId)).map((r) => r.feed_item_id),
      ['CAM-AZ-M'],
      'group CAM-AZ (G is out of stock)',
    )
    assert.equal(run?.skipped_not_allowed, 1)

    // Narrowing the allowlist later takes the others out of the catalogue.
    await setFeedIntegration(t.database.db, p.programId, {
      feedUrl: `${feeds.base}/feed-${feedN}.xml`,
      allowlist: ['CANECA-001'],
    })
    const narrowed = await p.run()
    assert.equal(narrowed?.rewards_removed, 1)
    const rows = await catalogue(p.programId)
    assert.deepEqual(
      rows.map((r) => [r.feed_item_id, r.removed_from_feed_at !== null]),
      [
        ['CAM-AZ-M', true],
        ['CANECA-001', false],
      ],
    )
  })

  test("a merchant's points cost and deactivation survive re-imports; null goes back to the proposal", async () => {
    const p = await setup()
    p.serve(rss(product('A', '100.00') + product('B', '50.00')))
    await p.run()
    const [a, b] = await catalogue(p.programId)
    assert.ok(a && b)
    assert.equal(a.points_cost, 1000)

    const patched = await t.request('PATCH', `${p.base}/${a.id}`, {
      token: p.token,
      body: { pointsCost: 777, description: 'Escolha da loja' },
    })
    assert.equal(patched.status, 200, JSON.stringify(patched.body))
    assert.equal(patched.body.pointsCostOverride, true)
    assert.equal((await t.request('POST', `${p.base}/${b.id}/deactivate`, { token: p.token })).status, 200)
    // Feed-owned fields are refused by name.
    const title = await t.request('PATCH', `${p.base}/${a.id}`, { token: p.token, body: { title: 'Outro' } })
    assert.equal(title.status, 400)
    assert.equal(title.body.error.field, 'title')
    assert.match(title.body.error.message, /feed/)

    // Prices change in the store; the next import follows them except where the merchant chose.
    p.serve(rss(product('A', '200.00', '<g:title>Produto A novo</g:title>') + product('B', '80.00')))
    const run = await p.run()
    assert.equal(run?.rewards_updated, 2)
    const [a2, b2] = await catalogue(p.programId)
    assert.equal(a2?.points_cost, 777, 'override kept')
    assert.equal(a2?.points_cost_override, true)
    assert.equal(a2?.price_cents, 20000)
    assert.equal(a2?.title, 'Produto A', 'the first g:title wins; the test helper already wrote one')
    assert.equal(a2?.description, 'Escolha da loja', 'merchant description kept')
    assert.equal(b2?.points_cost, 800, 'proposal follows the new price')
    assert.equal(b2?.active, false, 'the merchant deactivated it; imports never reactivate')

    const view = await t.request('GET', `${p.base}/${a.id}`, { token: p.token })
    assert.equal(view.body.suggestedPointsCost, 2000)
    const reset = await t.request('PATCH', `${p.base}/${a.id}`, { token: p.token, body: { pointsCost: null } })
    assert.equal(reset.status, 200)
    assert.equal(reset.body.pointsCost, 2000)
    assert.equal(reset.body.pointsCostOverride, false)
  })

  test('items that leave the feed or go out of stock are marked removed, and come back', async () => {
    const p = await setup()
    p.serve(rss(product('A', '10.00') + product('B', '20.00') + product('C', '30.00')))
    await p.run()
    p.serve(rss(product('A', '10.00') + product('C', '30.00', '', 'out_of_stock')))
    const run = await p.run()
    assert.equal(run?.status, 'ok')
    assert.equal(run?.rewards_removed, 2)
    assert.match(run?.report ?? '', /Prêmios retirados .*: 2/)
    let rows = await catalogue(p.programId)
    assert.deepEqual(
      rows.map((r) => [r.feed_item_id, r.removed_from_feed_at !== null, r.active]),
      [
        ['A', false, true],
        ['B', true, true],
        ['C', true, true],
      ],
    )
    const available = await t.request('GET', `${p.base}?available=true`, { token: p.token })
    assert.deepEqual(
      available.body.items.map((r: any) => r.feedItemId),
      ['A'],
    )

    p.serve(rss(product('A', '10.00') + product('B', '20.00') + product('C', '30.00')))
    const back = await p.run()
    assert.equal(back?.rewards_updated, 2)
    assert.equal(back?.rewards_removed, 0)
    rows = await catalogue(p.programId)
    assert.ok(rows.every((r) => r.removed_from_feed_at === null))
  })

  test('item errors are reported with line numbers and do not stop a good feed', async () => {
    const p = await setup()
    p.serve(rss(product('A', '10.00') + product('B', '12,90') + item('C', '', ['price'])))
    const run = await p.run()
    assert.equal(run?.status, 'ok')
    const [report] = await reports(p)
    assert.ok(report)
    assert.equal(report.itemsAccepted, 1)
    assert.equal(report.skippedInvalid, 2)
    assert.equal(report.errorCount, 2)
    assert.deepEqual(
      report.errors.map((e) => [e.itemId, e.line]),
      [
        ['B', 20],
        ['C', 23],
      ],
    )
    assert.match(report.errors[0]?.message ?? '', /g:price em formato inválido/)
    assert.match(report.report ?? '', /linha 20 \[B\]/)
  })

  describe('a bad feed leaves the previous catalogue in place and stores a readable report', () => {
    const cases: Array<{
      name: string
      body?: string | Uint8Array
      path?: string
      options?: FeedImportOptions
      code: string
      line?: number
      message: RegExp
    }> = [
      { name: 'not XML', body: 'Olá, isto não é um feed', code: 'not_xml', message: /não é um XML válido/ },
      {
        name: 'an HTML page',
        body: '<!doctype html><html><body>Loja</body></html>',
        code: 'not_xml',
        message: /página HTML/,
      },
      { name: 'billion laughs', body: BILLION_LAUGHS, code: 'doctype', line: 2, message: /DOCTYPE/ },
      {
        name: 'an external entity',
        body: rss(item('XXE', '<g:description>&xxe;</g:description>')).replace(
          '<rss',
          '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<rss',
        ),
        code: 'doctype',
        line: 2,
        message: /DOCTYPE/,
      },
      {
        name: 'too big',
        body: rss(Array.from({ length: 200 }, (_, i) => product(`BIG-${i}`, '10.00')).join('')),
        options: { maxBytes: 16 * 1024 },
        code: 'download',
        message: /passa do limite/,
      },
      {
        name: 'an unescaped &',
        body: rss(product('A', '10.00') + product('B', '10.00', '<g:description>a & b</g:description>')),
        code: 'malformed_xml',
        line: 20,
        message: /& sem escape/,
      },
      {
        name: 'cut short',
        body: rss(product('A', '10.00') + product('B', '10.00')).slice(0, -60),
        code: 'truncated',
        message: /terminou antes do fim/,
      },
      { name: 'an HTTP error', path: '/missing.xml', code: 'download', message: /status HTTP 404/ },
      { name: 'a connection refused', path: 'http://127.0.0.1:9/feed.xml', code: 'download', message: /conectar/ },
    ]

    for (const c of cases) {
      test(c.name, async () => {
        const p = await setup()
        p.serve(rss(product('KEEP-1', '10.00') + product('KEEP-2', '20.00')))
        assert.equal((await p.run())?.status, 'ok')
        const before = await catalogue(p.programId)

        if (c.path) {
          const url = c.path.startsWith('http') ? c.path : `${feeds.base}${c.path}`
          await setFeedIntegration(t.database.db, p.programId, { feedUrl: url })
        } else p.serve(c.body ?? '')
        const run = await p.run(c.options ?? {})
        assert.equal(run?.status, 'failed', run?.report ?? '')

        assert.deepEqual(await catalogue(p.programId), before, 'catalogue untouched')
        assert.equal(await stagedRows(), 0, 'nothing left staged')
        const [report, previous] = await reports(p)
        assert.ok(report && previous)
        assert.equal(report.status, 'failed')
        assert.equal(previous.status, 'ok')
        assert.equal(report.fatal?.code, c.code, JSON.stringify(report.fatal))
        assert.match(report.fatal?.message ?? '', c.message)
        if (c.line !== undefined) assert.equal(report.fatal?.line, c.line)
        assert.match(report.report ?? '', /importação cancelada; o catálogo anterior foi mantido/)
        assert.equal(report.rewardsRemoved, 0)
      })
    }

    test('a feed that fails after thousands of items were staged discards them all', async () => {
      const p = await setup()
      p.serve(rss(product('KEEP-1', '10.00')))
      await p.run()
      const before = await catalogue(p.programId)
      // 3 000 valid items (three staging batches), then the document breaks off.
      const chunks: Buffer[] = []
      for await (const chunk of generateFeed({ items: 3000, outOfStockEvery: 0 })) chunks.push(Buffer.from(chunk))
      const whole = Buffer.concat(chunks).toString('utf8')
      p.serve(whole.slice(0, whole.lastIndexOf('<item>') + 20))
      const run = await p.run()
      assert.equal(run?.status, 'failed')
      assert.equal(run?.fatal_code, 'truncated')
      assert.equal(run?.items_accepted, 2999)
      assert.deepEqual(await catalogue(p.programId), before)
      assert.equal(await stagedRows(), 0)
    })
  })

  test('two programs importing the same feed each get their own rewards', async () => {
    const a = await setup()
    const b = await setup()
    const feed = rss(product('SHARED', '10.00'))
    a.serve(feed)
    b.serve(feed)
    await a.run()
    await b.run()
    const [ra] = await catalogue(a.programId)
    const [rb] = await catalogue(b.programId)
    assert.ok(ra && rb && ra.id !== rb.id)
    a.serve(rss(product('OTHER', '10.00')))
    await a.run()
    const [rb2] = await catalogue(b.programId)
    assert.equal(rb2?.removed_from_feed_at, null, "A's import never touches B")
    // B's merchant cannot read A's reward, even by id.
    assert.equal((await t.request('GET', `${b.base}/${ra.id}`, { token: b.token })).status, 404)
  })

  test('an import left running by a dead process is closed as interrupted by the next one', async () => {
    const p = await setup()
    const dead = await t.database.db
      .insertInto('feed_imports')
      .values({ program_id: p.programId, trigger: 'schedule', feed_url: 'x', status: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.database.db
      .insertInto('feed_import_items')
      .values({
        import_id: dead.id,
        feed_item_id: 'GHOST',
        title: 'x',
        image_url: null,
        link: null,
        price_cents: 100,
        sale_price_cents: null,
        points_cost: 5,
      })
      .execute()
    p.serve(rss(product('A', '10.00')))
    assert.equal((await p.run())?.status, 'ok')
    const [latest, interrupted] = await reports(p)
    assert.equal(latest?.status, 'ok')
    assert.equal(interrupted?.status, 'failed')
    assert.equal(interrupted?.fatal?.code, 'interrupted')
    assert.match(interrupted?.fatal?.message ?? '', /interrompida/)
    assert.deepEqual(
      (await catalogue(p.programId)).map((r) => r.feed_item_id),
      ['A'],
      'the ghost item never became a reward',
    )
    assert.equal(await stagedRows(), 0)
  })

  test('a program that earns nothing still gets proposals (at 1 point per real), with a note', async () => {
    const p = await setup({ earnRate: 0 })
    p.serve(rss(product('A', '10.00')))
    const run = await p.run()
    assert.equal((await catalogue(p.programId))[0]?.points_cost, 100)
    assert.match(run?.report ?? '', /taxa de pontos 0/)
  })

  test('without FEED_ALLOW_PRIVATE_HOSTS a feed on a private address is refused, with a readable report', async () => {
    const p = await setup()
    p.serve(rss(product('KEEP-1', '10.00')))
    assert.equal((await p.run())?.status, 'ok', 'allowed: the test config opts in')
    const before = await catalogue(p.programId)
    const production = { ...t.deps, config: { ...t.deps.config, feedAllowPrivateHosts: false } }
    const run = await importFeed(production, p.programId)
    assert.equal(run?.status, 'failed')
    assert.equal(run?.fatal_code, 'download')
    assert.match(
      run?.fatal_message ?? '',
      /^O endereço do feed \(127\.0\.0\.1\) aponta para uma rede interna ou reservada \(127\.0\.0\.1\)/,
    )
    assert.match(run?.report ?? '', /importação cancelada; o catálogo anterior foi mantido/)
    assert.deepEqual(await catalogue(p.programId), before)
  })

  test('without a feed URL the run ends with a report saying so', async () => {
    const p = await setup()
    await setFeedIntegration(t.database.db, p.programId, { feedUrl: null })
    const run = await p.run()
    assert.equal(run?.status, 'failed')
    assert.equal(run?.fatal_code, 'no_feed_url')
    assert.match(run?.report ?? '', /não tem um endereço de feed/)
  })

  test('the daily schedule queues programs with an active integration and a feed URL', async () => {
    await t.database.db
      .deleteFrom('pgboss.job' as any)
      .where('name', '=', 'rewards-feed-import')
      .execute()
    const withFeed = await programWithToken(t)
    const inactive = await programWithToken(t)
    const noFeed = await programWithToken(t)
    await setFeedIntegration(t.database.db, withFeed.programId, { feedUrl: `${feeds.base}/x.xml`, active: true })
    await setFeedIntegration(t.database.db, inactive.programId, { feedUrl: `${feeds.base}/x.xml`, active: false })
    await setFeedIntegration(t.database.db, noFeed.programId, { feedUrl: null, active: true })
    await scheduleFeedImports(t.deps)
    const jobs = await t.database.db
      .selectFrom('pgboss.job' as any)
      .select(['singleton_key', 'data'] as any)
      .where('name', '=', 'rewards-feed-import')
      .execute()
    const keys = jobs.map((j: any) => j.singleton_key)
    assert.ok(keys.includes(withFeed.programId))
    assert.ok(!keys.includes(inactive.programId))
    assert.ok(!keys.includes(noFeed.programId))
    assert.deepEqual((jobs.find((j: any) => j.singleton_key === withFeed.programId) as any).data, {
      programId: withFeed.programId,
      trigger: 'schedule',
    })
  })
})
