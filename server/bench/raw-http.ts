import net from 'node:net'

/**
 * A minimal HTTP/1.1 keep-alive client for load generators: each connection sends one request at
 * a time, written as one buffer, and reads the answer's status and Content-Length (or chunked)
 * body, which it discards. node:http's ClientRequest and Agent cost ~70 µs of CPU per request
 * (the redeem bench's 3,000 requests took ~0.2 s of CPU a round from the two cores the server
 * shares); this costs a fraction of that, like wrk or autocannon would. Bench code only.
 */
export class RawHttpPool {
  private readonly idle: RawConnection[] = []
  private readonly waiting: Array<(c: RawConnection) => void> = []
  private readonly all: RawConnection[] = []

  constructor(
    private readonly host: string,
    private readonly port: number,
    size: number,
  ) {
    for (let i = 0; i < size; i++) {
      const c = new RawConnection(host, port)
      this.all.push(c)
      this.idle.push(c)
    }
  }

  /** Sends a request (head and body, as written on the wire); answers the status code. */
  async request(head: string, body: string): Promise<number> {
    const c = this.idle.pop() ?? (await new Promise<RawConnection>((r) => this.waiting.push(r)))
    try {
      return await c.send(Buffer.from(head + body))
    } finally {
      const next = this.waiting.shift()
      if (next) next(c)
      else this.idle.push(c)
    }
  }

  /** The request head for a POST of `body` with these headers. */
  postHead(path: string, headers: Record<string, string>, body: string): string {
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nConnection: keep-alive\r\n`
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`
    return `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`
  }

  close(): void {
    for (const c of this.all) c.close()
  }
}

class RawConnection {
  private socket: net.Socket | undefined
  private buf: Buffer = Buffer.alloc(0)
  private pending: { resolve: (status: number) => void; reject: (err: Error) => void } | undefined

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private connect(): net.Socket {
    const s = net.connect({ host: this.host, port: this.port, noDelay: true })
    s.on('data', (chunk) => this.onData(chunk))
    const fail = (err: Error) => {
      this.socket = undefined
      this.buf = Buffer.alloc(0)
      const p = this.pending
      this.pending = undefined
      p?.reject(err)
    }
    s.on('error', fail)
    s.on('close', () => fail(new Error('connection closed')))
    return s
  }

  send(bytes: Buffer): Promise<number> {
    this.socket ??= this.connect()
    return new Promise<number>((resolve, reject) => {
      this.pending = { resolve, reject }
      this.socket!.write(bytes)
    })
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    const end = this.buf.indexOf('\r\n\r\n')
    if (end < 0 || !this.pending) return
    const head = this.buf.toString('latin1', 0, end)
    const status = Number(head.slice(9, 12))
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)
    let total: number
    if (length) total = end + 4 + Number(length[1])
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const last = this.buf.indexOf('\r\n0\r\n\r\n', end)
      if (last < 0) return
      total = last + 7
    } else total = end + 4
    if (this.buf.length < total) return
    this.buf = this.buf.subarray(total)
    const p = this.pending
    this.pending = undefined
    p.resolve(status)
  }

  close(): void {
    this.socket?.destroy()
  }
}
