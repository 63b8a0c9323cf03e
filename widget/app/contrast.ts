/** WCAG relative luminance of #rrggbb (null when it is not one). */
function luminance(hex: string): number | null {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim())
  if (!m) return null
  const n = parseInt(m[1]!, 16)
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const s = v / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!
}

export function contrastRatio(a: string, b: string): number {
  const la = luminance(a)
  const lb = luminance(b)
  if (la === null || lb === null) return 1
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
}

/**
 * The merchant's colours if the text reads at AA (4.5:1) on the primary colour; otherwise the
 * primary colour with black or white, whichever reads better; otherwise a safe dark teal.
 */
export function safeColours(primary: string, text: string): { primary: string; text: string } {
  if (contrastRatio(primary, text) >= 4.5) return { primary, text }
  const best = contrastRatio(primary, '#000000') >= contrastRatio(primary, '#ffffff') ? '#000000' : '#ffffff'
  if (contrastRatio(primary, best) >= 4.5) return { primary, text: best }
  return { primary: '#0f5f57', text: '#ffffff' }
}
