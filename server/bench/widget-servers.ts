import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

/**
 * The bare servers of the widget-api benchmark, each in its own process (so the load generator
 * never shares an event loop with them); the real server is started as `npm start` starts it:
 * - `node`: a bare node:http hello world;
 * - `hono`: a bare Hono hello-world route on @hono/node-server.
 * Tells the parent its URL over IPC; stops on SIGTERM.
 */
const mode = process.argv[2]
const ready = (url: string) => process.send!({ url })

if (mode === 'node') {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' })
    res.end('Hello World!')
  })
  server.listen(0, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  process.once('SIGTERM', () => process.exit(0))
} else if (mode === 'hono') {
  const app = new Hono()
  app.get('/', (c) => c.text('Hello World!'))
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    ready(`http://127.0.0.1:${info.port}`),
  )
  void server
  process.once('SIGTERM', () => process.exit(0))
} else {
  console.error(`unknown mode ${mode}; use node or hono`)
  process.exit(2)
}
