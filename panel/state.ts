import { signal } from '@preact/signals'
import type { ProgramView } from '../shared/api/programs.ts'
import { api } from './api.ts'
import { href, parseRoute, type Route } from './router.ts'

/** App-wide state: where we are, who is logged in, which program is being managed. */
export const route = signal<Route>(parseRoute(location.pathname, location.search))
export const loggedIn = signal(api.hasSession())
/** null = not loaded yet. */
export const programs = signal<ProgramView[] | null>(null)
export const programId = signal<string | null>(null)
/** A confirmation carried to the next page (e.g. "Prêmio criado." after a redirect). */
export const flash = signal<string | null>(null)
/** A message shown on the login screen (e.g. the session ended). */
export const loginNotice = signal<string | null>(null)

export function currentProgram(): ProgramView | null {
  return programs.value?.find((p) => p.id === programId.value) ?? null
}

export function replaceProgram(p: ProgramView) {
  programs.value = (programs.value ?? []).map((x) => (x.id === p.id ? p : x))
}

export function navigate(to: Route, opts: { replace?: boolean; flash?: string } = {}) {
  const url = href(to)
  flash.value = opts.flash ?? null
  if (opts.replace) history.replaceState(null, '', url)
  else history.pushState(null, '', url)
  route.value = to
  scrollTo(0, 0)
}

addEventListener('popstate', () => {
  route.value = parseRoute(location.pathname, location.search)
})
