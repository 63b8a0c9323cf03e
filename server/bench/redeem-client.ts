import { createInterface } from 'node:readline'
import { RawHttpPool } from './raw-http.ts'

/** Keep-alive connections to the server, as a proxy in front of the API would hold. */
const SOCKETS = 100

/**
 * The redeem benchmark's shoppers, in a process of their own: the load generator's own HTTP and
 * JSON work is not the server's, and on one process it took a third of the CPU the figures were
 * meant to measure. Each round's requests are sent at once over 100 keep-alive connections (as a
 * proxy in front of the API would hold), by a minimal client (raw-http.ts) whose own CPU is a
 * fraction of node:http's.
 */
interface Plan {
  url: string
  rewardId: string
  origin: string
  members: { id: number; token: string }[]
}

/** One round: every request of the plan at once, over the pool's connections. */
async function runPlan(plan: Plan, pool: RawHttpPool) {
  const path = new URL(plan.url).pathname
  const post = (token: string, key: string) => {
    const body = JSON.stringify({ rewardId: plan.rewardId, idempotencyKey: key })
    const head = pool.postHead(
      path,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: plan.origin },
      body,
    )
    return pool.request(head, body)
  }
  const sentAt: Record<number, number> = {}
  const started = Date.now()
  const statuses = await Promise.all(
    plan.members.flatMap((m) => {
      sentAt[m.id] = Date.now()
      return [post(m.token, `bench-${m.id}-a`), post(m.token, `bench-${m.id}-b`), post(m.token, `bench-${m.id}-a`)]
    }),
  )
  return { statuses, sentAt, startedAt: started, answeredMs: Date.now() - started }
}

/**
 * One plan per line on stdin, one answer per line on stdout, until stdin ends: the rounds of a
 * run share this process, so its own code is as warm in the second round as the server's.
 */
async function main() {
  let pool: RawHttpPool | undefined
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (!line.trim()) continue
    const plan = JSON.parse(line) as Plan
    const url = new URL(plan.url)
    pool ??= new RawHttpPool(url.hostname, Number(url.port), SOCKETS)
    process.stdout.write(`${JSON.stringify(await runPlan(plan, pool))}\n`)
  }
  pool?.close()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
