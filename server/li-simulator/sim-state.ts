// All simulated stores plus the integrator-level settings (accepted application keys), and
// the credentials that open each store.

import { SimError } from './entities.ts'
import { SimStore, type StoreInit } from './store.ts'
import type { OrderEvent, ProductEvent } from './store.ts'
import type { Clock } from './time.ts'

export type CredentialKind = 'api_key' | 'personal_token'

export interface CreateStoreOptions extends StoreInit {}

/** All simulated stores plus the integrator-level settings (accepted application keys). */
export class SimState {
  readonly stores = new Map<string, SimStore>()
  readonly applicationKeys: Set<string>
  private credentials = new Map<string, { store: SimStore; kind: CredentialKind }>()
  /** Set by the simulator to deliver webhooks; stores call it on every order/product change. */
  onEvent: (event: OrderEvent | ProductEvent) => void = () => {}

  constructor(
    readonly clock: Clock,
    applicationKeys: readonly string[],
  ) {
    this.applicationKeys = new Set(applicationKeys)
  }

  createStore(init: CreateStoreOptions): SimStore {
    if (this.stores.has(init.id)) throw new SimError(`store ${init.id} exists`)
    for (const k of [...(init.apiKeys ?? []), ...(init.personalTokens ?? [])]) {
      if (this.credentials.has(k)) throw new SimError('credential already used by another store')
    }
    const store = new SimStore(init, this.clock, (e) => this.onEvent(e))
    this.stores.set(store.id, store)
    for (const k of store.apiKeys) this.credentials.set(k, { store, kind: 'api_key' })
    for (const t of store.personalTokens) this.credentials.set(t, { store, kind: 'personal_token' })
    return store
  }

  removeStore(id: string): void {
    const store = this.stores.get(id)
    if (!store) return
    for (const [k, v] of this.credentials) if (v.store === store) this.credentials.delete(k)
    this.stores.delete(id)
  }

  /** Add a chave_api or Personal Token to a store at runtime. */
  addCredential(storeRef: string, credential: string, kind: CredentialKind): void {
    const store = this.requireStore(storeRef)
    if (this.credentials.has(credential)) throw new SimError('credential already in use')
    ;(kind === 'api_key' ? store.apiKeys : store.personalTokens).add(credential)
    this.credentials.set(credential, { store, kind })
  }

  /** The store a credential opens, if it is (still) valid and of that kind. */
  resolveCredential(credential: string, kind: CredentialKind): SimStore | undefined {
    const hit = this.credentials.get(credential)
    return hit && hit.kind === kind ? hit.store : undefined
  }

  /** Make a chave_api, Personal Token or application key invalid from now on (→ 401). */
  revokeCredential(credential: string): boolean {
    if (this.applicationKeys.delete(credential)) return true
    const hit = this.credentials.get(credential)
    if (!hit) return false
    this.credentials.delete(credential)
    hit.store.apiKeys.delete(credential)
    hit.store.personalTokens.delete(credential)
    return true
  }

  /** A store by id or by any of its credentials. */
  getStore(ref: string): SimStore | undefined {
    return this.stores.get(ref) ?? this.credentials.get(ref)?.store
  }

  requireStore(ref: string): SimStore {
    const s = this.getStore(ref)
    if (!s) throw new SimError(`unknown store ${ref}`)
    return s
  }
}
