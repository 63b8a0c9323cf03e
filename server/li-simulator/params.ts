// Query-string parsing, paging and the Tastypie list envelope shared by the simulator's routes.

import type { Context } from 'hono'
import { parseLiDateTime, type Micros } from './time.ts'
import type { Json } from './render.ts'
import type { Sliceable, Sort } from './store.ts'
import type { SimEnv } from './types.ts'

export type C = Context<SimEnv>

export class BadRequest extends Error {
  constructor(readonly body: Json) {
    super('bad request')
  }
}

export function q(c: C, name: string): string | undefined {
  const v = c.req.query(name)
  return v === undefined || v === '' ? undefined : v
}

export function intParam(c: C, name: string): number | undefined {
  const v = q(c, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v)) throw new BadRequest({ error_message: `Valor inválido para ${name}: '${v}'.` })
  return Number(v)
}

export function dateParam(c: C, name: string): Micros | undefined {
  const v = q(c, name)
  if (v === undefined) return undefined
  const us = parseLiDateTime(v)
  if (us === null)
    throw new BadRequest({
      error_message: `Data inválida para ${name}: '${v}'. Use AAAA-MM-DD ou AAAA-MM-DDTHH:MM:SS.`,
    })
  return us
}

export function boolParam(c: C, name: string): boolean | undefined {
  const v = q(c, name)
  if (v === undefined) return undefined
  if (['true', 'True', '1'].includes(v)) return true
  if (['false', 'False', '0'].includes(v)) return false
  throw new BadRequest({ error_message: `Valor inválido para ${name}: '${v}'.` })
}

export function orderByParam<F extends string>(c: C, allowed: readonly F[]): Sort<F> | undefined {
  const v = q(c, 'order_by')
  if (v === undefined) return undefined
  const desc = v.startsWith('-')
  const field = (desc ? v.slice(1) : v) as F
  if (!allowed.includes(field)) throw new BadRequest({ error_message: `No matching '${field}' field for ordering on.` })
  return { field, desc }
}

export async function readJson(c: C): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new BadRequest({ error_message: 'JSON inválido no corpo da requisição.' })
  }
}

export const numericParam = (c: C, name: string): number | undefined => {
  const v = c.req.param(name)
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined
}
export const byIdExterno = (c: C) => ['1', 'true', 'True'].includes(c.req.query('id_externo') ?? '')

export interface PageRequest {
  limit: number
  offset: number
}
/** limit/offset of a list request, capped at `maxLimit` per page. */
export type Paging = (c: C, maxLimit: number) => PageRequest

/** Paging with LI's deep-offset rule: offset + limit may not pass `maxWindow`. */
export function pagingWithin(maxWindow: number): Paging {
  return function paging(c, maxLimit) {
    const rawLimit = q(c, 'limit')
    const rawOffset = q(c, 'offset')
    let limit = 20
    if (rawLimit !== undefined) {
      if (!/^\d+$/.test(rawLimit))
        throw new BadRequest({
          error_message: `Invalid limit '${rawLimit}' provided. Please provide a positive integer.`,
        })
      limit = Number(rawLimit)
      // Tastypie reads limit=0 as "as many as allowed".
      if (limit === 0) limit = maxLimit
      if (limit > maxLimit) throw new BadRequest({ error_message: `O parâmetro limit deve ser no máximo ${maxLimit}.` })
    }
    let offset = 0
    if (rawOffset !== undefined) {
      if (!/^\d+$/.test(rawOffset))
        throw new BadRequest({
          error_message: `Invalid offset '${rawOffset}' provided. Please provide a positive integer.`,
        })
      offset = Number(rawOffset)
    }
    if (offset + limit > maxWindow) {
      throw new BadRequest({
        error_message:
          `Paginação muito profunda: offset + limit não pode passar de ${maxWindow}. Use filtros ` +
          `(since_numero, since_atualizado).`,
      })
    }
    return { limit, offset }
  }
}

/**
 * Tastypie envelope. next/previous keep every query parameter the client sent (including
 * query-string credentials, as Tastypie does) and put limit/offset last.
 */
export function listResponse<T>(
  c: C,
  resource: string,
  items: Sliceable<T>,
  page: { limit: number; offset: number },
  render: (t: T) => Json,
): Response {
  const { limit, offset } = page
  const total = items.length
  const link = (o: number) => {
    const params = new URL(c.req.url).searchParams
    params.delete('limit')
    params.delete('offset')
    params.append('limit', String(limit))
    params.append('offset', String(o))
    return `/api/v1${resource}/?${params.toString()}`
  }
  return c.json({
    meta: {
      limit,
      offset,
      total_count: total,
      next: offset + limit < total ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    },
    objects: items.slice(offset, offset + limit).map(render),
  })
}
