// Shopper identity, the one entry point other features use: the Identity built once per app
// (identity.ts), login and join by e-mail code (login.ts), sessions and refresh tokens (sessions.ts).

/** Reads and writes other features need, through this service rather than the repository. */
export { deleteExpiredRefreshTokens } from './repository.ts'
export { createIdentity, type Identity, type IdentityDeps, signupUrlOf, toWidgetMemberView } from './identity.ts'
export { CODE_VALID_SECONDS, LOGIN_LIMITS, MAX_CODE_ATTEMPTS, startLogin, verifyLogin } from './login.ts'
export {
  endedSessions,
  logout,
  REFRESH_REUSE_GRACE_SECONDS,
  REFRESH_TOKEN_SECONDS,
  refreshSession,
} from './sessions.ts'
export { endMemberSessions, sendConfirmationCode, useConfirmationCode } from './confirm.ts'
export { emailKey } from './secrets.ts'
