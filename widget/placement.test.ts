import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Box, GAP, liftFor, probePoints } from './placement.ts'

const box = (left: number, top: number, width: number, height: number): Box => ({
  left,
  top,
  right: left + width,
  bottom: top + height,
})
/** A page whose fixed elements are `floats`: what elementsFromPoint would find at the probe points. */
const page = (floats: Box[]) => {
  const probes: Box[] = []
  const probe = (b: Box) => {
    probes.push(b)
    const pts = probePoints(b)
    return floats.filter((f) => pts.some(([x, y]) => x >= f.left && x <= f.right && y >= f.top && y <= f.bottom))
  }
  return { probe, probes }
}
// A 320 × 568 phone, the launcher 130 × 42 at the bottom right, 20 px from both edges.
const VH = 568
const launcher = box(320 - 20 - 130, VH - 20 - 42, 130, 42)

test('nothing in the corner: the launcher stays where the merchant put it, after one probe', () => {
  const p = page([box(0, 0, 320, 88)]) // a top bar is not in the way
  assert.equal(liftFor(launcher, VH, p.probe), 0)
  assert.equal(p.probes.length, 1)
})

test('a WhatsApp float in the corner: the launcher moves up just past it', () => {
  const wa = box(320 - 16 - 60, VH - 16 - 60, 60, 60)
  const lift = liftFor(launcher, VH, page([wa]).probe)
  assert.equal(launcher.bottom - lift, wa.top - GAP)
})

test('a float smaller than the launcher, under its middle, is still found', () => {
  const dot = box(launcher.left + 50, launcher.top + 10, 30, 30)
  assert.ok(liftFor(launcher, VH, page([dot]).probe) > 0)
})

test('floats stacked up the corner: it climbs past each, probing again each time', () => {
  const cookie = box(0, VH - 70, 320, 70)
  const chat = box(320 - 80, VH - 70 - 70, 60, 60)
  const p = page([cookie, chat])
  const lift = liftFor(launcher, VH, p.probe)
  assert.equal(launcher.bottom - lift, chat.top - GAP)
  assert.equal(p.probes.length, 3)
})

test('bounded: a corner it cannot clear below the middle of the screen, or page-sized fixed boxes, leave it in place', () => {
  assert.equal(liftFor(launcher, VH, page([box(0, 200, 320, 280)]).probe), 0, 'too high to climb past')
  assert.equal(liftFor(launcher, VH, page([box(0, 0, 320, VH)]).probe), 0, 'a fixed wrapper of the whole page')
  const tower = Array.from({ length: 10 }, (_, i) => box(200, VH - 60 - i * 20, 120, 40))
  assert.equal(liftFor(launcher, VH, page(tower).probe, 4), 0, 'gives up after its rounds')
})
