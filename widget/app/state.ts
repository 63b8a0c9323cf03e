import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { signal, type Signal } from '@preact/signals'
import type { AppContext } from '../loader.ts'
import type { Api } from './api.ts'
import type { MemberReward, MemberRewards, RedemptionView, ReferralLanding, WidgetConfig, WidgetMe } from './types.ts'

export type Screen =
  | { name: 'welcome' }
  | { name: 'login' }
  | { name: 'join' }
  /** `join`: came by "Quero participar", so the join form is asked with the code. */
  | { name: 'code'; email: string; join: boolean }
  | { name: 'me' }
  /** "Meus dados": what the program holds, downloads, erasure. */
  | { name: 'data' }
  | { name: 'signup'; email: string }
  | { name: 'confirm'; reward: MemberReward }
  /** Choosing how much of the balance to turn into a coupon (cashback, or points with "any amount"). */
  | { name: 'amount' }
  | { name: 'result'; redemption: RedemptionView }
  /** "Indique e ganhe": the member's referral link. */
  | { name: 'invite' }
  /** A friend who came through a referral link: the offer and the e-mail the coupon goes to. */
  | { name: 'offer'; code: string; offer: ReferralLanding }
export type Tab = 'history' | 'rewards' | 'coupons'

/**
 * Everything one mount of the app knows: made by `mount` and dropped with it, so the loader's
 * destroy then init starts from a closed panel on the welcome screen (module-level state would
 * outlive the mount, since the loader keeps the app bundle once loaded).
 */
export interface Store {
  api: Api
  ctx: AppContext
  config: WidgetConfig
  open: Signal<boolean>
  screen: Signal<Screen>
  /** The logged-in member's page; null before login (or while it reloads after a failure). */
  me: Signal<WidgetMe | null>
  tab: Signal<Tab>
  /** The reward list of the "Prêmios" tab; null = load it. */
  rewards: Signal<MemberRewards | null>
}

export function createStore(api: Api, ctx: AppContext, config: WidgetConfig): Store {
  return {
    api,
    ctx,
    config,
    open: signal(false),
    screen: signal<Screen>({ name: 'welcome' }),
    me: signal<WidgetMe | null>(null),
    tab: signal<Tab>('history'),
    rewards: signal<MemberRewards | null>(null),
  }
}

export const StoreContext = createContext<Store>(null as unknown as Store)

/** The store of the mount this component renders in. */
export const useStore = () => useContext(StoreContext)
