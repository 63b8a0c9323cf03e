import { t } from '../i18n.ts'
import { useStore } from '../state.ts'

/** The first screen: what the program is, "Quero participar" (when joining is open) and "Já participo". */
export function Welcome() {
  const { config, screen } = useStore()
  // Login is open only while the store connection is active: otherwise the program is paused.
  if (!config.loginOpen) return <Paused />
  return (
    <>
      <p>
        <strong>{t.welcomeTitle(config.name)}</strong>
      </p>
      <p>{config.mode === 'cashback' ? t.welcomeCashback : t.welcomeText(config.pointsName)}</p>
      {config.joiningOpen && (
        <button class="pr" type="button" onClick={() => (screen.value = { name: 'join' })}>
          {t.join}
        </button>
      )}
      <button class="sc" type="button" onClick={() => (screen.value = { name: 'login' })}>
        {t.login}
      </button>
    </>
  )
}

/**
 * A shopper who cannot join here (`signup_required`): off to the store's sign-up page, told to
 * use the same e-mail, which the e-mail step offers again when they are back (session.ts).
 */
export function Signup({ email }: { email: string }) {
  const { config, screen } = useStore()
  return (
    <>
      <p>
        <strong>{t.signupTitle}</strong>
      </p>
      <p>{t.signupText}</p>
      <p class="muted">{t.signupWith(email)}</p>
      {config.signupUrl && (
        <a class="pr" href={config.signupUrl} target="_top" rel="noopener">
          {t.signupGo}
        </a>
      )}
      <button class="sc" type="button" onClick={() => (screen.value = { name: 'welcome' })}>
        {t.back}
      </button>
    </>
  )
}

/** "Programa pausado": the store connection is not active, so nobody can log in or redeem. */
export function Paused() {
  return (
    <div role="status">
      <p>
        <strong>{t.pausedTitle}</strong>
      </p>
      <p>{t.pausedText}</p>
    </div>
  )
}
