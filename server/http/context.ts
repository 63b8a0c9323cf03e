import type { Logger } from '../lib/logger.ts'

/** What an authenticated admin request carries, set by the auth middleware. */
export interface MerchantAuth {
  merchantId: string
  via: 'session' | 'api_token'
  tokenId?: string
}

export interface AppEnv {
  Variables: {
    requestId: string
    log: Logger
    merchant: MerchantAuth
  }
}
