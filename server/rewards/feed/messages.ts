/**
 * Every text a merchant reads from a feed import (report errors, fatal reasons, download
 * failures), in pt-BR and in one place so wording stays consistent and can be reviewed at once.
 * Values taken from the feed are clipped so one absurd field cannot flood the report.
 */

function clip(value: string, max = 40): string {
  const flat = value.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`
}

// saxes reports in English; the report is read by merchants.
const XML_PROBLEMS: ReadonlyArray<[RegExp, string]> = [
  [/close tag|closing tag/, 'tag de fechamento sem a tag de abertura correspondente.'],
  [/in tag name|in closing tag/, 'caractere inválido em uma tag (um "<" sem escape? Escreva &amp;lt;).'],
  [/entity name|empty entity/, 'caractere & sem escape. Escreva &amp;amp; ou use CDATA.'],
  [/character entity/, 'referência de caractere inválida (&#...;).'],
  [/attribute/, 'atributo malformado (valores de atributo vão entre aspas e não se repetem).'],
  [/only one root|outside of root/, 'há conteúdo depois do fim do documento.'],
  [/"\]\]>"/, 'a sequência "]]>" não pode aparecer no texto.'],
  [/XML declaration|xml declaration/, 'a declaração <?xml ...?> é inválida ou não está no início do arquivo.'],
  [/comment/, 'comentário malformado.'],
  [/processing instruction/, 'instrução de processamento malformada.'],
  [/disallowed character/, 'caractere não permitido em XML.'],
]

function xmlProblem(detail: string): string {
  for (const [pattern, text] of XML_PROBLEMS) if (pattern.test(detail)) return text
  return 'estrutura XML inválida.'
}

export const feedMessages = {
  // ── Item errors: the item is skipped, the import continues ──────────────────────────────
  missingField: (field: string) => `Campo obrigatório ausente: ${field}.`,
  fieldTooLong: (field: string, max: number) => `O campo ${field} passa de ${max.toLocaleString('pt-BR')} caracteres.`,
  idTooLong: (max: number) => `O g:id passa de ${max} caracteres.`,
  duplicateId: (id: string, firstLine: number) =>
    `O g:id "${clip(id)}" se repete (primeira ocorrência na linha ${firstLine}); o item repetido foi ignorado.`,
  priceMalformed: (field: string, value: string) =>
    `${field} em formato inválido: "${clip(value)}". Use o formato "129.90 BRL" (ponto como separador decimal).`,
  priceMissingCurrency: (field: string, value: string) =>
    `${field} sem moeda: "${clip(value)}". Use o formato "129.90 BRL".`,
  currencyNotSupported: (field: string, currency: string) =>
    `${field} em ${clip(currency, 10)}: apenas preços em reais (BRL) são aceitos.`,
  priceNotPositive: (field: string) => `${field} deve ser maior que zero.`,
  priceTooHigh: (field: string) => `${field} acima do limite aceito.`,
  availabilityUnknown: (value: string) =>
    `Disponibilidade desconhecida: "${clip(value)}". Use in_stock, out_of_stock, preorder ou backorder.`,

  // ── Warnings: the item is imported, one field is ignored ────────────────────────────────
  salePriceNotLower: 'O g:sale_price não é menor que o g:price; o preço promocional foi ignorado.',
  salePriceDateMalformed: (value: string) =>
    `g:sale_price_effective_date em formato inválido: "${clip(value)}"; o período foi ignorado.`,
  urlIgnored: (field: string, value: string) => `${field} ignorado: "${clip(value)}" não é um endereço http(s) válido.`,

  // ── Fatal: the import stops and the previous catalogue stays in place ───────────────────
  notXml: 'O arquivo não é um XML válido.',
  htmlPage: 'O endereço retornou uma página HTML, não um feed XML do Google Shopping.',
  /** `detail` is saxes' English message, turned into the merchant's words. */
  malformedXml: (detail: string) => `XML malformado: ${xmlProblem(detail)}`,
  bareAmpersand:
    'XML malformado: caractere & sem escape (comum em links com "?a=1&b=2"). Escreva &amp;amp; ou use CDATA.',
  truncated: 'O XML terminou antes do fim (arquivo incompleto ou download interrompido).',
  emptyDocument: 'O arquivo está vazio.',
  doctype:
    'O feed contém uma declaração DOCTYPE, que não é aceita por segurança. Remova o DOCTYPE e as declarações de ' +
    'entidades.',
  undefinedEntity:
    'O feed usa uma entidade XML não definida (por exemplo &nome;). Use apenas &amp;amp; &amp;lt; &amp;gt; ' +
    '&amp;quot; &amp;apos; ou CDATA.',
  notAFeed: (root: string) =>
    `O XML não é um feed do Google Shopping: o elemento raiz é <${clip(root, 30)}>, esperado <rss> ou <feed> (Atom).`,
  atom03: 'Feeds Atom 0.3 não são aceitos; use Atom 1.0 ou RSS 2.0.',
  namespaceMissing:
    'O feed não declara o namespace do Google (xmlns:g="http://base.google.com/ns/1.0"), então os campos g:id, ' +
    'g:price etc. não podem ser lidos.',
  namespaceWrong: (uri: string) =>
    `O prefixo g: aponta para "${clip(uri, 60)}", mas o namespace do Google é "http://base.google.com/ns/1.0".`,
  tooLarge: (maxBytes: number) => `O feed passa do limite de ${megabytes(maxBytes)}; a importação foi interrompida.`,
  tooManyItems: (maxItems: number) =>
    `O feed passa do limite de ${maxItems.toLocaleString('pt-BR')} produtos; a importação foi interrompida.`,
  tokenTooLarge: (maxChars: number) =>
    `O feed tem um trecho de texto, comentário ou marcação com mais de ${maxChars.toLocaleString('pt-BR')} ` +
    `caracteres sem interrupção.`,
  tooDeep: (maxDepth: number) => `O XML tem mais de ${maxDepth} níveis de elementos aninhados.`,
  encodingUnsupported: (encoding: string) =>
    `Codificação de caracteres não suportada: "${clip(encoding, 30)}". Use UTF-8.`,
  encodingInvalid: (encoding: string) =>
    `O arquivo contém bytes inválidos para a codificação ${encoding}. Salve o feed em UTF-8.`,
  noItems: 'O feed não contém nenhum produto (<item> ou <entry>).',
  allInvalid: 'Nenhum produto do feed é válido; confira os erros abaixo.',
  readError: 'Não foi possível ler o feed até o fim.',

  // ── Download errors (also surfaced as the fatal reason of the import) ───────────────────
  invalidUrl: 'O endereço do feed é inválido.',
  unsupportedScheme: (scheme: string) =>
    `O endereço do feed usa "${clip(scheme, 20)}"; apenas http:// e https:// são aceitos.`,
  redirectUnsupportedScheme: (scheme: string) =>
    `O endereço do feed redireciona para "${clip(scheme, 20)}"; apenas http:// e https:// são aceitos.`,
  privateAddress: (host: string, address: string) =>
    `O endereço do feed (${clip(host, 60)}) aponta para uma rede interna ou reservada (${clip(address, 45)}), ` +
    `que não é aceita por segurança. Use o endereço público do feed na internet.`,
  redirectPrivateAddress: (host: string, address: string) =>
    `O endereço do feed redireciona para ${clip(host, 60)}, que aponta para uma rede interna ou reservada ` +
    `(${clip(address, 45)}) e não é aceito por segurança. Use o endereço público do feed na internet.`,
  hostNotFound: (host: string) => `O servidor do feed (${clip(host, 60)}) não foi encontrado. Confira o endereço.`,
  tooManyRedirects: (max: number) => `O endereço do feed redireciona mais de ${max} vezes.`,
  redirectWithoutLocation: 'O servidor do feed respondeu com um redirecionamento sem destino.',
  httpStatus: (status: number) => `O servidor do feed respondeu com o status HTTP ${status}.`,
  timeout: (ms: number) => `O download do feed passou do tempo limite de ${Math.round(ms / 1000)} s.`,
  connectTimeout: (ms: number) => `O servidor do feed não respondeu em ${Math.round(ms / 1000)} s.`,
  downloadTooLarge: (maxBytes: number) => `O feed passa do limite de ${megabytes(maxBytes)} para download.`,
  network: 'Não foi possível conectar ao servidor do feed.',
  downloadAborted: 'O download do feed foi cancelado.',
} as const

/** Labels of the report summary rendered by formatImportReport. */
export const reportLabels = {
  title: 'Relatório de importação do feed',
  format: 'Formato',
  ok: 'Resultado: importação concluída.',
  failed: 'Resultado: importação cancelada; o catálogo anterior foi mantido.',
  itemsSeen: 'Produtos no feed',
  itemsAccepted: 'Produtos importados',
  skippedOutOfStock: 'Ignorados (fora de estoque)',
  skippedNotAllowed: 'Ignorados (fora da lista permitida)',
  skippedInvalid: 'Ignorados (com erro)',
  errors: 'Erros',
  warnings: 'Avisos',
  line: 'linha',
  more: (n: number) => `… e mais ${n.toLocaleString('pt-BR')}.`,
} as const
