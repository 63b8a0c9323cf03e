import { one } from './i18n.ts'

/**
 * The texts of the referral screens ("Indique e ganhe" for a member, the friend's offer). Part of
 * the widget's one dictionary (i18n.ts), kept in its own file because those screens are chunks
 * of their own, fetched only by shoppers who meet them (server/widget-assets/build.ts). Amounts
 * come formatted (t.money, t.points); "quem você indicar" and "pessoa" keep the wording inclusive.
 */
export const referralTexts = {
  // The member's side.
  entry: 'Indique e ganhe',
  /** Under the entry on the member's page: what one referral earns. */
  entryHint: (reward: string) => `${reward} por indicação`,
  intro: 'Compartilhe seu link com quem ainda não comprou na loja.',
  friendGets: (coupon: string, minOrder: string | null) =>
    minOrder
      ? `Quem você indicar ganha ${coupon} de desconto na primeira compra, em pedidos a partir de ${minOrder}.`
      : `Quem você indicar ganha ${coupon} de desconto na primeira compra.`,
  youGet: (reward: string) => `Você ganha ${reward} quando a primeira compra dessa pessoa for confirmada.`,
  cashback: (value: string) => `${value} de cashback`,
  link: 'Seu link de indicação',
  copy: 'Copiar link',
  copied: 'Link copiado',
  /** The clipboard was refused: the link is selected instead. */
  copyManual: 'Não deu para copiar sozinho: o link ficou selecionado, copie pelo menu do seu aparelho.',
  whatsapp: 'Compartilhar no WhatsApp',
  /**
   * "1 pessoa indicada · nenhuma compra confirmada ainda", "3 pessoas indicadas · 2 compras
   * confirmadas". Zero is said in words: pt-BR's plural rules give 0 the singular ("0 pessoa").
   */
  counts: (invited: number, credited: number) =>
    invited === 0
      ? 'Você ainda não indicou ninguém.'
      : `${invited} ${one(invited) ? 'pessoa indicada' : 'pessoas indicadas'} · ` +
        (credited === 0
          ? 'nenhuma compra confirmada ainda'
          : `${credited} ${one(credited) ? 'compra confirmada' : 'compras confirmadas'}`),
  off: 'As indicações não estão disponíveis agora.',

  // The friend's side.
  offerTitle: (value: string) => `Ganhe ${value} na primeira compra`,
  offerFrom: (name: string) => `${name} indicou esta loja para você.`,
  offerMin: (minOrder: string) => `Cupom de uso único para o seu primeiro pedido, a partir de ${minOrder}.`,
  offerAny: 'Cupom de uso único para o seu primeiro pedido.',
  offerHow: 'Informe seu e-mail: o cupom chega por lá.',
  offerGo: 'Quero meu cupom',
  sent: (email: string) => `Enviamos seu cupom para ${email}: confira sua caixa de entrada.`,
  sentHint: 'Pode levar alguns minutos. Se não encontrar, veja também a pasta de spam.',
  program: 'Conhecer o programa',
  dismiss: 'Fechar oferta',
}
