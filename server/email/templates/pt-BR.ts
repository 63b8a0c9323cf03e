/**
 * Every word a shopper reads in an e-mail, pt-BR, in one place. Program names are used after
 * "programa" ("no programa Clube Bella") so the sentence is right whatever the name's gender.
 * The outbox stores the rendered text, so changing a line here never rewrites what was sent.
 */
const fmt = new Intl.NumberFormat('pt-BR')

export const ptBR = {
  layout: {
    greeting: (name: string | null | undefined) => (name ? `Olá, ${name}!` : 'Olá!'),
    /** Followed by the store's site, linked. */
    programOfStore: 'Programa de fidelidade da loja',
    automatic: 'Este é um e-mail automático. Respostas a ele não são lidas.',
    unsubscribeQuestion: 'Não quer mais receber estes e-mails?',
    unsubscribeLink: 'Cancelar inscrição',
  },

  loginCode: {
    // No code in the subject: subjects show on lock screens, in notification previews and in
    // mailbox lists, and mail servers log them.
    subject: (program: string) => `Seu código de acesso ao programa ${program}`,
    // The preheader is the first text a preview shows; without it the preview would be the
    // code itself.
    preheader: (minutes: number) => `Use o código para entrar. Ele vale por ${minutes} minutos.`,
    heading: 'Seu código de acesso',
    intro: (program: string) => `Para entrar no programa ${program}, use este código:`,
    validity: (minutes: number) => `O código vale por ${minutes} minutos.`,
    neverShare: 'Não compartilhe este código com ninguém. A loja nunca pede este código por telefone, WhatsApp ou e-mail.',
    notYou: 'Se não foi você que pediu, ignore este e-mail: sem o código, ninguém entra na sua conta.',
    reason: (program: string) =>
      `Você recebeu este e-mail porque alguém pediu um código de acesso ao programa ${program} com este endereço.`,
  },

  welcome: {
    subject: (program: string) => `Boas-vindas ao programa ${program}`,
    preheader: (program: string) => `Agora você participa do programa ${program}.`,
    heading: 'Boas-vindas!',
    joined: (program: string, pointsName: string) =>
      `Agora você participa do programa ${program}. A cada compra na loja, você acumula ${pointsName} e pode trocá-los por prêmios.`,
    balance: (points: number, pointsName: string) => `Seu saldo agora: ${fmt.format(points)} ${pointsName}.`,
    cta: 'Ver meus pontos na loja',
    reason: (program: string) => `Você recebeu este e-mail porque entrou no programa ${program}.`,
  },
} as const
