import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { CONFIG_DOCS, loadConfig } from './config.ts'
import { loadSecrets, parseJwtKeys } from './secrets.ts'

test('defaults match the brief', () => {
  const c = loadConfig({})
  assert.equal(c.port, 8787)
  assert.equal(c.host, '127.0.0.1', 'loopback unless HOST says otherwise')
  assert.equal(c.dataDir, path.resolve('.data'))
  assert.equal(c.databaseUrl, undefined)
  assert.equal(c.runJobs, true)
})

test('bad values are refused with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'x' }), /PORT must be an integer/)
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
  assert.throws(() => loadConfig({ RUN_JOBS: 'maybe' }), /RUN_JOBS/)
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
})

test('the README configuration table lists every variable', () => {
  const readme = fs.readFileSync(path.resolve('README.md'), 'utf8')
  for (const v of CONFIG_DOCS) assert.ok(readme.includes(`| \`${v.name}\` |`), `${v.name} missing from README`)
})

test('JWT keys: kid:secret pairs, long secrets, unique kids', () => {
  const keys = parseJwtKeys('new:' + 'a'.repeat(32) + ',old:' + 'b'.repeat(40))
  assert.deepEqual(
    keys.map((k) => k.kid),
    ['new', 'old'],
  )
  assert.throws(() => parseJwtKeys('k:short'), /at least 32/)
  assert.throws(() => parseJwtKeys('k:' + 'a'.repeat(32) + ',k:' + 'b'.repeat(32)), /repeated/)
})

test('development secrets are generated once and reused', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-secrets-'))
  const a = await loadSecrets({ dataDir, jwtKeys: undefined, encryptionKey: undefined })
  const b = await loadSecrets({ dataDir, jwtKeys: undefined, encryptionKey: undefined })
  assert.equal(a.encryptionKey.length, 32)
  assert.deepEqual(a.encryptionKey, b.encryptionKey)
  assert.deepEqual(a.jwtKeys[0]!.secret, b.jwtKeys[0]!.secret)
  fs.rmSync(dataDir, { recursive: true })
})
