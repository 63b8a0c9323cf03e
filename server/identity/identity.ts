import type { WidgetMemberView } from '../../shared/api/widget.ts'
import type { Integration, Member, Program } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { notFound } from '../lib/errors.ts'
import type { LiClient } from '../loja-integrada/client.ts'
import { findProgramByKey } from '../programs/service.ts'
import { deriveCodeKey, deriveSuccessorKey } from './secrets.ts'
import type { WidgetTokens } from './tokens.ts'

// What login (login.ts) and sessions (sessions.ts) share: the Identity built once per app and
// the views both answer with.

export type IdentityDeps = Pick<AppDeps, 'db' | 'config' | 'secrets' | 'jobs' | 'log' | 'liFetch'>

/** What shopper identity needs, built once per app. */
export interface Identity {
  deps: IdentityDeps
  tokens: WidgetTokens
  codeKey: Buffer
  /** Derives a refresh token's successor (secrets.ts successorRefreshToken). */
  successorKey: Buffer
  /** LI clients by program, reused across searches (see login.ts storeClient). */
  storeClients: Map<string, { client: LiClient; keyEnc: string; until: number }>
}

export function createIdentity(deps: IdentityDeps, tokens: WidgetTokens): Identity {
  return {
    deps,
    tokens,
    codeKey: deriveCodeKey(deps.secrets.encryptionKey),
    successorKey: deriveSuccessorKey(deps.secrets.encryptionKey),
    storeClients: new Map(),
  }
}

export const toWidgetMemberView = (m: Pick<Member, 'id' | 'name' | 'email'>): WidgetMemberView => ({
  id: m.id,
  name: m.name,
  email: m.email,
})

/** The store's sign-up page, or its site when the merchant gave none. */
export const signupUrlOf = (integration: Integration | undefined) =>
  integration?.signup_url ?? integration?.site_url ?? null

export async function programOrThrow(deps: IdentityDeps, programKey: string): Promise<Program> {
  const program = await findProgramByKey(deps.db, programKey)
  if (!program) throw notFound('Program')
  return program
}
