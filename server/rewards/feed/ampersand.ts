/**
 * Finds a bare `&` (one that does not start `&name;`, `&#123;` or `&#x1F;`) outside CDATA
 * sections, comments and processing instructions, before the text reaches saxes.
 *
 * Why: an unescaped `&` (typically in a URL: `?cor=azul&tam=m`) is the most common error in
 * hand-made feeds, and saxes handles it badly: it reads everything up to the next `;` as the
 * entity name, in memory, then reports a misleading "unclosed tag" at the end of the file. Found
 * here, the report names the line of the `&` itself.
 *
 * Works on consecutive chunks: a reference or a CDATA/comment boundary cut by a chunk end is
 * kept (a few characters) and completed with the next chunk.
 */

type Mode = 'markup' | 'cdata' | 'comment' | 'pi'

const NEXT = /[&<]/g
// Loose on names on purpose (saxes validates them); only the shape `&…;` matters here.
const REFERENCE = /&(?:#[0-9]+|#x[0-9a-fA-F]+|[^\s&<>;"'=/#0-9.-][^\s&<>;"'=/]{0,63});/y
const PARTIAL_REFERENCE = /^&(?:#[0-9]*|#x[0-9a-fA-F]*|[^\s&<>;"'=/#0-9.-][^\s&<>;"'=/]{0,63})?$/
const OPENERS: ReadonlyArray<[string, Mode]> = [
  ['<![CDATA[', 'cdata'],
  ['<!--', 'comment'],
  ['<?', 'pi'],
]
const CLOSERS: Record<Exclude<Mode, 'markup'>, string> = { cdata: ']]>', comment: '-->', pi: '?>' }

export class AmpersandGuard {
  private mode: Mode = 'markup'
  private carry = ''

  /**
   * Scans the next chunk. Returns the offset of the first bare `&` in `text` (0 when it began
   * in the previous chunk), or -1.
   */
  scan(text: string): number {
    const carried = this.carry.length
    const s = carried === 0 ? text : this.carry + text
    this.carry = ''
    let i = 0
    while (i < s.length) {
      if (this.mode !== 'markup') {
        const closer = CLOSERS[this.mode]
        const end = s.indexOf(closer, i)
        if (end === -1) {
          // Keep enough to recognise a closer cut in two.
          this.carry = s.slice(Math.max(i, s.length - (closer.length - 1)))
          return -1
        }
        i = end + closer.length
        this.mode = 'markup'
        continue
      }
      NEXT.lastIndex = i
      const found = NEXT.exec(s)
      if (!found) return -1
      const j = found.index
      if (s[j] === '&') {
        REFERENCE.lastIndex = j
        if (REFERENCE.test(s)) {
          i = REFERENCE.lastIndex
          continue
        }
        const rest = s.slice(j, j + 80)
        if (j + rest.length === s.length && PARTIAL_REFERENCE.test(rest)) {
          this.carry = rest // may still become a valid reference
          return -1
        }
        return Math.max(0, j - carried)
      }
      // '<': a CDATA section, comment or PI hides its content from the check.
      let opened = false
      for (const [opener, mode] of OPENERS) {
        if (s.startsWith(opener, j)) {
          this.mode = mode
          i = j + opener.length
          opened = true
          break
        }
        if (s.length - j < opener.length && opener.startsWith(s.slice(j))) {
          this.carry = s.slice(j)
          return -1
        }
      }
      if (!opened) i = j + 1
    }
    return -1
  }
}
