// Customer JSON shapes (reference §5): inline in orders, light list items, full detail.

import { CUSTOMER_GROUP } from './catalog.ts'
import type { SimCustomer } from './entities.ts'
import { uri, type JsonObject } from './render-common.ts'
import type { SimStore } from './store.ts'
import { formatNaive } from './time.ts'

export function customerInline(store: SimStore, c: SimCustomer): JsonObject {
  const p = store.profile(c)
  return {
    id: c.id,
    nome: c.nome,
    email: c.email,
    cpf: p.cpf,
    cnpj: p.cnpj,
    razao_social: p.razao_social,
    data_nascimento: p.data_nascimento,
    sexo: p.sexo,
    telefone_celular: p.telefone_celular,
    telefone_principal: p.telefone_principal,
    resource_uri: uri('cliente', c.id),
  }
}

export function customerLight(store: SimStore, c: SimCustomer): JsonObject {
  return {
    id: c.id,
    nome: c.nome,
    email: c.email,
    tipo: store.profile(c).tipo,
    data_criacao: formatNaive(c.createdUs),
    data_modificacao: formatNaive(c.modifiedUs),
    resource_uri: uri('cliente', c.id),
  }
}

export function customerDetail(store: SimStore, c: SimCustomer): JsonObject {
  const p = store.profile(c)
  const a = p.endereco
  return {
    id: c.id,
    nome: c.nome,
    email: c.email,
    tipo: p.tipo,
    cpf: p.cpf,
    cnpj: p.cnpj,
    razao_social: p.razao_social,
    ie: p.ie,
    rg: p.rg,
    sexo: p.sexo,
    data_nascimento: p.data_nascimento,
    telefone_celular: p.telefone_celular,
    telefone_principal: p.telefone_principal,
    telefone_comercial: p.telefone_comercial,
    aceita_newsletter: p.aceita_newsletter,
    grupo: { ...CUSTOMER_GROUP, resource_uri: uri('grupo', CUSTOMER_GROUP.id) },
    enderecos: [
      {
        id: a.id,
        nome: a.nome,
        endereco: a.endereco,
        numero: a.numero,
        complemento: a.complemento,
        referencia: a.referencia,
        bairro: a.bairro,
        cidade: a.cidade,
        estado: a.estado,
        cep: a.cep,
        pais: a.pais,
        principal: true,
        cliente: uri('cliente', c.id),
        resource_uri: uri('endereco', a.id),
      },
    ],
    data_criacao: formatNaive(c.createdUs),
    data_modificacao: formatNaive(c.modifiedUs),
    resource_uri: uri('cliente', c.id),
  }
}
