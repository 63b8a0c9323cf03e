// The narrow HTTP call the LI client makes (server/loja-integrada/http.ts), here so that deps.ts,
// below every feature, can name it.

/**
 * What the LI client needs of an HTTP call: the global `fetch` fits it (tests pass the
 * simulator's in-process `fetch`), and so does `agentFetch` below, the default.
 */
export interface LiRequestInit {
  method: string
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
}
export interface LiResponse {
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
}
export type LiFetch = (url: string, init: LiRequestInit) => Promise<LiResponse>
