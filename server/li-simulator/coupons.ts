// Coupon payload validation (reference §6). LI's exact messages are unknown; errors use the
// Django-style shape one client parses: {"campo": ["mensagem", ...]} with pt-BR texts.

import type { CouponInput, CouponTipo, SimCoupon, SimStore } from './store.ts'

export type FieldErrors = Record<string, string[]>

export const MSG = {
  required: 'Este campo é obrigatório.',
  notNull: 'Este campo não pode ser nulo.',
  duplicate: 'Já existe um cupom com este código.',
  maxLength: (n: number) => `Certifique-se de que este valor tenha no máximo 32 caracteres (ele possui ${n}).`,
  choice: (v: string) => `Escolha um valor válido. ${v} não é uma das opções disponíveis.`,
  decimal: 'Um número decimal válido é exigido.',
  decimalPlaces: 'Certifique-se de que não tenha mais de 2 casas decimais.',
  min0: 'Certifique-se que este valor seja maior ou igual a 0.',
  max100: 'Certifique-se que este valor seja menor ou igual a 100.',
  integer: 'Um número inteiro válido é exigido.',
  boolean: 'Deve ser um valor booleano.',
  date: 'Formato inválido para data e hora. Use AAAA-MM-DD ou AAAA-MM-DDTHH:MM:SS.',
  list: 'Uma lista de itens é esperada.',
} as const

const TIPOS: readonly CouponTipo[] = ['fixo', 'porcentagem', 'frete_gratis']
const CONDICAO_CLIENTE = ['todos_clientes', 'grupos_selecionados'] as const
const CONDICAO_PRODUTO = ['todos_produtos', 'categorias_selecionadas'] as const
const DECIMAL_RE = /^-?\d+(?:\.(\d+))?$/

/** Decimal (string or number) → hundredths, or an error message. */
function parseDecimal(v: unknown): number | string {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : null
  if (text === null) return MSG.decimal
  const m = DECIMAL_RE.exec(text)
  if (!m) return MSG.decimal
  if ((m[1]?.length ?? 0) > 2) return MSG.decimalPlaces
  const [int = '0', frac = ''] = text.replace('-', '').split('.')
  const hundredths = Number(int) * 100 + Number(frac.padEnd(2, '0'))
  return text.startsWith('-') ? -hundredths : hundredths
}

function parseInteger(v: unknown): number | string {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim())
  return MSG.integer
}

const VALIDADE_DATE = /^(\d{4}-\d{2}-\d{2})$/
const VALIDADE_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})$/

/** "AAAA-MM-DD" → "AAAA-MM-DDT23:59:59"; "AAAA-MM-DDTHH:MM:SS" kept (naive, as LI reads it back). */
export function normaliseValidade(v: string): string | null {
  const t = v.trim()
  let date: string
  let time: string
  const d = VALIDADE_DATE.exec(t)
  const dt = VALIDADE_DATETIME.exec(t)
  if (d?.[1]) [date, time] = [d[1], '23:59:59']
  else if (dt?.[1] && dt[2]) [date, time] = [dt[1], dt[2]]
  else return null
  const [y, mo, day] = date.split('-').map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(y, mo - 1, day))
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== day) return null
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number]
  if (h > 23 || mi > 59 || s > 59) return null
  return `${date}T${time}`
}

export type CouponParseResult = { ok: true; input: CouponInput } | { ok: false; errors: FieldErrors }

/**
 * Validate a POST (existing = null) or PUT body. PUT is a full replacement for the four core
 * fields (codigo, descricao, tipo, valor → 400 when absent, reference §6); other absent
 * fields keep their stored value, while an explicit `quantidade: null` is still a 400.
 */
