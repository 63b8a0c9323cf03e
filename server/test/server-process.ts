import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'

/**
 * `npm start`'s command line (package.json; the process test checks they match): the script
 * bundles the server with esbuild, then runs it on plain node. The heap flags are there for their
 * effect on V8's heuristics: under the defaults V8 lets garbage pile up to ~110 MB of heap before
 * a full collection and keeps ~48 MB of young generation, while the live heap of a feed import
 * stays ~30 MB (measured with forced GCs). 50 000-item feed import (npm run bench -- feed): peak
 * RSS ~175-200 MB with the defaults, ~150 MB with a 512 MB old space, ~116 MB with 384 MB and 4 MB
 * semi-spaces, ~126-133 MB with 8 MB ones. 8, not 4: the widget's `me` route allocates fast, and
 * with 4 MB semi-spaces its throughput fell by ~25 % (npm run bench -- widget-api: ~5,700-6,100
 * me/s with 4 MB, ~7,000-7,500 with 8 MB, ~8,500 with the defaults; 16 MB put the feed import
 * back at ~154 MB). 384 MB is still over 10x the server's live heap.
 */
export const START_ARGS = ['--max-old-space-size=384', '--max-semi-space-size=8', 'scripts/start.mjs']

export interface ServerProcess {
  child: ChildProcessByStdio<null, Readable, Readable>
  /** Base URL from the `listening` log line. */
  url: string
  /** Every stdout log line so far, and stderr chunks. */
  lines: string[]
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  /** Resolves with the first stdout line matching `re` (already printed or still to come; 10 s at most). */
  waitForLine(re: RegExp): Promise<string>
}

/**
 * Starts the server as `npm start` does, in its own process, and resolves once it listens.
 * Rejects with the output if it exits first. Used by the process test and the feed benchmark.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, START_ARGS, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = []
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let buf = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString()
      let i: number
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        lines.push(line)
        for (const w of waiters.splice(0)) {
          if (w.re.test(line)) w.resolve(line)
          else waiters.push(w)
        }
        if (line.includes('"msg":"listening"')) resolve(JSON.parse(line).url)
      }
    })
    child.stderr.on('data', (d: Buffer) => lines.push(d.toString()))
    void exited.then((code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)))
  })
  const waitForLine = (re: RegExp) => {
    const seen = lines.find((l) => re.test(l))
    if (seen) return Promise.resolve(seen)
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${re}:\n${lines.join('\n')}`)), 10_000)
      waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) })
    })
  }
  return { child, url, lines, exited, waitForLine }
}
