import * as v from 'valibot'
import { Uuid } from '../../shared/api/common.ts'
import {
  ApiTokenList,
  ApiTokenView,
  CreateApiTokenBody,
  CreatedApiToken,
  FirstMerchantBody,
  LoginBody,
  LoginResponse,
  MerchantView,
  SetupStatus,
  firstMerchantDescription,
  loginDescription,
  setupStatusDescription,
} from '../../shared/api/merchants.ts'
import type { RouteContext } from '../http/route.ts'
import { clientIp } from '../http/client-ip.ts'
import { route } from '../http/route.ts'
import * as service from './service.ts'

export function registerMerchantRoutes({ app, registry, deps, merchantAuth }: RouteContext) {
  const { db, jwt } = deps

  route(
    app,
    registry,
    {
      method: 'post',
      path: '/v1/auth/login',
      tag: 'Auth',
      summary: 'Log in to the panel',
      description: loginDescription,
      security: [],
      body: LoginBody,
      responses: { 200: { description: 'Session', schema: LoginResponse } },
    },
    // No transaction: the rate-limit counters must persist even when the login fails.
    async (c, { body }) => c.json(await service.login(db, jwt, { ...body, ip: clientIp(c, deps.config.trustProxy) })),
  )

  route(
    app,
    registry,
    {
      method: 'get',
      path: '/v1/setup',
      tag: 'Auth',
      summary: 'Whether the first account can still be created',
      description: setupStatusDescription,
      security: [],
      responses: { 200: { description: 'Setup status', schema: SetupStatus } },
    },
    async (c) => c.json({ firstAccountOpen: await service.firstAccountOpen(db) }),
  )

  route(
    app,
    registry,
    {
      method: 'post',
      path: '/v1/setup/first-merchant',
      tag: 'Auth',
      summary: 'Create the first merchant account (empty server only)',
      description: firstMerchantDescription,
      security: [],
      body: FirstMerchantBody,
      // Refusals (409 setup_closed, 400, 429) are the documented default error body.
      responses: { 201: { description: 'The account, logged in', schema: LoginResponse } },
    },
    // The service opens its own transaction: the rate-limit counters must outlive a refusal.
    async (c, { body }) =>
      c.json(await service.createFirstMerchant(db, jwt, { ...body, ip: clientIp(c, deps.config.trustProxy) }), 201),
  )

  route(
    app,
    registry,
    {
      method: 'get',
      path: '/v1/auth/me',
      tag: 'Auth',
      summary: 'The merchant behind the token',
      security: ['merchantBearer'],
      middleware: [merchantAuth],
      responses: { 200: { description: 'Merchant', schema: MerchantView } },
    },
    async (c) => c.json(await service.getMerchant(db, c.get('merchant').merchantId)),
  )

  route(
    app,
    registry,
    {
      method: 'post',
      path: '/v1/api-tokens',
      tag: 'Auth',
      summary: 'Create a named API token',
      description:
        'The token is in the response once; only its hash is stored. Use it as `Authorization: Bearer fid_…`.',
      security: ['merchantBearer'],
      middleware: [merchantAuth],
      body: CreateApiTokenBody,
      responses: { 201: { description: 'Created', schema: CreatedApiToken } },
    },
    async (c, { body }) => c.json(await service.createApiToken(db, c.get('merchant').merchantId, body.name), 201),
  )

  route(
    app,
    registry,
    {
      method: 'get',
      path: '/v1/api-tokens',
      tag: 'Auth',
      summary: 'List API tokens (never the secrets)',
      security: ['merchantBearer'],
      middleware: [merchantAuth],
      responses: { 200: { description: 'Tokens', schema: ApiTokenList } },
    },
    async (c) => c.json({ items: await service.listApiTokens(db, c.get('merchant').merchantId) }),
  )

  route(
    app,
    registry,
    {
      method: 'delete',
      path: '/v1/api-tokens/:tokenId',
      tag: 'Auth',
      summary: 'Revoke an API token',
      security: ['merchantBearer'],
      middleware: [merchantAuth],
      params: v.object({ tokenId: Uuid }),
      responses: { 200: { description: 'Revoked token', schema: ApiTokenView } },
    },
    async (c, { params }) => c.json(await service.revokeApiToken(db, c.get('merchant').merchantId, params.tokenId)),
  )
}
