import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before } from 'node:test'

/**
 * Serves `server` on 127.0.0.1 for the enclosing test file or suite (a stand-in for a feed host
 * or LI): listens before its tests and hands its URL to `onListening`, closes every connection
 * after.
 */
export function listenForTests(server: Server, onListening: (base: string) => void): void {
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onListening(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  })
  after(() => {
    server.closeAllConnections()
    server.close()
  })
}
