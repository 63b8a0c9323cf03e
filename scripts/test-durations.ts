import fs from 'node:fs'
import path from 'node:path'

/**
 * How long each test file took in the last run, kept per dialect in .data/test-durations-*.json
 * (written by test-durations-reporter.mjs) so the next `npm test` starts the slowest files first:
 * with a few files running at a time, a long file started last would otherwise finish alone while
 * the other slots sit idle.
 */
export const DURATIONS_FILE = path.resolve(
  `.data/test-durations-${process.env.DATABASE_URL ? 'postgres' : 'pglite'}.json`,
)

/**
 * A committed copy of a run's durations, read when this checkout has none of its own (a clean
 * clone, CI): without it every file is "never timed" and they start in name order, which left
 * process.test.ts and the PGlite lock tests to the end of the run.
 */
export const BASELINE_FILE = path.resolve(
  `scripts/test-durations.${process.env.DATABASE_URL ? 'postgres' : 'pglite'}.json`,
)

export function readDurations(): Record<string, number> {
  for (const file of [DURATIONS_FILE, BASELINE_FILE]) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>
    } catch {}
  }
  return {}
}

/** Slowest first; files never timed (new ones) go first of all, as they may be slow. */
export function slowestFirst(files: string[], durations = readDurations()): string[] {
  const of = (f: string) => durations[f] ?? Infinity
  return [...files].sort((a, b) => of(b) - of(a) || a.localeCompare(b))
}
