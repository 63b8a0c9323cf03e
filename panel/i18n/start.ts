/** Logging in, the first program, the home checklist, installing the widget and its preview page. */
export const startTexts = {
  login: {
    title: 'Entrar no Fidelis',
    intro: 'Use o e-mail e a senha da sua conta Fidelis.',
    email: 'E-mail',
    password: 'Senha',
    submit: 'Entrar',
    submitting: 'Entrando…',
    wrong: 'E-mail ou senha incorretos.',
  },
  /** A server with no account yet: its login page creates the first one instead. */
  firstAccount: {
    title: 'Criar a primeira conta',
    intro:
      'Este Fidelis ainda não tem nenhuma conta. Crie a primeira: com ela você entra no painel e configura o programa de fidelidade da sua loja.',
    name: 'Seu nome',
    email: 'E-mail',
    password: 'Senha',
    passwordHelp: 'Pelo menos 10 caracteres. Use uma senha que você não usa em outros sites.',
    submit: 'Criar a conta e entrar',
    submitting: 'Criando a conta…',
    fields: {
      name: { validation_failed: 'Informe seu nome, com até 120 caracteres.' },
      email: { validation_failed: 'Informe um e-mail válido, como nome@loja.com.br.' },
      password: { validation_failed: 'Use uma senha com pelo menos 10 caracteres.' },
    },
  },
  firstRun: {
    title: 'Crie seu programa de fidelidade',
    intro:
      'Dê um nome ao programa. Depois você conecta a Loja Integrada, escolhe as regras e cria os ' +
      'prêmios — nada é enviado aos clientes até você ativar a integração.',
    name: 'Nome do programa',
    nameHelp: 'Aparece no botão do programa na sua loja e nos e-mails. Ex.: Clube Bella.',
    submit: 'Criar programa',
  },
  home: {
    title: 'Início',
    // Inclusive ("Bem-vindo" assumes a man), and "o programa X" is right whatever X's gender.
    intro: (program: string) =>
      `Boas-vindas! Siga os passos para colocar no ar o ${/^programa\b/i.test(program) ? '' : 'programa '}${program}.`,
    steps: 'Passos da configuração',
    done: 'Feito',
    pending: 'Pendente',
    check: 'Confira',
    stepKey: 'Conectar a Loja Integrada com a chave de API',
    stepStatuses: (cashback: boolean) =>
      `Escolher as situações de pedido que geram ${cashback ? 'cashback' : 'pontos'}`,
    stepProgram: (cashback: boolean) =>
      cashback ? 'Revisar nome, regras de cashback e cores do programa' : 'Revisar nome, pontos e cores do programa',
    stepRewards: 'Criar pelo menos um prêmio',
    stepInstall: 'Instalar o botão do programa na loja',
    stepActivate: 'Ativar a integração',
    go: 'Abrir',
  },
  install: {
    title: 'Instalação',
    intro:
      'Coloque o botão do programa na sua loja: copie o código abaixo e cole na área de códigos HTML ' +
      'do painel da Loja Integrada, para que ele apareça em todas as páginas (de preferência no ' +
      'rodapé).',
    snippet: 'Código para colar na loja',
    copy: 'Copiar código',
    copied: 'Código copiado!',
    copyFailed: 'Não foi possível copiar automaticamente: o código está selecionado, use Ctrl+C.',
    previewTitle: 'Prévia',
    previewHelp: 'Assim o botão do programa aparece para os seus clientes. Clique nele para ver o painel do programa.',
    desktop: 'Computador',
    phone: 'Celular',
    size: 'Tamanho da prévia',
    openNew: 'Abrir a prévia em outra aba',
    frameTitle: 'Prévia da loja com o botão do programa',
  },
  preview: {
    banner: 'Prévia: esta página imita a sua loja. O botão do programa funciona como na loja de verdade.',
    store: 'Sua loja',
    nav: 'Início · Produtos · Minha conta · Carrinho',
    product: (n: number) => `Produto ${n}`,
    buy: 'Comprar',
  },
}
