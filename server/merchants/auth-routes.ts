import type { MiddlewareHandler } from 'hono'
import type { Db } from '../db/database.ts'
import type { AppEnv } from '../http/context.ts'
import { AppError } from '../lib/errors.ts'
import type { JwtService } from '../auth/jwt.ts'
import { authenticateApiToken, isApiToken, PANEL_AUDIENCE } from './service.ts'

/** Admin routes: a panel session JWT or a named API token, both as `Authorization: Bearer …`. */
export function requireMerchant(db: Db, jwt: JwtService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match) {
      throw new AppError('unauthorized', 'Send Authorization: Bearer <session token or API token>', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      })
    }
    const bearer = match[1]!
    if (isApiToken(bearer)) {
      const { merchantId, tokenId } = await authenticateApiToken(db, bearer)
      c.set('merchant', { merchantId, via: 'api_token', tokenId })
    } else {
      const payload = await jwt.verify(bearer, PANEL_AUDIENCE)
      c.set('merchant', { merchantId: payload.sub, via: 'session' })
    }
    await next()
  }
}
