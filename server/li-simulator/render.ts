// The JSON shapes LI returns, one file per resource; this file gathers them for callers.

export { couponJson, money, statusJson, uri, weight, type Json, type JsonObject } from './render-common.ts'
export { customerDetail, customerInline, customerLight } from './render-customers.ts'
export { historyJson, orderDetail, orderSummary, orderWebhookPayload } from './render-orders.ts'
export { productDetail, productListItem, productPrice, productStock, productWebhookPayload } from './render-products.ts'
