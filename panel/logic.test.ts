import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RewardView } from '../shared/api/rewards.ts'
import type { SyncStatusView } from '../shared/api/integrations.ts'
import { ERROR_CODES } from '../shared/errors.ts'
import { ApiError, fieldMessage, formErrors, messageFor } from './errors.ts'
import {
  centsToInput,
  decimalToInput,
  embedSnippet,
  numberOr,
  parseCents,
  parseDecimal,
  parseInteger,
  parseList,
} from './forms.ts'
import { t } from './i18n.ts'
import { campaignBody, campaignState, campaignToForm, rulesBody, rulesToForm, saoPauloToday } from './points.ts'
import { emptyRewardForm, rewardBody, rewardStatus, rewardToForm } from './rewards.ts'
import { href, parseRoute, section, type Route } from './router.ts'
import { countsToShow, shouldPoll, syncNotes } from './sync-health.ts'

test('pt-BR numbers and money as merchants type them', () => {
  assert.equal(parseDecimal('1,5'), 1.5)
  assert.equal(parseDecimal(' 2 '), 2)
  assert.equal(parseDecimal('0.25'), 0.25)
  assert.equal(parseDecimal('muito'), null)
  assert.equal(parseDecimal(''), null)
  assert.equal(parseInteger('-50'), -50)
  assert.equal(parseInteger('+50'), 50)
  assert.equal(parseInteger('1,5'), null)
  assert.equal(parseCents('10'), 1000)
  assert.equal(parseCents('10,5'), 1050)
  assert.equal(parseCents('R$ 1.234,56'), 123456)
  assert.equal(parseCents('10.50'), 1050)
  assert.equal(parseCents('1.000'), 100000, 'a dot before three digits is a thousands separator')
  assert.equal(parseCents('10,555'), null)
  assert.equal(parseCents('abc'), null)
  assert.equal(centsToInput(1050), '10,50')
  assert.equal(centsToInput(5), '0,05')
  assert.equal(centsToInput(null), '')
  assert.equal(decimalToInput(1.5), '1,5')
  for (const cents of [0, 1, 99, 100, 123456]) assert.equal(parseCents(centsToInput(cents)), cents)
  assert.equal(t.cpf('33762866635'), '337.628.666-35')
  assert.equal(t.money(123456), 'R$\u00a01.234,56')
  assert.equal(t.signed(50), '+50')
})

test('pt-BR thousands separators in numbers of points and decimals', () => {
  assert.equal(parseInteger('1.000'), 1000)
  assert.equal(parseInteger('-1.500'), -1500)
  assert.equal(parseInteger('+12.500.000'), 12_500_000)
  assert.equal(parseInteger(' 1.000 '), 1000)
  assert.equal(parseInteger('1000'), 1000)
  assert.equal(parseInteger('1.000,5'), null, 'points are whole')
  assert.equal(parseInteger('1.00'), null, 'a dot before other than three digits is no thousands separator')
  assert.equal(parseInteger('1.0000'), null)
  assert.equal(parseInteger('01.000'), null)
  assert.equal(parseInteger('1,000'), null)
  assert.equal(parseDecimal('1.000'), 1000)
  assert.equal(parseDecimal('1.000,5'), 1000.5)
  assert.equal(parseDecimal('0.125'), 0.125, 'a leading zero keeps the dot a decimal point')
  assert.equal(parseDecimal('1.5'), 1.5)
  assert.equal(parseDecimal('1.000.5'), null)
  // What a form sends: the number, or the text as typed so the API names the field.
  assert.equal(numberOr('1.000', parseInteger, null), 1000)
  assert.equal(numberOr('1.000,5', parseInteger, null), '1.000,5')
})

test('counts read by pt-BR plural rules (Intl.PluralRules)', () => {
  assert.equal(t.count(1, 'pedido', 'pedidos'), '1 pedido')
  assert.equal(t.count(2, 'pedido', 'pedidos'), '2 pedidos')
  assert.equal(t.count(1000, 'pedido', 'pedidos'), '1.000 pedidos')
  assert.equal(t.sync.counts.seen!(1), '1 lido')
  assert.equal(t.sync.counts.seen!(2), '2 lidos')
  assert.equal(t.sync.counts.awarded!(1), '1 gerou pontos')
  assert.equal(t.sync.counts.reversed!(3), '3 tiveram pontos retirados')
  assert.equal(t.sync.every(1), 'Automática a cada 1 minuto.')
  assert.equal(t.sync.every(15), 'Automática a cada 15 minutos.')
  assert.equal(t.points(1, 'pontos'), '1 ponto')
  assert.equal(t.points(-1, 'pontos'), '-1 ponto')
  assert.equal(t.points(1500, 'moedas'), '1.500 moedas')
  assert.equal(t.sync.totals.orders(1), '1 pedido')
  assert.equal(t.sync.totals.customers(200), '200 clientes')
  assert.equal(t.sync.totals.orders(0), 'nenhum ainda')
  assert.equal(
    t.rewards.importCounts({ itemsSeen: 1, itemsAccepted: 1, rewardsCreated: 1, rewardsUpdated: 3, rewardsRemoved: 2 }),
    '1 item lido, 1 aceito: 1 novo, 3 atualizados, 2 saíram do feed.',
  )
})

