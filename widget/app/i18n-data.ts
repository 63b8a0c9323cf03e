import { one } from './i18n.ts'

/**
 * The texts of "Meus dados" (LGPD): what the program holds, downloads, erasure. Part of the
 * widget's one dictionary (i18n.ts), kept in its own file because the screen is a chunk of its
 * own that a shopper fetches only when they open it (server/widget-assets/build.ts).
 */
export const dataTexts = {
  intro: 'Estes são os dados que o programa guarda sobre você:',
  email: 'E-mail',
  name: 'Nome',
  cpf: 'CPF',
  birthDate: 'Nascimento',
  none: 'não informado',
  terms: (version: string, at: string) => `Texto de privacidade aceito: versão ${version}, em ${at}`,
  emails: (yes: boolean | null) =>
    yes === null
      ? 'E-mails do programa: não perguntado'
      : yes
        ? 'Aceita e-mails do programa'
        : 'Não aceita e-mails do programa',
  counts: (entries: number, coupons: number, sent: number) =>
    `${entries} ${one(entries) ? 'movimentação' : 'movimentações'} de pontos, ` +
    `${coupons} ${one(coupons) ? 'cupom' : 'cupons'} e ${sent} ${one(sent) ? 'e-mail' : 'e-mails'}.`,
  json: 'Baixar meus dados (JSON)',
  csv: 'Baixar meus dados (planilha CSV)',
  erase: 'Excluir meus dados',
  eraseWarn:
    'A exclusão apaga seu e-mail, nome, CPF e data de nascimento do programa e encerra sua sessão. ' +
    'Seus pontos e cupons deixam de ser seus. Não dá para desfazer.',
  sendCode: 'Enviar código de confirmação',
  codeSent: 'Enviamos um código de 6 dígitos para o seu e-mail. Digite-o para confirmar.',
  eraseGo: 'Excluir definitivamente',
  erased: 'Pronto: seus dados foram excluídos do programa.',
}
