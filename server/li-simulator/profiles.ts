// Customer profiles derived on demand from (store seed, customer sequence number).
//
// A 50k-customer store keeps only id, dates, name and e-mail per customer (name and e-mail are
// needed for lists and e-mail search); documents, phones and the address are regenerated when
// a response needs them. Edits made through evolve helpers are stored as overrides.

import { intBetween, mixSeed, mulberry32, pick, type Rng } from './prng.ts'

export interface CustomerAddress {
  id: number
  nome: string
  endereco: string
  numero: string
  complemento: string | null
  referencia: string | null
  bairro: string
  cidade: string
  estado: string
  cep: string
  pais: string
}

export interface CustomerProfile {
  tipo: 'PF' | 'PJ'
  cpf: string | null
  cnpj: string | null
  razao_social: string | null
  ie: string | null
  rg: string | null
  sexo: 'm' | 'f' | ''
  data_nascimento: string | null
  telefone_celular: string | null
  telefone_principal: string | null
  telefone_comercial: string | null
  aceita_newsletter: boolean
  endereco: CustomerAddress
}

const FEMALE = [
  'Maria',
  'Ana',
  'Juliana',
  'Fernanda',
  'Patrícia',
  'Camila',
  'Beatriz',
  'Larissa',
  'Aline',
  'Débora',
  'Letícia',
  'Gabriela',
  'Vitória',
  'Sofia',
  'Helena',
]
const MALE = [
  'João',
  'José',
  'Carlos',
  'Paulo',
  'Lucas',
  'Pedro',
  'Rafael',
  'Marcos',
  'Gustavo',
  'Thiago',
  'André',
  'Felipe',
  'Bruno',
  'Mateus',
  'Caio',
]
const LAST = [
  'Silva',
  'Santos',
  'Oliveira',
  'Souza',
  'Rodrigues',
  'Ferreira',
  'Alves',
  'Pereira',
  'Lima',
  'Gomes',
  'Costa',
  'Ribeiro',
  'Martins',
  'Carvalho',
  'Araújo',
  'Melo',
  'Barbosa',
  'Rocha',
  'Dias',
  'Nascimento',
]
const DOMAINS = ['exemplo.invalid', 'correio.invalid', 'mail.invalid']
const STREETS = [
  'Rua das Flores',
  'Avenida Brasil',
  'Rua XV de Novembro',
  'Rua São João',
  'Avenida Paulista',
  'Rua da Consolação',
  'Rua Sete de Setembro',
  'Avenida Getúlio Vargas',
]
const BAIRROS = ['Centro', 'Jardim América', 'Vila Nova', 'Boa Vista', 'Santa Cecília', 'Moema']
const CITIES: readonly (readonly [string, string, string])[] = [
  ['São Paulo', 'SP', '01'],
  ['Campinas', 'SP', '13'],
  ['Rio de Janeiro', 'RJ', '20'],
  ['Belo Horizonte', 'MG', '30'],
  ['Curitiba', 'PR', '80'],
  ['Porto Alegre', 'RS', '90'],
  ['Salvador', 'BA', '40'],
  ['Recife', 'PE', '50'],
  ['Florianópolis', 'SC', '88'],
  ['Goiânia', 'GO', '74'],
]
const DDD: Record<string, string> = {
  SP: '11',
  RJ: '21',
  MG: '31',
  PR: '41',
  RS: '51',
  BA: '71',
  PE: '81',
  SC: '48',
  GO: '62',
}

export function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
}

function digits(rng: Rng, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += Math.floor(rng() * 10)
  return out
}

/** CPF with valid check digits, so clients that validate documents accept it. */
function cpf(rng: Rng): string {
  const base = digits(rng, 9).split('').map(Number)
  for (const len of [9, 10]) {
    let sum = 0
    for (let i = 0; i < len; i++) sum += (base[i] ?? 0) * (len + 1 - i)
    const r = (sum * 10) % 11
    base.push(r === 10 ? 0 : r)
  }
  return base.join('')
}

function cnpj(rng: Rng): string {
  const base = (digits(rng, 8) + '0001').split('').map(Number)
  for (const weights of [
    [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2],
    [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2],
  ]) {
    let sum = 0
    weights.forEach((w, i) => {
      sum += (base[i] ?? 0) * w
    })
    const r = sum % 11
    base.push(r < 2 ? 0 : 11 - r)
  }
  return base.join('')
}

export interface NameAndEmail {
  nome: string
  email: string
  sexo: 'm' | 'f'
}

/** Name and e-mail for customer `seq`; e-mails are unique per store because they embed seq. */
export function nameFor(storeSeed: number, seq: number): NameAndEmail {
  const rng = mulberry32(mixSeed(storeSeed, seq * 2 + 1))
  const sexo = rng() < 0.55 ? 'f' : 'm'
  const first = pick(rng, sexo === 'f' ? FEMALE : MALE)
  const last = pick(rng, LAST)
  const middle = rng() < 0.4 ? ` ${pick(rng, LAST)}` : ''
  const nome = `${first}${middle} ${last}`
  const email = `${asciiSlug(first)}.${asciiSlug(last)}${seq}@${pick(rng, DOMAINS)}`
  return { nome, email, sexo }
}

export function profileFor(
  storeSeed: number,
  seq: number,
  addressId: number,
  nome: string,
  sexo: 'm' | 'f' | '',
): CustomerProfile {
  const rng = mulberry32(mixSeed(storeSeed, seq * 2 + 2))
  const pj = rng() < 0.05
  const [cidade, estado, cepPrefix] = pick(rng, CITIES)
  const ddd = DDD[estado] ?? '11'
  const birthYear = intBetween(rng, 1955, 2006)
  return {
    tipo: pj ? 'PJ' : 'PF',
    cpf: pj ? null : cpf(rng),
    cnpj: pj ? cnpj(rng) : null,
    razao_social: pj ? `${nome.split(' ')[0] ?? 'Loja'} Comércio Ltda` : null,
    ie: pj ? (rng() < 0.5 ? 'isento' : digits(rng, 9)) : null,
    rg: rng() < 0.3 ? digits(rng, 9) : null,
    sexo: pj ? '' : sexo,
    data_nascimento:
      pj || rng() < 0.25
        ? null
        : `${birthYear}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}-` +
          `${String(intBetween(rng, 1, 28)).padStart(2, '0')}`,
    telefone_celular: `${ddd}9${digits(rng, 8)}`,
    telefone_principal: rng() < 0.3 ? `${ddd}3${digits(rng, 7)}` : null,
    telefone_comercial: null,
    aceita_newsletter: rng() < 0.6,
    endereco: {
      id: addressId,
      nome,
      endereco: pick(rng, STREETS),
      numero: String(intBetween(rng, 1, 3000)),
      complemento: rng() < 0.3 ? `Apto ${intBetween(rng, 11, 204)}` : null,
      referencia: null,
      bairro: pick(rng, BAIRROS),
      cidade,
      estado,
      cep: `${cepPrefix}${digits(rng, 6)}`,
      pais: 'Brasil',
    },
  }
}
