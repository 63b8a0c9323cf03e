/**
 * Streaming bytes → text for the parser. saxes only takes strings, so the encoding must be
 * decided before any byte reaches it: from a byte-order mark, else from the XML declaration's
 * `encoding="…"`, else UTF-8 (the XML default).
 *
 * UTF-8 is decoded strictly: an invalid byte ends the import instead of turning product names
 * into "Cal�a". Latin-1 style declarations (still produced by some Brazilian stacks) are
 * honoured because the bytes are then unambiguous.
 */

/** Enough to hold any realistic `<?xml … encoding="…"?>` declaration. */
const SNIFF_BYTES = 512

const SUPPORTED: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8', // ASCII is a subset of UTF-8; strict UTF-8 still rejects 8-bit bytes
  ascii: 'utf-8',
  'iso-8859-1': 'windows-1252', // what browsers and TextDecoder do: a superset for printable bytes
  iso_8859_1: 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'latin-1': 'windows-1252',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-15': 'iso-8859-15',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
}

export class DecodeError extends Error {
  constructor(
    readonly kind: 'unsupported' | 'invalid',
    readonly encoding: string,
    /** Text that decoded fine before the bad byte, to locate it (line) in the document. */
    readonly validPrefix: string,
  ) {
    super(kind === 'unsupported' ? `unsupported encoding ${encoding}` : `invalid ${encoding} data`)
    this.name = 'DecodeError'
  }
}

export class FeedDecoder {
  private decoder: TextDecoder | null = null
  private head: Uint8Array[] = []
  private headBytes = 0
  encoding = 'utf-8'

  /** Returns the text decodable so far; may be empty while the first bytes are sniffed. */
  push(bytes: Uint8Array): string {
    if (this.decoder) return this.decode(bytes, true)
    this.head.push(bytes)
    this.headBytes += bytes.byteLength
    // Decide as soon as the declaration is complete (or absent): waiting for SNIFF_BYTES would
    // stall a slow stream whose first bytes already decide the import (a DOCTYPE, say).
    if (this.headBytes < SNIFF_BYTES && !declarationComplete(concat(this.head, this.headBytes))) return ''
    return this.start(true)
  }

  /** Flushes what is left (a trailing partial character is an error in strict UTF-8). */
  end(): string {
    if (!this.decoder) return this.start(false)
    return this.decode(new Uint8Array(0), false)
  }

  private start(stream: boolean): string {
    const head = concat(this.head, this.headBytes)
    this.head = []
    const label = sniff(head)
    const encoding = SUPPORTED[label.toLowerCase()]
    if (!encoding) throw new DecodeError('unsupported', label, '')
    this.encoding = encoding
    // fatal only matters for UTF-8/16: single-byte decoders accept every byte.
    this.decoder = new TextDecoder(encoding, { fatal: true })
    return this.decode(head, stream)
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    try {
      return (this.decoder as TextDecoder).decode(bytes, { stream })
    } catch {
      const lenient = new TextDecoder(this.encoding).decode(bytes)
      const bad = lenient.indexOf('\uFFFD')
      throw new DecodeError('invalid', this.encoding, bad >= 0 ? lenient.slice(0, bad) : '')
    }
  }
}

function sniff(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  // The declaration is ASCII in every ASCII-compatible encoding, so latin1 reads it safely.
  const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, SNIFF_BYTES)).toString('latin1')
  const decl = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(start)
  return decl?.[2] ?? 'utf-8'
}

const XML_DECL_START = [0x3c, 0x3f, 0x78, 0x6d, 0x6c] // "<?xml"

/** True when the head holds enough to sniff: a BOM, no XML declaration, or a complete one. */
function declarationComplete(head: Uint8Array): boolean {
  if (head.byteLength === 0) return false
  if (head[0] === 0xef || head[0] === 0xff || head[0] === 0xfe) return head.byteLength >= 3
  for (let i = 0; i < XML_DECL_START.length; i++) {
    if (i >= head.byteLength) return false // could still become "<?xml"
    if (head[i] !== XML_DECL_START[i]) return true // no declaration: UTF-8
  }
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).includes('?>')
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}
