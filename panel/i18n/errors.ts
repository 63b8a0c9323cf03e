import type { ErrorCode } from '../../shared/errors.ts'

/** Per form field (as the API names it in `error.field`), a message per error code; `validation_failed` is the field's default. */
export type FieldMessages = Record<string, Partial<Record<ErrorCode, string>>>

/** Error texts: the general ones and, per form field, by API error code. */
export const errorTexts = {
  errors: {
    network: 'Sem conexão com o servidor. Verifique sua internet e tente de novo.',
    summary: 'Não foi possível salvar. Confira os campos destacados:',
    /** The same list above a form that saves nothing (login). */
    summaryCheck: 'Confira os campos destacados:',
    /** A rate limit's wait, counted down to the second the API gave (retryAfter). */
    wait: (s: number) =>
      `Muitas tentativas seguidas. Tente de novo em ${s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`}.`,
    waitOver: 'Pode tentar de novo agora.',
    invalid: 'Confira este campo.',
    required: 'Preencha este campo.',
    pageNotFound: 'Página não encontrada.',
  },
  /**
   * One message per API error code (shared/errors.ts), for errors no form field explains: a new
   * code fails the typecheck until it has its text here. Each says what is wrong and what to do.
   */
  errorCodes: {
    bad_request: 'Não foi possível concluir o pedido. Confira os dados informados e tente de novo.',
    validation_failed: 'Não foi possível salvar. Confira os dados informados e tente de novo.',
    malformed_json: 'O servidor não conseguiu ler os dados enviados. Recarregue a página e tente de novo.',
    unsupported_media_type: 'O servidor não conseguiu ler os dados enviados. Recarregue a página e tente de novo.',
    payload_too_large: 'Os dados enviados são grandes demais. Encurte textos e listas e tente de novo.',
    unauthorized: 'Sua sessão terminou. Entre de novo para continuar.',
    forbidden: 'Sua conta não tem acesso a este programa. Entre com a conta responsável por ele.',
    not_found: 'Não encontramos o que você procurou. Pode ter sido excluído: volte à lista e confira.',
    method_not_allowed: 'Algo deu errado do nosso lado. Recarregue a página e tente de novo.',
    conflict: 'Não foi possível concluir: os dados mudaram ou já existem. Recarregue a página e confira.',
    rate_limited: 'Muitas tentativas seguidas. Aguarde um minuto e tente de novo.',
    insufficient_points: 'Saldo de pontos insuficiente para essa operação.',
    idempotency_conflict:
      'Esta operação já foi registrada com outros dados. Recarregue a página e confira antes de repetir.',
    reward_unavailable: 'Este prêmio não pode ser resgatado agora: está desativado, saiu do feed ou está sem preço.',
    out_of_stock: 'O estoque deste prêmio acabou. Aumente a quantidade total para liberar novos resgates.',
    limit_reached: 'O limite de resgates deste prêmio por participante foi atingido.',
    program_mode_locked: 'O tipo do programa (pontos ou cashback) é escolhido na criação e não pode ser trocado.',
    wrong_program_mode: 'Esta configuração não vale para o tipo deste programa (pontos ou cashback).',
    amount_redemption_off: 'Este programa não permite resgatar um valor à escolha.',
    program_paused: 'O programa está pausado: a conexão com a loja não está ativa. Ative-a para liberar os resgates.',
    li_credentials_rejected:
      'A Loja Integrada recusou a chave de API. Gere uma nova chave na Loja Integrada e salve na integração.',
    li_unavailable: 'A Loja Integrada não respondeu agora. Tente de novo em alguns minutos.',
    signup_required: 'Este e-mail não é de um cliente da loja. A pessoa precisa criar uma conta na loja primeiro.',
    setup_closed: 'A primeira conta deste Fidelis já foi criada. Entre com o e-mail e a senha dela.',
    referral_code_unknown: 'Este código de indicação não existe neste programa.',
    referral_not_in_review: 'Esta indicação já foi decidida. Recarregue a lista para ver a situação atual.',
    internal: 'Algo deu errado do nosso lado. Tente de novo em instantes.',
    not_implemented: 'Esta função ainda não está disponível no Fidelis.',
    service_unavailable: 'O Fidelis está fora do ar por um momento. Tente de novo em alguns minutos.',
  } satisfies Record<ErrorCode, string>,
  fields: {
    apiKey: {
      li_credentials_rejected:
        'A Loja Integrada recusou esta chave. Confira se copiou a chave inteira (Configurações > Chave para API) e tente de novo.',
      validation_failed: 'Cole a chave inteira: ela parece curta demais.',
      conflict: 'Salve uma chave de API válida antes de continuar.',
    },
    credentialKind: {
      validation_failed:
        'Este servidor não aceita a chave de API (falta a chave de aplicação da Loja Integrada). Use um token pessoal.',
    },
    siteUrl: { validation_failed: 'Informe o endereço completo, começando com https://' },
    signupUrl: { validation_failed: 'Informe o endereço completo, começando com https://' },
    feedUrl: {
      validation_failed: 'Informe o endereço completo do XML, começando com https://',
      conflict: 'Cadastre a URL do XML do Google Shopping na integração primeiro.',
    },
    imageUrl: { validation_failed: 'Informe o endereço completo da imagem, começando com https://' },
    link: { validation_failed: 'Informe o endereço completo, começando com https://' },
    couponValidityDays: { validation_failed: 'Use um número inteiro de 1 a 3650.' },
    awardingStatusIds: {
      validation_failed:
        'Escolha situações da lista da sua loja (e pelo menos uma enquanto a integração estiver ativa).',
      conflict: 'Escolha e salve pelo menos uma situação que gera pontos.',
    },
    rewardAllowlist: { validation_failed: 'Use no máximo 5000 códigos, cada um com até 100 caracteres.' },
    name: { validation_failed: 'Use de 1 a 120 caracteres.' },
    pointsName: { validation_failed: 'Use de 1 a 40 caracteres.' },
    earnRate: { validation_failed: 'Use um número de 0 a 1000, com até 4 casas decimais (ex.: 1 ou 0,5).' },
    primaryColor: { validation_failed: 'Escolha uma cor.' },
    textColor: { validation_failed: 'Escolha uma cor.' },
    launcherCorner: { validation_failed: 'Escolha um dos cantos.' },
    launcherOffsetX: { validation_failed: 'Use um número inteiro de 0 a 200.' },
    launcherOffsetY: { validation_failed: 'Use um número inteiro de 0 a 200.' },
    title: { validation_failed: 'Use de 1 a 150 caracteres.' },
    description: { validation_failed: 'Use até 5000 caracteres.' },
    pointsCost: { validation_failed: 'Use um número inteiro de pontos, maior que zero.' },
    valueCents: { validation_failed: 'Informe um valor em reais maior que zero, ex.: 10,00.' },
    percent: { validation_failed: 'Use um número inteiro de 1 a 100.' },
    priceCents: { validation_failed: 'Informe um valor em reais maior que zero, ex.: 99,90.' },
    minimumOrderCents: { validation_failed: 'Informe um valor em reais maior que zero, ou deixe em branco.' },
    totalStock: { validation_failed: 'Use um número inteiro, a partir do que já foi resgatado, ou deixe em branco.' },
    perMemberLimit: { validation_failed: 'Use um número inteiro de 1 a 1000, ou deixe em branco.' },
    amount: {
      validation_failed: 'Use um número inteiro diferente de zero (negativo para retirar).',
      insufficient_points: 'O saldo do participante não pode ficar negativo.',
    },
    reason: { validation_failed: 'Escreva o motivo (até 300 caracteres). O participante vê este texto.' },
    email: { validation_failed: 'Informe um e-mail válido.' },
    password: { validation_failed: 'Informe a senha.' },
    q: { validation_failed: 'Use até 200 caracteres.' },
    expiryMonths: { validation_failed: 'Use um número inteiro de meses, de 1 a 120.' },
    signupBonus: { validation_failed: 'Use um número inteiro de 0 a 1.000.000 (0 = sem bônus).' },
    birthdayBonus: { validation_failed: 'Use um número inteiro de 0 a 1.000.000 (0 = sem bônus).' },
    pendingDays: { validation_failed: 'Use um número inteiro de 0 a 90 dias (0 = sem carência).' },
    multiplier: { validation_failed: 'Use um número de 1,01 a 10, com até 2 casas decimais (ex.: 2 ou 1,5).' },
    startsOn: { validation_failed: 'Escolha a data de início.' },
    endsOn: { validation_failed: 'Escolha a data de fim: o mesmo dia do início ou depois.' },
    enabled: { validation_failed: 'Escolha ligado ou desligado.' },
    disabledKinds: { validation_failed: 'Escolha somente e-mails da lista.' },
  } satisfies FieldMessages as FieldMessages,
}