test('blank, valid and invalid numeric fields', () => {
  assert.equal(numberOr('', parseInteger, null), null)
  assert.equal(numberOr('12', parseInteger, null), 12)
  // Garbage goes to the API as typed, so the refusal names the field.
  assert.equal(numberOr('doze', parseInteger, null), 'doze')
  assert.deepEqual(parseList('A1\nB2, C3;A1\n\n  '), ['A1', 'B2', 'C3'])
})

test('the embed snippet is the one tag a store pastes', () => {
  assert.equal(
    embedSnippet('https://fidelis.example', 'pk_1'),
    '<script async src="https://fidelis.example/widget.js" data-program="pk_1"></script>',
  )
})

test('routes round-trip between paths and screens', () => {
  const routes: Route[] = [
    { name: 'home' },
    { name: 'integration' },
    { name: 'webhooks' },
    { name: 'program' },
    { name: 'points' },
    { name: 'emails' },
    { name: 'referrals', list: 'review' },
    { name: 'referrals', list: 'all' },
    { name: 'rewards', tab: 'manual', q: '' },
    { name: 'rewards', tab: 'feed', q: 'caneca' },
    { name: 'reward-new' },
    { name: 'reward', id: '0b6f7c1e-2a4d-4e8f-9a1b-3c5d7e9f1a2b' },
    { name: 'members', q: 'ana@' },
    { name: 'member', id: 42 },
    { name: 'install' },
    { name: 'preview', programKey: 'pk_abc-1' },
  ]
  for (const r of routes) {
    const url = new URL(href(r), 'http://x')
    assert.deepEqual(parseRoute(url.pathname, url.search), r, href(r))
  }
  assert.equal(href({ name: 'integration' }), '/panel/configuracoes/integracao/loja-integrada')
  assert.deepEqual(parseRoute('/panel/'), { name: 'home' })
  assert.deepEqual(parseRoute('/panel/participantes/abc'), { name: 'not-found' })
  assert.deepEqual(parseRoute('/panel/premios/nao-e-uuid'), { name: 'not-found' })
  assert.deepEqual(parseRoute('/panelx'), { name: 'not-found' })
  assert.equal(section({ name: 'member', id: 1 }), 'members')
  assert.equal(section({ name: 'reward-new' }), 'rewards')
  assert.equal(href({ name: 'points' }), '/panel/configuracoes/pontos')
  assert.equal(section({ name: 'emails' }), 'emails')
})

test('API errors become pt-BR messages next to the field the API named', () => {
  const rejected = new ApiError(422, 'li_credentials_rejected', 'apiKey')
  assert.match(fieldMessage(rejected), /A Loja Integrada recusou esta chave/)
  assert.deepEqual(formErrors(rejected, ['apiKey', 'siteUrl']), {
    fields: { apiKey: fieldMessage(rejected) },
    general: null,
  })
  // Nested paths point at their top field.
  const nested = new ApiError(400, 'validation_failed', 'rewardAllowlist.3')
  assert.deepEqual(Object.keys(formErrors(nested, ['rewardAllowlist']).fields), ['rewardAllowlist'])
  // A field the form does not show, or no field at all, is a general message.
  assert.deepEqual(formErrors(new ApiError(400, 'validation_failed', 'somethingElse'), ['apiKey']).fields, {})
  assert.equal(formErrors(new ApiError(0, 'network', null), ['apiKey']).general, t.errors.network)
  assert.equal(messageFor(new ApiError(429, 'rate_limited', null)), t.errorCodes.rate_limited)
  assert.equal(messageFor(new ApiError(502, 'li_unavailable', null)), t.errorCodes.li_unavailable)
  assert.equal(messageFor(new Error('boom')), t.errorCodes.internal)
  // Unknown field: the generic text, never the API's English message.
  assert.equal(fieldMessage(new ApiError(400, 'validation_failed', 'mystery')), t.errors.invalid)
  assert.deepEqual(
    ApiError.fromBody(409, { error: { code: 'conflict', message: 'x', field: 'enabled' }, requestId: 'r' }),
    new ApiError(409, 'conflict', 'enabled'),
  )
  assert.equal(ApiError.fromBody(500, null).code, 'internal')
  // A form's own message for a shared field name wins (a campaign name is not a program name).
  const name = new ApiError(400, 'validation_failed', 'name')
  assert.equal(formErrors(name, ['name']).fields.name, t.fields.name!.validation_failed)
  assert.equal(formErrors(name, ['name'], { name: { validation_failed: 'x' } }).fields.name, 'x')
})

