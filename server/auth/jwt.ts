import { jwtVerify, SignJWT, type JWTPayload } from 'jose'
import type { Secrets } from '../config/secrets.ts'
import { AppError } from '../lib/errors.ts'

/**
 * HS256 JWTs with a `kid` header, so keys rotate: the first configured key signs, any configured
 * key verifies. The algorithm is pinned on verify; issuer and audience are always checked.
 */
export class JwtService {
  constructor(
    private readonly keys: Secrets['jwtKeys'],
    private readonly issuer: string,
  ) {}

  async sign(
    claims: JWTPayload & { sub: string; aud: string },
    ttlSeconds: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    const key = this.keys[0]!
    const now = Math.floor(Date.now() / 1000)
    const exp = now + ttlSeconds
    const { sub, aud, ...rest } = claims
    const token = await new SignJWT(rest)
      .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(aud)
      .setSubject(sub)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .sign(key.secret)
    return { token, expiresAt: new Date(exp * 1000) }
  }

  async verify(token: string, audience: string): Promise<JWTPayload & { sub: string }> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const key = this.keys.find((k) => k.kid === header.kid)
          if (!key) throw new Error('unknown kid')
          return key.secret
        },
        { algorithms: ['HS256'], issuer: this.issuer, audience, requiredClaims: ['sub', 'exp', 'nbf'] },
      )
      return payload as JWTPayload & { sub: string }
    } catch {
      throw new AppError('unauthorized', 'The token is invalid or expired')
    }
  }
}
