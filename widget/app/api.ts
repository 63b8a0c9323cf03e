import type {
  AmountRedeemBody,
  CodeSent,
  ErasureBody,
  ErasureCodeSent,
  ErrorBody,
  ErrorCode,
  JoinProfile,
  MemberExport,
  LoginStartBody,
  MemberRewards,
  RedeemBody,
  RedemptionView,
  RefreshBody,
  VerifyBody,
  WidgetMe,
  WidgetSession,
} from './types.ts'

/**
 * An API answer that was not 2xx; `network` when there was no answer at all. `retryAt` (epoch ms)
 * is when a rate-limited call may be tried again: the body's `retryAfter`, else `Retry-After`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    readonly field: string | null,
    readonly retryAt: number | null = null,
  ) {
    super(code)
  }
}

/**
 * The widget API client: access token in memory only; the refresh token in localStorage under a
 * key namespaced by program, so a new page view can resume the session silently.
 */
export function createApi(base: string, programKey: string) {
  const prefix = `${base}/v1/widget/${encodeURIComponent(programKey)}`
  const storeKey = `fidelis:${programKey}:refresh`
  let access: string | null = null

  const storage = {
    get: () => {
      try {
        return localStorage.getItem(storeKey)
      } catch {
        return null
      }
    },
    set: (v: string | null) => {
      try {
        if (v) localStorage.setItem(storeKey, v)
        else localStorage.removeItem(storeKey)
      } catch {
        // private mode: the session just lasts as long as the page
      }
    },
  }

  async function call<T>(method: string, path: string, body?: unknown, auth = false, text = false): Promise<T> {
    let res: Response
    try {
      res = await fetch(prefix + path, {
        method,
        credentials: 'omit',
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(auth && access ? { authorization: `Bearer ${access}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
    } catch {
      throw new ApiError(0, 'network', null)
    }
    // `text`: a file to hand over as is (the data export); errors are JSON either way.
    const data = res.status === 204 ? {} : text && res.ok ? await res.text() : await res.json().catch(() => ({}))
    if (!res.ok) {
      const e = (data as Partial<ErrorBody> | null)?.error as
        | (ErrorBody['error'] & { retryAfter?: unknown })
        | undefined
      // The body carries it (a cross-origin fetch reads Retry-After only if the API exposes it).
      const wait = Number(e?.retryAfter ?? res.headers.get('retry-after'))
      throw new ApiError(
        res.status,
        e?.code ?? 'internal',
        e?.field ?? null,
        wait > 0 ? Date.now() + wait * 1000 : null,
      )
    }
    return data as T
  }

  function keep(s: WidgetSession) {
    access = s.accessToken
    storage.set(s.refreshToken)
    return s
  }

  async function authed<T>(method: string, path: string, body?: unknown, text = false): Promise<T> {
    try {
      return await call<T>(method, path, body, true, text)
    } catch (err) {
      // The access token lasts minutes: refresh once, then retry.
      if (err instanceof ApiError && err.status === 401 && (await refresh()))
        return call<T>(method, path, body, true, text)
      throw err
    }
  }

  /**
   * Tabs of the store share the refresh token in localStorage, and it rotates on use: two tabs
   * refreshing with the same token at once would present it twice. So a refresh holds a Web
   * Lock named after the token's key (one tab at a time, across the origin) and reads the token
   * only once it holds it: a tab that waited finds the token the other tab just stored and
   * refreshes with that one. Concurrent callers in one tab share one refresh. Browsers without
   * navigator.locks refresh unguarded; the server answers a token presented again within 30 s of
   * its rotation with the same successor (identity/sessions.ts refreshSession), so they stay
   * logged in too.
   */
  let refreshing: Promise<boolean> | null = null
  function refresh(): Promise<boolean> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
    if (!refreshing) {
      const run = locks ? locks.request(storeKey, rotate).then((ok) => ok) : rotate()
      refreshing = run.finally(() => (refreshing = null))
    }
    return refreshing
  }

  async function rotate(): Promise<boolean> {
    const token = storage.get()
    if (!token) return false
    try {
      keep(await call<WidgetSession>('POST', '/session/refresh', { refreshToken: token } satisfies RefreshBody))
      return true
    } catch (err) {
      // Forget the token only if no other tab replaced it meanwhile.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && storage.get() === token) storage.set(null)
      return false
    }
  }

  return {
    /**
     * Plain calls for the lazy chunks (referrals, widget/app/referral-api.ts), which spell their own
     * endpoints: each typed method here would cost every shopper's first click a few bytes.
     */
    call,
    authed,
    hasSession: () => access !== null || storage.get() !== null,
    refresh,
    startLogin: (email: string) => call<CodeSent>('POST', '/login', { email } satisfies LoginStartBody),
    /** `join`: the join form, sent with the code (e-mail first: only a store customer gets this far). */
    verify: async (email: string, code: string, join?: JoinProfile) =>
      keep(
        await call<WidgetSession>('POST', '/login/verify', {
          email,
          code,
          ...(join ? { join } : {}),
        } satisfies VerifyBody),
      ),
    me: () => authed<WidgetMe>('GET', '/me'),
    rewards: () => authed<MemberRewards>('GET', '/rewards'),
    /** `key` is made once per confirmation and resent as is after a network error: one redemption. */
    redeem: (rewardId: string, key: string) =>
      authed<RedemptionView>('POST', '/redemptions', { rewardId, idempotencyKey: key } satisfies RedeemBody),
    /** A coupon of exactly `amountCents` from the balance; `key` as for `redeem`. */
    redeemAmount: (amountCents: number, key: string) =>
      authed<RedemptionView>('POST', '/redemptions/amount', {
        amountCents,
        idempotencyKey: key,
      } satisfies AmountRedeemBody),
    redemption: (id: number) => authed<RedemptionView>('GET', `/redemptions/${id}`),
    /** "Meus dados": what the program holds; `file` fetches the download (recorded as a request). */
    myData: () => authed<MemberExport>('GET', '/me/data'),
    myDataFile: (format: 'json' | 'csv') => authed<string>('GET', `/me/data?format=${format}`, undefined, true),
    erasureCode: () => authed<ErasureCodeSent>('POST', '/me/erasure/code'),
    /** The session ends with the data: the refresh token is forgotten here too. */
    erase: async (code: string) => {
      await authed('POST', '/me/erasure', { code } satisfies ErasureBody)
      storage.set(null)
      access = null
    },
    logout: async () => {
      const token = storage.get()
      storage.set(null)
      try {
        if (token) await call('POST', '/logout', { refreshToken: token } satisfies RefreshBody, true)
      } finally {
        access = null
      }
    },
  }
}

export type Api = ReturnType<typeof createApi>
