import http from 'node:http'

/**
 * The redeem benchmark's shoppers, in a process of their own: the load generator's own HTTP and
 * JSON work is not the server's, and on one process it took a third of the CPU the figures were
 * meant to measure. Reads one JSON line on stdin, sends every request at once over 100
 * keep-alive sockets (as a proxy in front of the API would hold), prints one JSON line.
 */
interface Plan {
  url: string
  rewardId: string
  origin: string
  members: { id: number; token: string }[]
}

async function main() {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const plan = JSON.parse(input) as Plan
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 })
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
  agent.destroy()
  process.stdout.write(
    `${JSON.stringify({ statuses, sentAt, startedAt: started, answeredMs: Date.now() - started })}\n`,
  )
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
