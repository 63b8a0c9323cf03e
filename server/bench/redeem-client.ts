import http from 'node:http'
import { createInterface } from 'node:readline'

/**
 * The redeem benchmark's shoppers, in a process of their own: the load generator's own HTTP and
 * JSON work is not the server's, and on one process it took a third of the CPU the figures were
 * meant to measure. Each round's requests are sent at once over 100 keep-alive sockets (as a
 * proxy in front of the API would hold).
 */
interface Plan {
  url: string
  rewardId: string
  origin: string
  members: { id: number; token: string }[]
}

/** One round: every request of the plan at once, over the agent's sockets. */
async function runPlan(plan: Plan, agent: http.Agent) {
  const post = (token: string, key: string) =>
    new Promise<number>((resolve, reject) => {
      const payload = JSON.stringify({ rewardId: plan.rewardId, idempotencyKey: key })
      const r = http.request(
        plan.url,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            origin: plan.origin,
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      r.on('error', reject)
      r.end(payload)
    })
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
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 })
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (!line.trim()) continue
    process.stdout.write(`${JSON.stringify(await runPlan(JSON.parse(line) as Plan, agent))}\n`)
  }
  agent.destroy()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