test('every refused field at once, errors about a field without naming it, and waits that count down', () => {
  const body = (error: Record<string, unknown>) => ({ error: { message: 'x', ...error }, requestId: 'r' })
  // The API lists every refused field (error.fields); the form marks each of those it shows.
  const many = ApiError.fromBody(
    400,
    body({
      code: 'validation_failed',
      field: 'name',
      fields: [
        { field: 'name', message: 'name …' },
        { field: 'earnRate', message: 'earnRate …' },
        { field: 'rewardAllowlist.2', message: '…' },
      ],
    }),
  )
  assert.deepEqual(many.fields, ['name', 'earnRate', 'rewardAllowlist.2'])
  assert.deepEqual(formErrors(many, ['name', 'earnRate', 'rewardAllowlist']), {
    fields: {
      name: t.fields.name!.validation_failed,
      earnRate: t.fields.earnRate!.validation_failed,
      rewardAllowlist: t.fields.rewardAllowlist!.validation_failed,
    },
    general: null,
  })
  // One the form has no place for is still said, on top.
  const partly = formErrors(many, ['earnRate'])
  assert.deepEqual(Object.keys(partly.fields), ['earnRate'])
  assert.equal(partly.general, t.errorCodes.validation_failed)
  // An older answer with `field` only still works.
  assert.deepEqual(ApiError.fromBody(400, body({ code: 'validation_failed', field: 'email' })).fields, ['email'])

  // Login with both fields empty: both, each with its rule.
  const login = ApiError.fromBody(
    400,
    body({
      code: 'validation_failed',
      field: 'email',
      fields: [
        { field: 'email', message: '' },
        { field: 'password', message: '' },
      ],
    }),
  )
  assert.deepEqual(formErrors(login, ['email', 'password']), {
    fields: { email: 'Informe um e-mail válido.', password: 'Informe a senha.' },
    general: null,
  })

  // A removal beyond the balance (409 insufficient_points, no field) is told at the amount.
  const short = ApiError.fromBody(409, body({ code: 'insufficient_points', balance: 120 }))
  assert.equal(short.balance, 120)
  const own = { amount: { insufficient_points: t.members.notEnough(t.points(short.balance!, 'pontos')) } }
  assert.deepEqual(formErrors(short, ['amount', 'reason'], own, { codeFields: { insufficient_points: 'amount' } }), {
    fields: { amount: 'Saldo insuficiente: o participante tem 120 pontos, e o saldo não pode ficar negativo.' },
    general: null,
  })
  assert.equal(formErrors(short, ['amount']).general, t.errorCodes.insufficient_points, 'without the hint: on top')

  // A rate limit says how long is left, from the body's retryAfter or the Retry-After header.
  const now = 1_000_000
  const limited = ApiError.fromBody(429, body({ code: 'rate_limited', retryAfter: 42 }), null, now)
  assert.equal(limited.retryAt, now + 42_000)
  assert.equal(messageFor(limited, now), 'Muitas tentativas seguidas. Tente de novo em 42 s.')
  assert.equal(messageFor(limited, now + 41_500), 'Muitas tentativas seguidas. Tente de novo em 1 s.')
  assert.equal(messageFor(limited, now + 42_000), t.errors.waitOver)
  assert.equal(formErrors(limited, ['email'], {}, { now: now + 2000 }).general, messageFor(limited, now + 2000))
  const header = ApiError.fromBody(429, body({ code: 'rate_limited' }), '600', now)
  assert.equal(messageFor(header, now), 'Muitas tentativas seguidas. Tente de novo em 10 min.')
})

