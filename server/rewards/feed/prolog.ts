/**
 * Watches the document prolog (everything before the root element) for a DOCTYPE, before the
 * text reaches the XML parser.
 *
 * Why not rely on saxes: saxes never expands custom entities and never fetches external ones,
 * but it buffers the whole DOCTYPE (internal subset included) in memory and only reports it when
 * the declaration ends, so a 100 MB DTD would be held in memory. A feed has no use for a DOCTYPE,
 * so we refuse it as soon as `<!DOCTYPE` appears, before any entity declaration is read.
 *
 * Only the prolog is scanned (XML declaration, comments, processing instructions, whitespace),
 * which is a handful of bytes in any real feed; once the root element starts the guard is done.
 * A DOCTYPE after the root is a well-formedness error that saxes reports on its own.
 */

export type PrologProblem =
  | {
      kind: 'doctype'
      line: number
      /** The declared root name, e.g. `html` for a web page served instead of a feed. */
      name: string
    }
  /** Text before the root element: JSON, CSV, an error message… saxes would only say so at its end. */
  | { kind: 'text'; line: number }

// A plain object rather than an enum: enums are not erasable TypeScript.
const State = {
  Top: 0,
  Lt: 1,
  Bang: 2,
  Pi: 3,
  PiQuestion: 4,
  Comment: 5,
  CommentDash1: 6,
  CommentDash2: 7,
  DoctypeSpace: 8,
  DoctypeName: 9,
  Done: 10,
} as const
type State = (typeof State)[keyof typeof State]

/** Long enough for any real root name (with the spaces before it); bounds the lookahead. */
const MAX_NAME = 40

export class PrologGuard {
  private state: State = State.Top
  private bang = ''
  private name = ''
  private lookahead = 0
  private line = 1
  private doctypeLine = 1

  /** True once the root element has started (or the prolog is not XML): nothing left to watch. */
  get done(): boolean {
    return this.state === State.Done
  }

  /**
   * Feeds the next piece of decoded text. Returns a problem as soon as it is recognised; a
   * DOCTYPE whose name is cut at the end of the text is reported on a later call (or by
   * `end()`).
   */
  scan(text: string): PrologProblem | null {
    for (let i = 0; i < text.length && this.state !== State.Done; i++) {
      const c = text[i] as string
      if (c === '\n') this.line++
      switch (this.state) {
        case State.Top:
          if (c === '<') this.state = State.Lt
          else if (!isSpace(c) && c !== '\uFEFF') {
            this.state = State.Done
            return { kind: 'text', line: this.line }
          }
          break
        case State.Lt:
          if (c === '?') this.state = State.Pi
          else if (c === '!') {
            this.state = State.Bang
            this.bang = ''
          } else this.state = State.Done // root element (or garbage saxes will report)
          break
        case State.Bang: {
          // Case-insensitive so the HTML5 `<!doctype html>` is recognised too.
          this.bang += c.toUpperCase()
          if (this.bang === '--') this.state = State.Comment
          else if (this.bang === 'DOCTYPE') {
            this.state = State.DoctypeSpace
            this.doctypeLine = this.line
          } else if (!'DOCTYPE'.startsWith(this.bang) && !'--'.startsWith(this.bang)) this.state = State.Done
          break
        }
        case State.Pi:
          if (c === '?') this.state = State.PiQuestion
          break
        case State.PiQuestion:
          if (c === '>') this.state = State.Top
          else if (c !== '?') this.state = State.Pi
          break
        case State.Comment:
          if (c === '-') this.state = State.CommentDash1
          break
        case State.CommentDash1:
          this.state = c === '-' ? State.CommentDash2 : State.Comment
          break
        case State.CommentDash2:
          if (c === '>') this.state = State.Top
          else if (c !== '-') this.state = State.Comment
          break
        case State.DoctypeSpace:
        case State.DoctypeName:
          // Bounded lookahead: the name only tells a web page from a feed; give up after a few chars.
          if (++this.lookahead > MAX_NAME) return this.found()
          if (isSpace(c) || c === '[' || c === '>') {
            // Spaces between DOCTYPE and the name are skipped; anything else ends the name.
            if (this.state === State.DoctypeName || !isSpace(c)) return this.found()
            break
          }
          this.state = State.DoctypeName
          this.name += c
          break
      }
    }
    return null
  }

  /** End of input: a DOCTYPE cut short is still a DOCTYPE. */
  end(): PrologProblem | null {
    if (this.state === State.DoctypeSpace || this.state === State.DoctypeName) return this.found()
    return null
  }

  private found(): PrologProblem {
    this.state = State.Done
    return { kind: 'doctype', line: this.doctypeLine, name: this.name }
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t'
}
