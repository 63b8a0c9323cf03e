/**
 * Where the launcher goes when the page already has something fixed in its corner (a WhatsApp
 * float, a chat bubble, a cookie bar): pure, so it is tested without a browser. The loader gives
 * it a probe that hit-tests the page (document.elementsFromPoint) for fixed or sticky elements.
 */
export interface Box {
  top: number
  bottom: number
  left: number
  right: number
}

/** Gap kept between the launcher and what it moved past. */
export const GAP = 8

/** A 5 × 3 grid inside the box (2 px in from its edges): enough to find a 40 px float in a 130 × 42 launcher. */
export function probePoints(b: Box): Array<[number, number]> {
  const points: Array<[number, number]> = []
  for (let i = 0; i < 5; i++)
    for (let j = 0; j < 3; j++)
      points.push([b.left + 2 + ((b.right - b.left - 4) * i) / 4, b.top + 2 + ((b.bottom - b.top - 4) * j) / 2])
  return points
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

/**
 * How many px to lift the launcher above the merchant's spot (`base`) so that nothing the probe
 * finds overlaps it: up past the highest obstacle, then probe again there (another float may sit
 * above the first), at most `rounds` times. Obstacles taller than half the viewport are the
 * page's own layout (themes that wrap everything in a fixed box), not floats, and are ignored.
 * Bounded: if the launcher would have to climb above the middle of the viewport, it stays where
 * the merchant put it (0).
 */
export function liftFor(base: Box, viewportHeight: number, probe: (candidate: Box) => Box[], rounds = 4): number {
  let lift = 0
  for (let i = 0; i < rounds; i++) {
    const box = { ...base, top: base.top - lift, bottom: base.bottom - lift }
    const hits = probe(box).filter((o) => o.bottom - o.top <= viewportHeight / 2 && overlaps(o, box))
    if (hits.length === 0) return lift
    lift = Math.max(lift, ...hits.map((o) => base.bottom - o.top + GAP))
    if (base.top - lift < viewportHeight / 2) return 0
  }
  return 0
}

/**
 * Shows a `popover` element in the browser's top layer, above every z-index of the page; false
 * where the Popover API is missing (the element then stays `position: fixed` at the top z-index).
 */
export function showOnTop(el: HTMLElement): boolean {
  if (!('showPopover' in el)) return false
  if (!el.matches(':popover-open')) el.showPopover()
  return true
}
