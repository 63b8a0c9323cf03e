// Public surface of the Loja Integrada API simulator. Start with createLiSimulator; see the
// module comments for behaviour and the CHOICE: notes in the routes-*.ts files for unconfirmed details.

/** Build the simulator: `{ app, state, faults, requests, rateLimit, webhooks, fetch, seed, evolve, close }`. */
export { createLiSimulator, DEFAULT_APPLICATION_KEY, BadRequest } from './app.ts'
export type { LiSimulator, LiSimulatorOptions, SimEnv, SleepFn } from './app.ts'

/** Deterministic seeding and incremental changes. */
export { seedStore } from './seed.ts'
export type { SeedOptions, SeededStore } from './seed.ts'
export { evolveStore, nextStatusFor } from './evolve.ts'
export type { EvolveOptions, EvolveResult } from './evolve.ts'

/** In-memory state: stores, customers, orders, coupons, products; ids and helper types. */
export { SimState } from './sim-state.ts'
export type { CredentialKind } from './sim-state.ts'
export {
  SimStore,
  SimOrder,
  SimError,
  couponDiscount,
  CUSTOMER_ID_BASE,
  ORDER_ID_BASE,
  COUPON_ID_BASE,
  PRODUCT_ID_BASE,
  ENVIO_ID_OFFSET,
  PAYMENT_ID_OFFSET,
} from './store.ts'
export type {
  SimCustomer,
  SimCoupon,
  SimProduct,
  HistoryEntry,
  NewOrderInput,
  OrderFilter,
  CustomerFilter,
  ListingQuirks,
} from './store.ts'

/** The order-status table (reference §4) and payment/shipping methods. */
export {
  STATUSES,
  PAYMENT_METHODS,
  SHIPPING_METHODS,
  findStatusByCodigo,
  findStatusById,
  getStatus,
} from './catalog.ts'
export type { SimStatus } from './catalog.ts'

/** Fault switches, rate limiting, request log, webhook delivery. */
export { FaultController, FAULT_KINDS } from './faults.ts'
export type { FaultKind, FaultSpec, ActiveFault } from './faults.ts'
export { RateLimiter, DEFAULT_RATE_LIMIT } from './rate-limit.ts'
export type { RateLimitConfig } from './rate-limit.ts'
export { RequestLog } from './request-log.ts'
export type { RequestLogEntry, AuthKind } from './request-log.ts'
export { WebhookDispatcher } from './webhooks.ts'
export type { WebhookDelivery, FetchLike } from './webhooks.ts'

/** Clocks and LI date formats (naive São Paulo wall-clock with microseconds). */
export { manualClock, offsetClock, formatNaive, formatUtcZ, formatWithOffset, parseLiDateTime } from './time.ts'
export type { Clock, ManualClock, Micros } from './time.ts'

/** JSON renderers, for tests that compare shapes. */
export { money, orderDetail, orderSummary, orderWebhookPayload, couponJson, customerDetail } from './render.ts'
