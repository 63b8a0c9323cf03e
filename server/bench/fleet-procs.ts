import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import { createInterface } from 'node:readline'
import pg from 'pg'

/** The fleet benchmark's processes: the simulator, and Fidelis' real entry point with env. */

const children = new Set<ChildProcess>()
// Never leave a process running behind us, whatever happens to this one.
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL')
})

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

export async function startFleetSimulator(limits: Record<string, number>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/bench/fleet-sim.ts'], {
    env: { ...process.env, FLEET_SIM_LIMITS: JSON.stringify(limits) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.add(child)
  const first = await new Promise<{ baseUrl: string; appKey: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l)))
  })
  return { ...first, stop: () => child.kill('SIGTERM') }
}

export interface FidelisProcess {
  name: string
  child: ChildProcess
  url: string | undefined
}

/**
 * `server/main.ts` as `npm start` would run it (through tsx), with its own env. With `logFile`,
 * its log goes there and this waits for its "Fidelis ready" line (a jobs-only process has no
 * /health to ask).
 */
export async function startFidelis(
  name: string,
  env: Record<string, string>,
  opts: { logFile?: string } = {},
): Promise<FidelisProcess> {
  const out = opts.logFile ? fs.openSync(opts.logFile, 'w') : 'ignore'
  // BENCH_NODE_ARGS: extra node flags for every Fidelis process, e.g. "--cpu-prof
  // --cpu-prof-dir=/tmp/prof" to see where the time goes (NODE_OPTIONS cannot carry --cpu-prof).
  const extra = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'inherit'],
  })
  if (typeof out === 'number') fs.closeSync(out)
  children.add(child)
  child.once('exit', () => children.delete(child))
  const url = env.RUN_HTTP === 'false' ? undefined : `http://127.0.0.1:${env.PORT}`
  if (opts.logFile) {
    const deadline = Date.now() + 120_000
    while (!fs.readFileSync(opts.logFile, 'utf8').includes('Fidelis ready')) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`)
      if (Date.now() > deadline) throw new Error(`${name} did not start`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  if (url) {
    const deadline = Date.now() + 120_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`)
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      if (Date.now() > deadline) throw new Error(`${name} did not start`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  return { name, child, url }
}

export async function stopFidelis(p: FidelisProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return
  const exited = new Promise((r) => p.child.once('exit', r))
  p.child.kill('SIGTERM')
  await exited
}

/** A fresh database next to DATABASE_URL's (dropped first if a previous run left it). */
export async function freshDatabase(databaseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  try {
    await admin.query(`drop database if exists "${name}" with (force)`)
    await admin.query(`create database "${name}"`)
  } finally {
    await admin.end()
  }
  const u = new URL(databaseUrl)
  u.pathname = `/${name}`
  return u.toString()
}
