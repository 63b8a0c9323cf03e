import type { FirstMerchantBody, LoginBody, LoginResponse, SetupStatus } from '../shared/api/merchants.ts'
import { ApiError } from './errors.ts'

/**
 * The admin API client. The panel session token (1 hour, from `POST /v1/auth/login`) lives in
 * sessionStorage: it survives a reload of the tab, not the closing of it, and no other tab or site
 * sees it. Any 401 drops it and calls `onUnauthorized` (the app shows the login screen).
 */
const TOKEN_KEY = 'fidelis:panel:session'

interface Stored {
  token: string
  expiresAt: string
}

function read(): Stored | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null') as Stored | null
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null
  } catch {
    return null
  }
}

function write(s: Stored | null) {
  try {
    if (s) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(s))
    else sessionStorage.removeItem(TOKEN_KEY)
  } catch {
    // storage disabled: the session lasts as long as the page
  }
}

let session: Stored | null = read()
let onUnauthorized: () => void = () => undefined
let expiryTimer: ReturnType<typeof setTimeout> | undefined

function armExpiry() {
  clearTimeout(expiryTimer)
  if (!session) return
  // setTimeout caps at ~24.8 days; sessions are an hour.
  expiryTimer = setTimeout(() => expire(), Math.max(0, Date.parse(session.expiresAt) - Date.now()))
}

function begin(res: LoginResponse): LoginResponse {
  session = { token: res.token, expiresAt: res.expiresAt }
  write(session)
  armExpiry()
  return res
}

function expire() {
  session = null
  write(null)
  clearTimeout(expiryTimer)
  onUnauthorized()
}

export const api = {
  hasSession: () => session !== null,
  onUnauthorized(fn: () => void) {
    onUnauthorized = fn
    armExpiry()
  },

  async login(email: string, password: string): Promise<LoginResponse> {
    return begin(await request<LoginResponse>('POST', '/v1/auth/login', { email, password } satisfies LoginBody, false))
  },

  /** Whether this server has no account yet (the login page then offers to create the first). */
  setupStatus: () => request<SetupStatus>('GET', '/v1/setup', undefined, false),

  /** Creates the first account of an empty server; the answer is a session, as the login's. */
  async createFirstAccount(body: { [K in keyof FirstMerchantBody]: string }): Promise<LoginResponse> {
    return begin(await request<LoginResponse>('POST', '/v1/setup/first-merchant', body, false))
  },

  logout() {
    session = null
    write(null)
    clearTimeout(expiryTimer)
  },

  /**
   * A file the API answers (CSV exports): fetched with the session, handed back with the name the
   * API gave it, for the page to offer as a download.
   */
  async download(path: string): Promise<{ blob: Blob; name: string }> {
    const headers: Record<string, string> = session ? { authorization: `Bearer ${session.token}` } : {}
    let res: Response
    try {
      res = await fetch(path, { headers, credentials: 'omit' })
    } catch {
      throw new ApiError(0, 'network', null)
    }
    if (!res.ok) {
      const err = ApiError.fromBody(res.status, await res.json().catch(() => null), res.headers.get('retry-after'))
      if (res.status === 401) expire()
      throw err
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'fidelis.csv'
    return { blob: await res.blob(), name }
  },

  // The verbs below are for endpoints.ts, which names every endpoint with its types.
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
  deleteWith: <T>(path: string, body: unknown) => request<T>('DELETE', path, body),
  /** A file to download as is (a member's data export). */
  text: (path: string) => request<string>('GET', path, undefined, true, true),
}

async function request<T>(method: string, path: string, body?: unknown, auth = true, text = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (auth && session) headers.authorization = `Bearer ${session.token}`
  // Tells the privacy request list a panel action from an API token's.
  headers['x-fidelis-client'] = 'panel'
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'omit',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  } catch {
    throw new ApiError(0, 'network', null)
  }
  const data: unknown = res.status === 204 ? {} : text && res.ok ? await res.text() : await res.json().catch(() => null)
  if (!res.ok) {
    const err = ApiError.fromBody(res.status, data, res.headers.get('retry-after'))
    if (res.status === 401 && auth) expire()
    throw err
  }
  return data as T
}