test('every API error code has its own pt-BR message; a session, rate or outage error ignores the field', () => {
  for (const code of ERROR_CODES) {
    assert.ok(t.errorCodes[code].length > 20, code)
    assert.equal(messageFor(new ApiError(400, code, null)), t.errorCodes[code])
  }
  assert.equal(
    new Set(Object.values(t.errorCodes)).size > 15,
    true,
    'messages say what went wrong, not one text for all',
  )
  assert.equal(messageFor(new ApiError(401, 'unauthorized', 'refreshToken')), t.errorCodes.unauthorized)
  assert.equal(messageFor(new ApiError(409, 'insufficient_points', 'amount')), t.fields.amount!.insufficient_points)
  assert.equal(messageFor(new ApiError(500, 'not_a_code' as never, null)), t.errorCodes.internal)
})

test('points rules: "never" is null, numbers parsed, garbage sent as typed', () => {
  const form = rulesToForm({ expiryMonths: null, signupBonus: 0, birthdayBonus: 50, pendingDays: 7, updatedAt: null })
  assert.deepEqual(form, {
    expires: 'never',
    expiryMonths: '12',
    signupBonus: '0',
    birthdayBonus: '50',
    pendingDays: '7',
  })
  assert.deepEqual(rulesBody(form), { expiryMonths: null, signupBonus: 0, birthdayBonus: 50, pendingDays: 7 })
  assert.deepEqual(rulesBody({ ...form, expires: 'months', expiryMonths: '6', signupBonus: 'vinte' }), {
    expiryMonths: 6,
    signupBonus: 'vinte',
    birthdayBonus: 50,
    pendingDays: 7,
  })
  // Months chosen but left blank: the API refuses expiryMonths by name.
  assert.equal(rulesBody({ ...form, expires: 'months', expiryMonths: '' }).expiryMonths, '')
  assert.equal(
    rulesToForm({ expiryMonths: 24, signupBonus: 0, birthdayBonus: 0, pendingDays: 0, updatedAt: null }).expires,
    'months',
  )
})

test('campaigns: pt-BR multiplier, São Paulo days, running or not', () => {
  const c = {
    id: '0b6f7c1e-2a4d-4e8f-9a1b-3c5d7e9f1a2b',
    name: 'Black Friday',
    multiplier: 1.5,
    startsOn: '2026-11-27',
    endsOn: '2026-11-30',
    createdAt: '',
    updatedAt: '',
  }
  assert.deepEqual(campaignToForm(c), {
    name: 'Black Friday',
    multiplier: '1,5',
    startsOn: '2026-11-27',
    endsOn: '2026-11-30',
  })
  assert.deepEqual(campaignBody({ name: ' BF ', multiplier: '2', startsOn: '2026-11-27', endsOn: '' }), {
    name: 'BF',
    multiplier: 2,
    startsOn: '2026-11-27',
    endsOn: '',
  })
  assert.equal(campaignBody({ name: 'x', multiplier: 'dobro', startsOn: '', endsOn: '' }).multiplier, 'dobro')
  assert.equal(campaignState(c, '2026-11-26'), 'scheduled')
  assert.equal(campaignState(c, '2026-11-27'), 'running')
  assert.equal(campaignState(c, '2026-11-30'), 'running')
  assert.equal(campaignState(c, '2026-12-01'), 'ended')
  // 02:00 UTC on 1 December is still 30 November in São Paulo (UTC−3).
  assert.equal(saoPauloToday(new Date('2026-12-01T02:00:00Z')), '2026-11-30')
  assert.equal(t.calendarDay('2026-11-27'), '27/11/2026')
  assert.equal(t.pointsRules.times(1.5), '× 1,5')
})

const reward = (over: Partial<RewardView> = {}): RewardView => ({
  id: '0b6f7c1e-2a4d-4e8f-9a1b-3c5d7e9f1a2b',
  kind: 'fixed_discount',
  source: 'manual',
  title: 'R$ 10',
  description: null,
  imageUrl: null,
  pointsCost: 100,
  pointsCostOverride: false,
  suggestedPointsCost: null,
  valueCents: 1000,
  percent: null,
  feedItemId: null,
  priceCents: null,
  salePriceCents: null,
  link: null,
  active: true,
  removedFromFeedAt: null,
  available: true,
  totalStock: null,
  issuedCount: 0,
  remainingStock: null,
  perMemberLimit: null,
  minimumOrderCents: 5000,
  createdAt: '2026-11-29T00:00:00.000Z',
  updatedAt: '2026-11-29T00:00:00.000Z',
  ...over,
})

test('reward status: the first reason a shopper cannot redeem', () => {
  assert.equal(rewardStatus(reward()), 'available')
  assert.equal(rewardStatus(reward({ active: false, removedFromFeedAt: '2026-11-29T00:00:00.000Z' })), 'inactive')
  assert.equal(rewardStatus(reward({ removedFromFeedAt: '2026-11-29T00:00:00.000Z' })), 'removed')
  assert.equal(rewardStatus(reward({ remainingStock: 0 })), 'soldOut')
})