export function parseCouponPayload(body: unknown, store: SimStore, existing: SimCoupon | null): CouponParseResult {
  const errors: FieldErrors = {}
  const add = (field: string, msg: string) => (errors[field] ??= []).push(msg)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: { __all__: ['Corpo da requisição deve ser um objeto JSON.'] } }
  }
  const b = body as Record<string, unknown>
  const has = (k: string) => Object.hasOwn(b, k) && b[k] !== undefined

  // codigo
  let codigo = existing?.codigo ?? ''
  if (!has('codigo') || b.codigo === null || (typeof b.codigo === 'string' && b.codigo.trim() === ''))
    add('codigo', MSG.required)
  else if (typeof b.codigo !== 'string') add('codigo', MSG.required)
  else {
    codigo = b.codigo.trim()
    if (codigo.length > 32) add('codigo', MSG.maxLength(codigo.length))
    else {
      const clash = store.findCouponByCodigo(codigo)
      if (clash && clash.id !== existing?.id) add('codigo', MSG.duplicate)
    }
  }

  // descricao
  let descricao = existing?.descricao ?? ''
  if (!has('descricao') || typeof b.descricao !== 'string' || b.descricao.trim() === '') add('descricao', MSG.required)
  else descricao = b.descricao

  // tipo
  let tipo: CouponTipo = existing?.tipo ?? 'fixo'
  if (!has('tipo') || b.tipo === null) add('tipo', MSG.required)
  else if (typeof b.tipo !== 'string' || !TIPOS.includes(b.tipo as CouponTipo)) add('tipo', MSG.choice(String(b.tipo)))
  else tipo = b.tipo as CouponTipo

  // valor
  let valorHundredths = existing?.valorHundredths ?? 0
  if (!has('valor') || b.valor === null) add('valor', MSG.required)
  else {
    const v = parseDecimal(b.valor)
    if (typeof v === 'string') add('valor', v)
    else if (v < 0) add('valor', MSG.min0)
    else if (tipo === 'porcentagem' && v > 10_000) add('valor', MSG.max100)
    else valorHundredths = v
  }

  // valor_minimo
  let valorMinimoCents = existing?.valorMinimoCents ?? null
  if (has('valor_minimo')) {
    if (b.valor_minimo === null || b.valor_minimo === '') valorMinimoCents = null
    else {
      const v = parseDecimal(b.valor_minimo)
      if (typeof v === 'string') add('valor_minimo', v)
      else if (v < 0) add('valor_minimo', MSG.min0)
      else valorMinimoCents = v
    }
  }

  // quantidade: required on create; null always rejected ("unlimited" does not exist).
  let quantidade = existing?.quantidade ?? 0
  if (has('quantidade') || existing === null) {
    if (!has('quantidade')) add('quantidade', MSG.required)
    else if (b.quantidade === null) add('quantidade', MSG.notNull)
    else {
      const v = parseInteger(b.quantidade)
      if (typeof v === 'string') add('quantidade', v)
      else if (v < 0) add('quantidade', MSG.min0)
      else quantidade = v
    }
  }

  let quantidadePorCliente = existing?.quantidadePorCliente ?? null
  if (has('quantidade_por_cliente')) {
    if (b.quantidade_por_cliente === null) quantidadePorCliente = null
    else {
      const v = parseInteger(b.quantidade_por_cliente)
      if (typeof v === 'string') add('quantidade_por_cliente', v)
      else if (v < 0) add('quantidade_por_cliente', MSG.min0)
      else quantidadePorCliente = v
    }
  }

  const bool = (field: string, fallback: boolean): boolean => {
    if (!has(field)) return fallback
    if (typeof b[field] !== 'boolean') {
      add(field, MSG.boolean)
      return fallback
    }
    return b[field] as boolean
  }
  const cumulativo = bool('cumulativo', existing?.cumulativo ?? false)
  const aplicarNoTotal = bool('aplicar_no_total', existing?.aplicarNoTotal ?? false)
  const ativo = bool('ativo', existing?.ativo ?? true)

  let validade = existing?.validade ?? null
  if (has('validade')) {
    if (b.validade === null || b.validade === '') validade = null
    else if (typeof b.validade !== 'string') add('validade', MSG.date)
    else {
      const v = normaliseValidade(b.validade)
      if (v === null) add('validade', MSG.date)
      else validade = v
    }
  }

  const enumField = <T extends string>(field: string, options: readonly T[], fallback: T | undefined): T => {
    if (!has(field) || b[field] === null) {
      if (fallback === undefined) add(field, MSG.required)
      return fallback ?? (options[0] as T)
    }
    if (typeof b[field] !== 'string' || !options.includes(b[field] as T)) {
      add(field, MSG.choice(String(b[field])))
      return fallback ?? (options[0] as T)
    }
    return b[field] as T
  }
  const condicaoCliente = enumField('condicao_cliente', CONDICAO_CLIENTE, existing?.condicaoCliente)
  const condicaoProduto = enumField('condicao_produto', CONDICAO_PRODUTO, existing?.condicaoProduto)

  // LI only persisted group/category ids sent as strings (reference §6, smartdent): other
  // entries are dropped silently, which is what a client that sends numbers would see.
  const stringList = (field: string, fallback: string[]): string[] => {
    if (!has(field) || b[field] === null) return fallback
    const v = b[field]
    if (!Array.isArray(v)) {
      add(field, MSG.list)
      return fallback
    }
    return v.filter((x): x is string => typeof x === 'string')
  }
  const grupos = stringList('grupos', existing?.grupos ?? [])
  const categorias = stringList('categorias', existing?.categorias ?? [])

  let idExterno = existing?.idExterno ?? null
  if (has('id_externo')) {
    if (b.id_externo === null) idExterno = null
    else {
      const v = parseInteger(b.id_externo)
      if (typeof v === 'string') add('id_externo', v)
      else idExterno = v
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    input: {
      codigo,
      descricao,
      tipo,
      valorHundredths,
      valorMinimoCents,
      cumulativo,
      aplicarNoTotal,
      quantidade,
      quantidadePorCliente,
      validade,
      ativo,
      condicaoCliente,
      grupos,
      condicaoProduto,
      categorias,
      idExterno,
    },
  }
}

/** A single-use fixed coupon of R$ 10,00 for any customer and product: what tests plant in a store. */
export function singleUseCouponInput(codigo: string): CouponInput {
  return {
    codigo,
    descricao: codigo,
    tipo: 'fixo',
    valorHundredths: 1000,
    valorMinimoCents: null,
    cumulativo: false,
    aplicarNoTotal: false,
    quantidade: 1,
    quantidadePorCliente: 1,
    validade: null,
    ativo: true,
    condicaoCliente: 'todos_clientes',
    grupos: [],
    condicaoProduto: 'todos_produtos',
    categorias: [],
    idExterno: null,
  }
}
