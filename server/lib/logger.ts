import type { LogLevel } from '../config/config.ts'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

/**
 * Structured JSON lines on stdout. Callers pass ids and counts, never secrets: tokens, codes,
 * passwords and API keys are not logged anywhere (checked by tests that read captured logs).
 *
 * Every HTTP request writes one line, so a line must be cheap (the widget `me` route answers in
 * tens of µs of CPU): a child's fields are serialised once, when the child is made, and kept as
 * a JSON fragment; a line is that fragment spliced between the time, level and message and the
 * call's own fields. A key repeated in the call's fields appears twice in the line and the last
 * one wins when parsed, as an object spread would have it.
 */
export function createLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  write: (line: string) => void = bufferedStdout,
): Logger {
  return new JsonLogger(ORDER[level], fragment(base), write)
}

class JsonLogger implements Logger {
  constructor(
    private readonly min: number,
    /** `,"key":value,…` of the fields every line carries, or ''. */
    private readonly base: string,
    private readonly write: (line: string) => void,
  ) {}

  debug(msg: string, fields?: Record<string, unknown>) {
    if (this.min <= ORDER.debug) this.line('debug', msg, fields)
  }
  info(msg: string, fields?: Record<string, unknown>) {
    if (this.min <= ORDER.info) this.line('info', msg, fields)
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    if (this.min <= ORDER.warn) this.line('warn', msg, fields)
  }
  error(msg: string, fields?: Record<string, unknown>) {
    if (this.min <= ORDER.error) this.line('error', msg, fields)
  }
  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.min, this.base + fragment(fields), this.write)
  }

  private line(level: string, msg: string, fields: Record<string, unknown> | undefined) {
    this.write(
      '{"time":"' +
        isoNow() +
        '","level":"' +
        level +
        '","msg":' +
        JSON.stringify(msg) +
        this.base +
        (fields ? fragment(fields) : '') +
        '}',
    )
  }
}

/** `{"a":1,"b":2}` → `,"a":1,"b":2`; `{}` → ''. */
function fragment(fields: Record<string, unknown>): string {
  // A replacer makes JSON.stringify call back into JS for every key; only nested values (where
  // an Error may hide) need it. Access lines and most others are flat.
  let flat = true
  for (const key in fields) {
    const value = fields[key]
    if (typeof value === 'object' && value !== null) {
      flat = false
      break
    }
  }
  const json = flat ? JSON.stringify(fields) : JSON.stringify(fields, errorReplacer)
  return json.length > 2 ? ',' + json.slice(1, -1) : ''
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}

let isoMs = -1
let iso = ''
/** The current time in ISO 8601, formatted once per millisecond (many lines share one). */
function isoNow(): string {
  const ms = Date.now()
  if (ms !== isoMs) {
    isoMs = ms
    iso = new Date(ms).toISOString()
  }
  return iso
}

/**
 * Lines are gathered and written once per event-loop turn (or every 64 KB), not one `write` per
 * line: stdout on a file or pipe is written synchronously, one system call each, and under load
 * the per-line call was the larger part of an access log line's cost (measured with the
 * widget-api bench: ~9 µs per line to a file, ~0.5 µs batched). Lines keep their order; a line is
 * at most one event-loop turn late. Whatever is still gathered when the process exits (also on
 * an uncaught exception) is written synchronously by the `exit` handler; only a SIGKILL can lose
 * the last turn's lines.
 */
let pending = ''
let scheduled = false

function bufferedStdout(line: string) {
  pending += line + '\n'
  if (pending.length >= 64 * 1024) flushStdout()
  else if (!scheduled) {
    scheduled = true
    setImmediate(flushStdout)
  }
}

function flushStdout() {
  scheduled = false
  if (pending === '') return
  const out = pending
  pending = ''
  process.stdout.write(out)
}

process.on('exit', flushStdout)