test('reward bodies send only the fields of the kind, parsed', () => {
  const form = {
    ...emptyRewardForm(),
    kind: 'percent_discount' as const,
    title: ' 15% off ',
    pointsCost: '300',
    percent: '15',
    valueCents: '10,00',
    totalStock: '',
  }
  assert.deepEqual(rewardBody(form, 'manual', true), {
    kind: 'percent_discount',
    title: '15% off',
    pointsCost: 300,
    percent: 15,
  })
  // Editing: blanks clear limits (null) rather than being left out.
  const edit = rewardToForm(reward())
  assert.deepEqual(rewardBody({ ...edit, minimumOrderCents: '' }, 'manual', false), {
    title: 'R$ 10',
    description: null,
    pointsCost: 100,
    valueCents: 1000,
    minimumOrderCents: null,
    imageUrl: null,
    totalStock: null,
    perMemberLimit: null,
  })
  // A feed product: the feed owns title, image, price and link.
  assert.deepEqual(
    Object.keys(rewardBody(rewardToForm(reward({ kind: 'product', source: 'feed' })), 'feed', false)).sort(),
    ['description', 'perMemberLimit', 'pointsCost', 'totalStock'],
  )
  assert.equal(rewardBody({ ...edit, pointsCost: 'cem' }, 'manual', false).pointsCost, 'cem')
})

const resource = (over: Partial<SyncStatusView['orders']> = {}): SyncStatusView['orders'] => ({
  cursor: null,
  running: false,
  lastRunStartedAt: null,
  lastRunFinishedAt: null,
  lastCounts: {},
  currentCounts: {},
  lastError: null,
  lastErrorAt: null,
  ...over,
})
const status = (over: Partial<SyncStatusView> = {}): SyncStatusView => ({
  active: true,
  credentialsRejected: false,
  intervalMinutes: 15,
  nextRunAt: null,
  customers: resource(),
  orders: resource(),
  totals: { customers: 0, orders: 0, pointsAwarded: 0, since: null },
  ...over,
})

test('sync health: counts a merchant reads, and when to keep polling', () => {
  assert.deepEqual(countsToShow({ pages: 3, requests: 9, seen: 40, created: 40, awarded: 20, reversed: 0 }), [
    ['seen', 40],
    ['created', 40],
    ['awarded', 20],
  ])
  assert.deepEqual(
    syncNotes({ seen: 40, listingFallback: 1, rateLimited: 3, repaged: 0 }),
    ['listingFallback', 'rateLimited'],
    'what the sync worked around',
  )
  const now = 1_000_000
  assert.equal(shouldPoll(status({ orders: resource({ running: true }) }), null, now), true)
  assert.equal(shouldPoll(status(), null, now), false)
  const request = { at: now, finishedBefore: '2026-11-29T06:00:00.000Z' }
  assert.equal(
    shouldPoll(status({ orders: resource({ lastRunFinishedAt: '2026-11-29T06:00:00.000Z' }) }), request, now + 1000),
    true,
    'the asked-for run has not finished yet',
  )
  assert.equal(
    shouldPoll(status({ orders: resource({ lastRunFinishedAt: '2026-11-29T06:01:00.000Z' }) }), request, now + 1000),
    false,
    'a newer run finished',
  )
  assert.equal(
    shouldPoll(status({ orders: resource({ lastRunFinishedAt: '2026-11-29T06:00:00.000Z' }) }), request, now + 121_000),
    false,
    'gives up after two minutes',
  )
  assert.equal(shouldPoll(status({ active: false, orders: resource({ running: true }) }), request, now), false)
  assert.equal(shouldPoll(status({ credentialsRejected: true }), request, now), false)
})

test('every dictionary text is pt-BR prose, not an English leftover', () => {
  const strings: string[] = []
  const walk = (v: unknown) => {
    if (typeof v === 'string') strings.push(v)
    else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(t)
  assert.ok(strings.length > 200)
  for (const s of strings) assert.doesNotMatch(s, /\b(the|must|please|error|save|cancel|loading)\b/i, s)
})

test('the home greets inclusively and names the program with its own article', () => {
  assert.equal(t.home.intro('Clube Bella'), 'Boas-vindas! Siga os passos para colocar no ar o programa Clube Bella.')
  assert.equal(t.home.intro('Programa Mais'), 'Boas-vindas! Siga os passos para colocar no ar o Programa Mais.')
  assert.doesNotMatch(JSON.stringify(t), /Bem-vind[oa]/)
})
