/** Every text the shopper reads, pt-BR, in one place. */
const num = new Intl.NumberFormat('pt-BR')
const date = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: 'short', year: 'numeric' })

export const t = {
  close: 'Fechar',
  welcomeTitle: (program: string) => `Bem-vindo ao ${program}`,
  welcomeText: (pointsName: string) => `Ganhe ${pointsName} a cada compra e troque por descontos na loja.`,
  join: 'Quero participar',
  login: 'Já participo',
  email: 'E-mail',
  name: 'Nome',
  cpf: 'CPF (opcional)',
  birthDate: 'Data de nascimento (opcional)',
  consent: 'Quero receber e-mails do programa',
  sendCode: 'Enviar código',
  codeSentTo: (email: string) => `Enviamos um código de 6 dígitos para ${email}. Ele vale por 10 minutos.`,
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
  signupTitle: 'Cadastre-se na loja primeiro',
  signupText: 'O programa é para clientes da loja. Crie sua conta na loja e depois volte aqui.',
  signupGo: 'Ir para o cadastro',
  errors: {
    network: 'Sem conexão com o programa. Verifique sua internet e tente de novo.',
    rate: 'Muitas tentativas. Aguarde um pouco e tente de novo.',
    code: 'Código incorreto ou expirado.',
    field: 'Confira os campos destacados.',
    server: 'Algo deu errado do nosso lado. Tente de novo em instantes.',
  },
  retry: 'Tentar de novo',
  points: (n: number, singular: string, plural: string) => `${num.format(n)} ${Math.abs(n) === 1 ? singular : plural}`,
  number: (n: number) => num.format(n),
  date: (iso: string) => date.format(new Date(iso)),
}

/** "pontos" → "ponto": the points name a merchant gives is plural; a simple singular for 1. */
export function singularOf(pointsName: string): string {
  return pointsName.endsWith('s') ? pointsName.slice(0, -1) : pointsName
}
