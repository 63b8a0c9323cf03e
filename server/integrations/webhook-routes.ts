import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import { Ok } from '../../shared/api/common.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import { orderWebhookDescription } from '../../shared/api/integrations.ts'
import type { Db } from '../db/database.ts'
import type { AppEnv } from '../http/context.ts'
import type { AppDeps } from '../deps.ts'
import type { RouteContext } from '../http/route.ts'
import { AppError } from '../lib/errors.ts'
import { route } from '../http/route.ts'
import { orderUpdateQueue } from '../loja-integrada/queues.ts'
import { findIntegration } from './repository.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * What we read of LI's order payload (reference §8: the full order object). Only `numero`: the
 * job fetches the order's current state itself, so a forged or stale body cannot award anything
 * and duplicates are harmless. LI sends numbers, but older integrations document strings.
 */
export const OrderWebhookBody = v.looseObject({
  numero: v.union(
    [
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
      v.pipe(v.string(), v.trim(), v.regex(/^[1-9]\d{0,14}$/), v.transform(Number)),
    ],
    'must be the order number (a positive whole number)',
  ),
})

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest()

/**
 * True when `presented` is the webhook token of an active integration of this program. Both
 * sides are hashed first so timingSafeEqual compares equal-length buffers and the comparison
 * time says nothing about the token's length or prefix.
 */
export async function webhookTokenMatches(db: Db, programId: string, presented: string): Promise<boolean> {
  if (!UUID.test(programId) || !presented) return false
  const integration = await findIntegration(db, programId)
  const expected = integration?.active ? integration.webhook_token : null
  // Compare even when there is nothing to compare with, so a missing integration costs the same.
  const ok = timingSafeEqual(sha256(presented), sha256(expected ?? '\u0000no-token'))
  return ok && expected !== null
}

/**
 * Runs before the body is parsed: an unauthenticated caller learns nothing, not even whether its
 * body would have been valid. One answer for a wrong token, an inactive integration and an
 * unknown program, so the endpoint cannot be used to probe which programs exist.
 */
function webhookAuth(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
    if (!match || !(await webhookTokenMatches(db, c.req.param('programId') ?? '', match[1]!))) {
      throw new AppError('unauthorized', 'Invalid webhook token', { headers: { 'WWW-Authenticate': 'Bearer' } })
    }
    await next()
  }
}

/** Queues the fetch of this order; answering fast matters more than the work (LI has a timeout). */
export async function acceptOrderWebhook(
  deps: Pick<AppDeps, 'db' | 'jobs' | 'log'>,
  programId: string,
  numero: number,
): Promise<void> {
  await deps.jobs.enqueue(deps.db, orderUpdateQueue, { programId, numero }, { key: `${programId}:${numero}` })
}

export function registerLiWebhookRoutes({ app, registry, deps }: RouteContext) {
  route(
    app,
    registry,
    {
      method: 'post',
      path: '/v1/webhooks/loja-integrada/:programId',
      tag: 'Webhooks',
      summary: 'Order webhook called by Loja Integrada',
      description: orderWebhookDescription,
      security: [],
      params: ProgramParams,
      body: OrderWebhookBody,
      middleware: [webhookAuth(deps.db)],
      responses: { 202: { description: 'Queued', schema: Ok } },
    },
    async (c, { params, body }) => {
      await acceptOrderWebhook(deps, params.programId, body.numero)
      c.get('log').debug('order webhook queued', { programId: params.programId, numero: body.numero })
      return c.json({ ok: true as const }, 202)
    },
  )
}
