import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

/**
 * The line limit of CONTRIBUTING.md. Biome wraps code at 120 columns (biome.jsonc) but cannot break
 * a string, a template literal or a comment, so those are cut by hand; 120 is the aim, and this
 * test holds every line of every .ts/.tsx file git knows (tracked, or new and not ignored) to 160.
 * Fixture folders are exempt: they hold outside data as it comes.
 */
const MAX = 160

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

test(`no line of a .ts/.tsx file is over ${MAX} characters`, (t) => {
  let listed: string
  try {
    listed = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*.ts', '*.tsx'],
      { cwd: repoRoot, encoding: 'utf8' },
    )
  } catch {
    t.skip('not a git checkout')
    return
  }
  const files = [...new Set(listed.split('\0'))].filter((f) => f && !f.split('/').includes('fixtures'))
  const long: string[] = []
  for (const f of files) {
    const file = path.join(repoRoot, f)
    if (!fs.existsSync(file)) continue // deleted in the working tree, not yet in the index
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const length = [...line].length
        if (length > MAX) long.push(`${f}:${i + 1} (${length})`)
      })
  }
  assert.deepEqual(long, [], `lines over ${MAX} characters; cut strings into 'a' + 'b' pieces, rewrap comments`)
})
