import * as v from 'valibot'
import { ProgramMode } from './cashback.ts'
import { DateTime, HexColor, NonEmpty, Uuid } from './common.ts'

export const EarnRate = v.pipe(
  v.number('must be a number'),
  v.minValue(0, 'must be zero or more'),
  v.maxValue(1000, 'must be at most 1000'),
  v.check((n) => Math.round(n * 10_000) === n * 10_000, 'must have at most 4 decimal places'),
)

/** The bottom corner of the store's page where the widget's launcher sits. */
export const LAUNCHER_CORNERS = ['bottom-right', 'bottom-left'] as const
export type LauncherCorner = (typeof LAUNCHER_CORNERS)[number]
export const LauncherCorner = v.picklist(LAUNCHER_CORNERS, 'must be bottom-right or bottom-left')
/** Distance in px of the launcher from its corner's side or bottom edge. */
export const LauncherOffset = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(0, 'must be zero or more'),
  v.maxValue(200, 'must be at most 200'),
)

export const CreateProgramBody = v.object({
  name: NonEmpty(120),
  /** `points` (default) or `cashback` (a balance in reais; the ledger unit is the cent). Fixed for the program's life. */
  mode: v.optional(ProgramMode, 'points'),
  pointsName: v.optional(NonEmpty(40), 'pontos'),
  /** Points per R$ 1,00 of subtotal minus discount; shipping never earns. */
  earnRate: v.optional(EarnRate, 1),
  primaryColor: v.optional(HexColor, '#5b21b6'),
  textColor: v.optional(HexColor, '#ffffff'),
  joiningOpen: v.optional(v.boolean(), true),
})

export const UpdateProgramBody = v.pipe(
  v.partial(
    v.object({
      name: NonEmpty(120),
      /** Accepted only when equal to the program's mode; another mode is 409 `program_mode_locked` (field `mode`). */
      mode: ProgramMode,
      pointsName: NonEmpty(40),
      earnRate: EarnRate,
      primaryColor: HexColor,
      textColor: HexColor,
      joiningOpen: v.boolean(),
      launcherCorner: LauncherCorner,
      launcherOffsetX: LauncherOffset,
      launcherOffsetY: LauncherOffset,
    }),
  ),
  v.check((o) => Object.keys(o).length > 0, 'must change at least one field'),
)

export const ProgramView = v.object({
  id: Uuid,
  /** Public key used in the widget snippet; not a secret. */
  programKey: v.string(),
  name: v.string(),
  /** `points` or `cashback`, chosen at creation. */
  mode: ProgramMode,
  pointsName: v.string(),
  earnRate: v.number(),
  primaryColor: v.string(),
  textColor: v.string(),
  joiningOpen: v.boolean(),
  /** Where the storefront launcher sits: a bottom corner, px from the side (X) and from the bottom (Y). */
  launcherCorner: LauncherCorner,
  launcherOffsetX: v.number(),
  launcherOffsetY: v.number(),
  createdAt: DateTime,
  updatedAt: DateTime,
})

export const ProgramList = v.object({ items: v.array(ProgramView) })
export const ProgramParams = v.object({ programId: Uuid })

/** `mode` may be left out by callers in code (it defaults to points, as the schema does). */
export type CreateProgramBody = Omit<v.InferOutput<typeof CreateProgramBody>, 'mode'> & { mode?: ProgramMode }
export type UpdateProgramBody = v.InferOutput<typeof UpdateProgramBody>
export type ProgramView = v.InferOutput<typeof ProgramView>
