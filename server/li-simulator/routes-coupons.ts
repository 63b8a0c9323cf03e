// Coupon routes: /cupom list, detail, create and replace.

import type { Hono } from 'hono'
import { parseCouponPayload } from './coupons.ts'
import { listResponse, numericParam, readJson, type Paging } from './params.ts'
import { couponJson, uri } from './render.ts'
import type { SimEnv } from './types.ts'

const OTHER_MAX = 100

export function couponRoutes(api: Hono<SimEnv>, paging: Paging): void {
  // CHOICE: no ?codigo= filter (unconfirmed; clients page the full list) — it is ignored.
  api.get('/cupom', (c) => {
    const store = c.get('store')
    return listResponse(c, '/cupom', store.coupons, paging(c, OTHER_MAX), couponJson)
  })

  api.get('/cupom/:id', (c) => {
    const id = numericParam(c, 'id')
    const coupon = id === undefined ? undefined : c.get('store').couponsById.get(id)
    return coupon ? c.json(couponJson(coupon)) : c.body(null, 404)
  })

  // CHOICE: 201 with the full object (what clients read first) plus a Location header.
  api.post('/cupom', async (c) => {
    const store = c.get('store')
    const parsed = parseCouponPayload(await readJson(c), store, null)
    if (!parsed.ok) return c.json(parsed.errors, 400)
    const coupon = store.insertCoupon(parsed.input)
    c.header('Location', uri('cupom', coupon.id))
    return c.json(couponJson(coupon), 201)
  })

  api.put('/cupom/:id', async (c) => {
    const id = numericParam(c, 'id')
    const store = c.get('store')
    const existing = id === undefined ? undefined : store.couponsById.get(id)
    if (!existing) return c.body(null, 404)
    const parsed = parseCouponPayload(await readJson(c), store, existing)
    if (!parsed.ok) return c.json(parsed.errors, 400)
    return c.json(couponJson(store.replaceCoupon(existing.id, parsed.input)))
  })

  // CHOICE: DELETE on coupons is unconfirmed; answer 405 like Tastypie for a disallowed method.
  api.on(['DELETE', 'PATCH'], '/cupom/:id', (c) => c.body(null, 405))
}
