import type { ErrorCode } from './types.ts'

/** Every text the shopper reads, pt-BR, in one place. */
// Formatters are made on first use, not when the bundle runs: each Intl constructor loads locale
// data, and together they made the app's evaluation one of the page's long tasks.
const lazy = <T>(make: () => T) => {
  let value: T | undefined
  return () => (value ??= make())
}
const num = lazy(() => new Intl.NumberFormat('pt-BR'))
const date = lazy(() => new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: 'short', year: 'numeric' }))
const money = lazy(() => new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }))
// A calendar day (the coupon's last day in São Paulo), read at noon UTC so no time zone shifts it.
const day = lazy(
  () => new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }),
)
const plural = lazy(() => new Intl.PluralRules('pt-BR'))
/** Picks the singular or plural form by pt-BR's plural rules (CLDR: 0 and 1 take the singular). */
export const one = (n: number) => plural().select(n) === 'one'

export const t = {
  close: 'Fechar',
  // Inclusive ("Bem-vindo" assumes a man) and right whatever the name's gender: the article goes
  // with "programa", unless the merchant's name already starts with that word.
  welcomeTitle: (program: string) => `Boas-vindas ao ${/^programa\b/i.test(program) ? '' : 'programa '}${program}`,
  welcomeText: (pointsName: string) => `Ganhe ${pointsName} a cada compra e troque por descontos na loja.`,
  welcomeCashback: 'Ganhe cashback a cada compra e use o valor como desconto na loja.',
  join: 'Quero participar',
  login: 'Já participo',
  email: 'E-mail',
  name: 'Nome',
  cpf: 'CPF (opcional)',
  birthDate: 'Data de nascimento (opcional)',
  consent: 'Quero receber e-mails do programa',
  /**
   * The privacy text of the join form. Its version is recorded on the member at join (the
   * server's CONSENT_TEXT_VERSION, shared/api/privacy.ts; a test keeps the two equal): change both
   * with the text.
   */
  privacyNotice: {
    version: '2026-12-07',
    text:
      'Ao participar, o programa guarda seu e-mail, nome, CPF e data de nascimento (se informados), ' +
      'seus pedidos e pontos, para somar pontos e gerar cupons. Em "Meus dados" você baixa ou exclui seus dados.',
  },
  sendCode: 'Enviar código',
  continue: 'Continuar',
  joinEmailHint: 'Informe o e-mail da sua conta na loja. Enviamos um código para confirmar.',
  codeSentTo: (email: string) => `Enviamos um código de 6 dígitos para ${email}. Ele vale por 10 minutos.`,
  joinDetails: 'Complete seu cadastro enquanto o código chega:',
  code: 'Código',
  confirm: 'Entrar',
  resend: 'Reenviar código',
  resendIn: (s: number) => `Reenviar em ${s} s`,
  back: 'Voltar',
  balance: 'Seu saldo',
  pending: (n: string) => `${n} a confirmar`,
  history: 'Histórico',
  noHistory: 'Nenhuma movimentação ainda.',
  logout: 'Sair',
  pausedTitle: 'Programa pausado',
  pausedText:
    'A loja pausou o programa por enquanto. Seu saldo continua guardado; ' +
    'os resgates voltam quando ele for retomado.',
  signupTitle: 'Cadastre-se na loja primeiro',
  signupText: 'O programa é para clientes da loja. Crie sua conta na loja e depois volte aqui.',
  signupWith: (email: string) => `Use o e-mail ${email} no cadastro: ao voltar, ele já estará preenchido aqui.`,
  signupGo: 'Ir para o cadastro',
  errors: {
    /** No answer from the server at all. */
    network: 'Sem conexão com o programa. Verifique sua internet e tente de novo.',
    /** Any refusal of the e-mailed code (wrong, expired, not 6 digits). */
    code: 'Código incorreto ou expirado. Confira o código do e-mail ou peça um novo.',
    /** Several fields refused at once (each says why under it). */
    fields: (n: number) => (one(n) ? 'Corrija o campo destacado.' : `Corrija os ${n} campos destacados.`),
    /** A rate limit's wait, counted down (the API's retryAfter). */
    wait: (s: number) => `Muitas tentativas. Tente de novo em ${s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`}.`,
    waitOver: 'Pode tentar de novo agora.',
  },
  /** Each field's rule, named, shown under the field (the API names the field it refuses). */
  fieldErrors: {
    email: 'E-mail inválido: confira o endereço (ex.: nome@exemplo.com.br).',
    name: 'Informe seu nome.',
    cpf: 'CPF inválido: confira os 11 dígitos.',
    birthDate: 'Data de nascimento inválida.',
    emailConsent: 'Responda se quer receber e-mails do programa.',
    amountCents: 'Este valor está fora dos limites do programa. Confira o mínimo e o máximo.',
  },
  nameLong: (max: number) => `Nome muito longo: até ${max} caracteres.`,
  /**
   * One message per API error code (shared/errors.ts): a new code fails the typecheck until it
   * has its text here. Each says what went wrong and what the shopper can do.
   */
  errorCodes: {
    bad_request: 'Confira os campos destacados.',
    validation_failed: 'Confira os campos destacados.',
    malformed_json: 'Não conseguimos ler os dados enviados. Recarregue a página e tente de novo.',
    unsupported_media_type: 'Não conseguimos ler os dados enviados. Recarregue a página e tente de novo.',
    payload_too_large: 'Os dados enviados são grandes demais. Encurte o texto dos campos e tente de novo.',
    unauthorized: 'Sua sessão terminou. Entre de novo para continuar.',
    forbidden: 'O programa não está disponível nesta página. Tente de novo na loja.',
    not_found: 'Não encontramos o que você procurou. Recarregue a página e tente de novo.',
    method_not_allowed: 'Algo deu errado do nosso lado. Recarregue a página e tente de novo.',
    // The only conflict a shopper can meet: at login, the e-mail belongs to another customer of the store.
    conflict: 'Este e-mail está ligado a outro cadastro da loja. Fale com a loja para resolver.',
    rate_limited: 'Muitas tentativas. Aguarde um pouco e tente de novo.',
    insufficient_points: 'Saldo de pontos insuficiente para este prêmio.',
    idempotency_conflict: 'Este resgate já foi pedido com outros dados. Volte aos prêmios e tente de novo.',
    reward_unavailable: 'Este prêmio não está mais disponível.',
    out_of_stock: 'Este prêmio esgotou. Escolha outro prêmio.',
    limit_reached: 'Você já resgatou este prêmio o máximo de vezes permitido.',
    program_mode_locked: 'Este programa não pode mudar de tipo.',
    wrong_program_mode: 'Esta opção não está disponível neste programa.',
    amount_redemption_off: 'Este programa não permite usar um valor à escolha.',
    program_paused:
      'O programa está pausado pela loja. Seus pontos continuam guardados; os resgates voltam quando ele for retomado.',
    li_credentials_rejected: 'A loja está sem conexão com o programa no momento. Tente de novo mais tarde.',
    li_unavailable: 'A loja não respondeu agora. Tente de novo em alguns minutos.',
    signup_required: 'Crie sua conta na loja primeiro e depois volte aqui.',
    // Only the panel's first-account form meets it; a shopper never does.
    setup_closed: 'Algo deu errado do nosso lado. Recarregue a página e tente de novo.',
    referral_code_unknown: 'Este convite não vale mais. Peça um novo link a quem indicou você.',
    // Only the panel's review list meets it; a shopper never does.
    referral_not_in_review: 'Algo deu errado do nosso lado. Recarregue a página e tente de novo.',
    internal: 'Algo deu errado do nosso lado. Tente de novo em instantes.',
    not_implemented: 'Esta função ainda não está disponível. Tente de novo mais tarde.',
    service_unavailable: 'O programa está fora do ar por um momento. Tente de novo em alguns minutos.',
  } satisfies Record<ErrorCode, string>,
  retry: 'Tentar de novo',
  /** The button to "Meus dados"; the screen's own texts are in i18n-data.ts (a lazy chunk). */
  myDataOpen: 'Meus dados',

  tabs: { history: 'Histórico', rewards: 'Prêmios', coupons: 'Cupons' },
  noRewards: 'Ainda não há prêmios disponíveis.',
  redeem: 'Resgatar',
  /** "Falta 1 ponto", "Faltam 20 pontos". */
  missing: (n: number, points: string) => `${one(n) ? 'Falta' : 'Faltam'} ${points}`,
  productTitle: (title: string) => `Ganhe ${title}`,
  productNote: 'Cupom no valor do produto: coloque-o no carrinho e use o código.',
  more: (n: number) => `Ver mais ${n} ${one(n) ? 'prêmio' : 'prêmios'}`,
  minimumOrder: (v: string) => `Pedido mínimo de ${v}`,
  confirmTitle: 'Confirmar resgate',
  confirmText: (cost: string, title: string) => `Trocar ${cost} por "${title}"?`,
  confirmHint: 'Você recebe um cupom para usar na loja. Os pontos são descontados agora.',
  confirmGo: 'Confirmar resgate',
  cancel: 'Cancelar',
  creating: 'Gerando seu cupom na loja…',
  creatingSlow: 'A loja está demorando para responder. Seu cupom aparecerá em "Cupons" assim que estiver pronto.',
  issuedTitle: 'Seu cupom está pronto!',
  issuedHint: 'Use este código no carrinho da loja.',
  couponCode: 'Código do cupom',
  validUntil: (d: string) => `Válido até ${d}`,
  copy: 'Copiar código',
  copied: 'Código copiado!',
  failedTitle: 'Não foi possível criar o cupom',
  noCoupons: 'Você não tem cupons ativos.',
  /** Cashback (a balance in reais) and "any amount" redemptions; `v` are t.money(…), counts in reais. */
  available: (reais: number) => (one(reais) ? 'disponível' : 'disponíveis'),
  /** "R$ 12,30 fica disponível em 14/12/2026" (pt-BR agrees the verb with the amount). */
  availableOn: (reais: number, v: string, day: string) =>
    `${v} ${one(reais) ? 'fica disponível' : 'ficam disponíveis'} em ${day}`,
  amount: {
    open: 'Usar saldo',
    title: 'Quanto você quer usar?',
    label: 'Valor do desconto (R$)',
    range: (min: string, max: string) => `Escolha de ${min} a ${max}.`,
    worth: (v: string) => `Seu saldo vale ${v} em desconto.`,
    cost: (points: string) => `Serão descontados ${points} do seu saldo.`,
    /** The coupon's minimum order: value ÷ the program's share cap, rounded up. */
    minOrder: (v: string) => `Vale em pedidos a partir de ${v}.`,
    share: (pct: number) => `O desconto pode ser de até ${pct}% do valor do pedido.`,
    hint: 'Você recebe um cupom de uso único. O valor sai do seu saldo agora.',
    use: (v: string) => `Usar ${v}`,
    short: (min: string, missing: string) => `Dá para usar o saldo a partir de ${min}. Faltam ${missing}.`,
    invalid: 'Informe um valor em reais, por exemplo 25,00.',
    low: (min: string) => `O valor mínimo é ${min}.`,
    high: (max: string) => `O máximo por cupom é ${max}.`,
    balance: (v: string) => `Seu saldo é ${v}: escolha até esse valor.`,
    step: (v: string) => `Escolha um múltiplo de ${v} (o valor de 1 ponto).`,
  },
  money: (cents: number) => money().format(cents / 100),
  day: (isoDay: string) => day().format(new Date(isoDay + 'T12:00:00Z')),
  points: (n: number, singular: string, plural: string) => `${num().format(n)} ${one(Math.abs(n)) ? singular : plural}`,
  /** "1 ponto vence", "20 pontos vencem". */
  expiring: (n: number, points: string, day: string) => `${points} ${one(n) ? 'vence' : 'vencem'} em ${day}`,
  number: (n: number) => num().format(n),
  date: (iso: string) => date().format(new Date(iso)),
}

/** "pontos" → "ponto": the points name a merchant gives is plural; a simple singular for 1. */
export function singularOf(pointsName: string): string {
  return pointsName.endsWith('s') ? pointsName.slice(0, -1) : pointsName
}
