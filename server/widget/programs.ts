import { createHash } from 'node:crypto'
import type { ProgramMode } from '../../shared/api/cashback.ts'
import type { WidgetConfig } from '../../shared/api/widget.ts'
import type { AmountSettings } from '../cashback/rules.ts'
import { amountSettings } from '../cashback/service.ts'
import type { Executor } from '../db/database.ts'
import { findIntegration } from '../integrations/service.ts'
import { signupUrlOf } from '../identity/service.ts'
import type { MePointsRules } from '../points/me.ts'
import { findRules } from '../points/service.ts'
import { findProgramByKey } from '../programs/service.ts'
import { getSettings as referralSettings, referralsLive } from '../referrals/service.ts'
import { hasTiers } from '../tiers/service.ts'
import { listOrigins } from './repository.ts'
import { rewardsSummary } from './rewards.ts'

/** What the widget routes know about a program, read once and kept for `SETTINGS_TTL_MS`. */
export interface WidgetProgram {
  id: string
  key: string
  pointsName: string
  /** `pointsName` already JSON-encoded, spliced into the `me` answer. */
  pointsNameJson: string
  /** Origins allowed to call the widget API: the store's site and the admin's extra ones. */
  origins: ReadonlySet<string>
  config: WidgetConfig
  configJson: string
  /** Strong validator of `configJson`. */
  etag: string
  /** Expiry and pending period: what `me` must compute beyond the balance (server/points/me.ts). */
  pointsRules: MePointsRules
  mode: ProgramMode
  /** Bounds of a redemption of a chosen amount; null when the program has none. */
  amount: AmountSettings | null
  /** The program has VIP tiers: `me` reads the member's standing (server/tiers). */
  hasTiers: boolean
}

/**
 * How long a process keeps a program's widget settings. Every widget request needs them (the
 * program id behind the public key, allowed origins) and they change rarely, so one read per
 * program per 10 s replaces one or two queries per request. A process that changes them (the
 * admin origins route) drops its own copy at once; other processes see the change within 10 s.
 */
export const SETTINGS_TTL_MS = 10_000
/** Programs remembered per process (unknown keys too, so junk keys cannot hammer the database). */
const MAX_PROGRAMS = 10_000

export function originOf(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const origin = new URL(url).origin
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}

export async function loadWidgetProgram(db: Executor, programKey: string): Promise<WidgetProgram | null> {
  const program = await findProgramByKey(db, programKey)
  if (!program) return null
  const [integration, extra, rewards, rules, amount, tiersOn, referrals] = await Promise.all([
    findIntegration(db, program.id),
    listOrigins(db, program.id),
    rewardsSummary(db, program.id),
    findRules(db, program.id),
    amountSettings(db, program),
    hasTiers(db, program.id),
    referralSettings(db, program),
  ])
  const storeOrigin = originOf(integration?.site_url)
  const config: WidgetConfig = {
    programKey: program.program_key,
    name: program.name,
    mode: program.mode,
    amountRedemption: amount !== null,
    pointsName: program.points_name,
    primaryColor: program.primary_color,
    textColor: program.text_color,
    joiningOpen: program.joining_open,
    loginOpen: !!integration?.active,
    signupUrl: signupUrlOf(integration),
    rewards,
    launcherCorner: program.launcher_corner,
    launcherOffsetX: program.launcher_offset_x,
    launcherOffsetY: program.launcher_offset_y,
    referrals: referralsLive(referrals, integration),
  }
  const configJson = JSON.stringify(config)
  return {
    id: program.id,
    key: program.program_key,
    pointsName: program.points_name,
    pointsNameJson: JSON.stringify(program.points_name),
    origins: new Set([...(storeOrigin ? [storeOrigin] : []), ...extra]),
    config,
    configJson,
    etag: `"${createHash('sha256').update(configJson).digest('base64url').slice(0, 27)}"`,
    pointsRules: {
      expiryMonths: rules?.expiry_months ?? null,
      expiryDays: rules?.expiry_days ?? null,
      pendingDays: rules?.pending_days ?? 0,
    },
    mode: program.mode,
    amount,
    hasTiers: tiersOn,
  }
}

interface Entry {
  value: WidgetProgram | null
  expiresAt: number
}

/** Per-process cache of `WidgetProgram` by program key; concurrent misses share one load. */
export class WidgetPrograms {
  private readonly entries = new Map<string, Entry>()
  private readonly loading = new Map<string, Promise<WidgetProgram | null>>()

  constructor(
    private readonly db: Executor,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached program (null = known not to exist), or undefined when it must be loaded. */
  peek(programKey: string): WidgetProgram | null | undefined {
    const hit = this.entries.get(programKey)
    if (hit === undefined || hit.expiresAt <= this.now()) return undefined
    return hit.value
  }

  get(programKey: string): Promise<WidgetProgram | null> {
    const hit = this.peek(programKey)
    if (hit !== undefined) return Promise.resolve(hit)
    let pending = this.loading.get(programKey)
    if (!pending) {
      pending = loadWidgetProgram(this.db, programKey)
        .then((value) => {
          if (this.entries.size >= MAX_PROGRAMS) this.entries.delete(this.entries.keys().next().value!)
          this.entries.delete(programKey)
          this.entries.set(programKey, { value, expiresAt: this.now() + SETTINGS_TTL_MS })
          return value
        })
        .finally(() => this.loading.delete(programKey))
      this.loading.set(programKey, pending)
    }
    return pending
  }

  /** Forgets a program (its settings just changed in this process). */
  invalidate(programId: string): void {
    for (const [key, entry] of this.entries) if (entry.value?.id === programId) this.entries.delete(key)
  }
}
