import fs from 'node:fs'
import path from 'node:path'

/**
 * One process per PGlite data folder. PGlite is a single PostgreSQL backend inside this process
 * with no shared memory or file locking towards other processes, so a second process (`npm run
 * admin` while `npm start` runs, a second `npm start`) would write the same files behind the
 * first one's back and corrupt the database. A lock file in the folder names the holder's pid:
 * a second opener stops with a message that says who holds it; a lock whose pid is no longer
 * alive (the holder was killed) is taken over; a clean close removes it.
 *
 * Not for DATABASE_URL: a PostgreSQL server is made for many processes.
 */
export const LOCK_FILE = 'fidelis.lock'

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The database folder ${dataDir} is in use by another Fidelis process (pid ${pid}). The embedded ` +
        'database (PGlite) can be opened by one process at a time: stop that process first (Ctrl-C on `npm ' +
        'start`), or point this one at PostgreSQL with DATABASE_URL. To create the first account of a running ' +
        'server, open its panel instead of running `npm run admin`. If no Fidelis is running, delete ' +
        `${path.join(dataDir, LOCK_FILE)}.`,
    )
    this.name = 'DataDirLockedError'
  }
}

/** Lock files this process holds: a lock with our own pid that is not here is a stale one (pid 1 in a container). */
const held = new Set<string>()

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to another user — still a holder.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readPid(file: string): number | null | 'missing' {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw err
  }
}

/** The live process holding `dataDir`, if any (the demo checks before it wipes its folder). */
export function dataDirHolder(dataDir: string): number | null {
  const file = path.join(dataDir, LOCK_FILE)
  const pid = readPid(file)
  if (pid === 'missing' || pid === null) return null
  if (pid === process.pid) return held.has(file) ? pid : null
  return alive(pid) ? pid : null
}

/**
 * Takes the folder's lock or throws `DataDirLockedError`. Returns the release function (idempotent;
 * also run at process exit, so a `process.exit()` after an error leaves no lock behind).
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, LOCK_FILE)
  for (let attempt = 0; ; attempt++) {
    try {
      // `wx`: created only if absent, atomically — of two processes starting at once, one wins.
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw err
    }
    const pid = readPid(file)
    if (pid === 'missing') continue // released meanwhile: try again
    const holder = dataDirHolder(dataDir)
    if (holder !== null) throw new DataDirLockedError(dataDir, holder)
    // Stale (dead pid, our own pid from a previous life, or unreadable). Look again right before
    // removing: if another starter took it over in between, its fresh lock names a live pid and
    // stays. The window left (between this read and the unlink) is a few microseconds.
    const again = readPid(file)
    if (again !== pid) continue
    fs.rmSync(file, { force: true })
  }
  held.add(file)
  const release = () => {
    if (!held.delete(file)) return
    process.off('exit', release)
    // Only our own lock: never remove one another process has since taken over.
    if (readPid(file) === process.pid) fs.rmSync(file, { force: true })
  }
  process.on('exit', release)
  return release
}
