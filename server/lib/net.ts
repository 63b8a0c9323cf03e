import type { LookupAddress } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'

/**
 * Which IP addresses a feed download may connect to. The merchant types the feed URL and our
 * server fetches it, so without this a URL could read our cloud metadata (169.254.169.254), an
 * admin port on localhost or anything else on the private network (SSRF).
 *
 * An allowlist for IPv6 (global unicast 2000::/3 only) and a blocklist for IPv4, both minus the
 * IANA special-purpose registries' ranges that are not globally reachable. Addresses that carry
 * an IPv4 address inside (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are
 * judged by that IPv4 address.
 */

type Range = readonly [prefix: readonly number[], bits: number]

const V4_NOT_PUBLIC: readonly Range[] = [
  [[0, 0, 0, 0], 8], // "this network", 0.0.0.0 unspecified
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local, cloud metadata (169.254.169.254)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 88, 99, 0], 24], // 6to4 relay anycast (deprecated)
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, 255.255.255.255 broadcast
]

const V6_NOT_PUBLIC: readonly Range[] = [
  [[0x20, 0x01, 0x00, 0x00], 23], // IETF protocol assignments (Teredo, ORCHID, …)
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x3f, 0xff], 20], // documentation
]

const V4_MAPPED: Range = [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96]
const NAT64: Range = [[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96]
const SIX_TO_FOUR: Range = [[0x20, 0x02], 16]
const GLOBAL_UNICAST: Range = [[0x20], 3]

function inRange(bytes: readonly number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false
  }
  return true
}

function v4Bytes(address: string): number[] {
  return address.split('.').map(Number)
}

/** 16 bytes of a valid IPv6 address (`::` expanded, a trailing dotted quad included). */
function v6Bytes(address: string): number[] {
  let text = address
  const tail: number[] = []
  const lastColon = text.lastIndexOf(':')
  if (text.includes('.', lastColon)) {
    tail.push(...v4Bytes(text.slice(lastColon + 1)))
    text = `${text.slice(0, lastColon + 1)}0:0`
  }
  const [head = '', rest] = text.split('::')
  const left = head ? head.split(':') : []
  const right = rest ? rest.split(':') : []
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  const bytes = groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff])
  if (tail.length) bytes.splice(12, 4, ...tail)
  return bytes
}

/**
 * True for an address on the public internet. Anything that does not parse as an IP address is
 * not public. A zone id (`fe80::1%eth0`) is ignored: link-local is refused anyway.
 */
export function isPublicAddress(address: string): boolean {
  const ip = address.replace(/%.*$/, '')
  const family = isIP(ip)
  if (family === 4) {
    const bytes = v4Bytes(ip)
    return !V4_NOT_PUBLIC.some((range) => inRange(bytes, range))
  }
  if (family !== 6) return false
  const bytes = v6Bytes(ip)
  if (inRange(bytes, V4_MAPPED) || inRange(bytes, NAT64)) return isPublicAddress(bytes.slice(12).join('.'))
  if (inRange(bytes, SIX_TO_FOUR)) return isPublicAddress(bytes.slice(2, 6).join('.'))
  // Everything outside 2000::/3 is loopback, unspecified, unique-local (fc00::/7), link-local
  // (fe80::/10), multicast (ff00::/8) or not allocated.
  return inRange(bytes, GLOBAL_UNICAST) && !V6_NOT_PUBLIC.some((range) => inRange(bytes, range))
}

/**
 * The host part of a URL as an IP address, or null for a name. WHATWG URL parsing has already
 * turned decimal/octal/hex IPv4 spellings (http://2130706433/) into dotted quads.
 */
export function ipLiteral(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return isIP(host) ? host : null
}

/**
 * The reason a feed URL can be refused without any network access (at save time): an IP literal
 * that is not public, or a name reserved for this machine (`localhost`, `*.localhost`, RFC 6761).
 * Other names are resolved and checked when the feed is downloaded.
 */
export function obviouslyPrivateHost(url: URL): string | null {
  const ip = ipLiteral(url)
  if (ip !== null) return isPublicAddress(ip) ? null : ip
  const name = url.hostname.toLowerCase().replace(/\.$/, '')
  return name === 'localhost' || name.endsWith('.localhost') ? name : null
}

/** DNS for host names: every address, in the resolver's order (tests pass a fake). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>
export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

export type CheckedAddresses =
  | { ok: true; addresses: LookupAddress[] }
  | { ok: false; reason: 'host_not_found'; detail: string }
  | { ok: false; reason: 'private_address'; address: string }

/**
 * The addresses a request to an untrusted URL may connect to (the feed download, the event
 * webhooks): the IP literal itself, or every address the name resolves to, all of which must be
 * allowed — a name with one public and one private address is refused, since which one a
 * connection uses is not ours to choose. Connect with `pinnedLookup` of these same addresses,
 * so DNS rebinding has no window. A resolver error other than "no such name" is thrown.
 */
export async function checkedAddresses(
  url: URL,
  allow: (address: string) => boolean,
  resolve: Resolve,
): Promise<CheckedAddresses> {
  const literal = ipLiteral(url)
  let addresses: LookupAddress[]
  if (literal !== null) addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }]
  else {
    try {
      addresses = await resolve(url.hostname)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTFOUND' || code === 'ENODATA')
        return { ok: false, reason: 'host_not_found', detail: String(code) }
      throw err
    }
    if (addresses.length === 0) return { ok: false, reason: 'host_not_found', detail: 'no addresses' }
  }
  const refused = addresses.find((a) => !allow(a.address))
  if (refused) return { ok: false, reason: 'private_address', address: refused.address }
  return { ok: true, addresses }
}

/** A `lookup` for http(s).request that answers with the addresses already checked, never DNS. */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted =
      options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses
    if (wanted.length === 0)
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '')
    else if (options.all) callback(null, wanted)
    else callback(null, wanted[0]!.address, wanted[0]!.family)
  }
}
