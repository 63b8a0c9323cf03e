import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { testDatabase } from './test/database.ts'
import { START_ARGS, startServerProcess } from './test/server-process.ts'

/**
 * The real processes, as an operator runs them: `npm run admin`, `npm start` (the bundle on plain
 * node), Ctrl-C, start again.
 * On PostgreSQL they get a fresh database; on PGlite a fresh DATA_DIR.
 */
describe('server process', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-proc-'))
  let env: NodeJS.ProcessEnv
  let dispose = async () => {}

  before(async () => {
    env = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SCRYPT_LOG_N: '10', LOG_LEVEL: 'info' }
    delete env.DATABASE_URL
    if (process.env.DATABASE_URL) {
      const db = await testDatabase()
      // Let the server migrate from scratch: drop everything the template gave us.
      await db.pool.query('drop schema public cascade; create schema public; drop schema if exists pgboss cascade')
      env.DATABASE_URL = db.url
      dispose = () => db.close()
    }
  })
  after(async () => {
    await dispose()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  // Exactly what `npm start` runs: the esbuild bundle on plain node (scripts/start.mjs).
  const start = () => startServerProcess(env)

  test('admin CLI creates a merchant; start serves it; Ctrl-C stops cleanly; a second start reopens the data', async () => {
    const created = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/cli/admin.ts',
        'create-merchant',
        '--email',
        'dona@loja.test',
        '--password',
        'senha muito boa',
        '--token',
        'cli',
      ],
      {
        env,
        encoding: 'utf8',
      },
    )
    assert.equal(created.status, 0, created.stderr)
    const out = JSON.parse(created.stdout.trim().split('\n').pop()!)
    assert.equal(out.merchant.email, 'dona@loja.test')
    assert.match(out.apiToken, /^fid_/)

    const first = await start()
    // The line a newcomer looks for: the panel's address, where the server really listens.
    const ready = await first.waitForLine(/Fidelis ready: panel at/)
    assert.equal(JSON.parse(ready).panel, `${first.url}/panel`)
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    if (!process.env.DATABASE_URL) {
      // A second process on the same embedded database stops with a sentence, before touching it.
      const admin = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'server/cli/admin.ts',
          'create-merchant',
          '--email',
          'x@loja.test',
          '--password',
          'senha boa demais',
        ],
        { env, encoding: 'utf8' },
      )
      assert.equal(admin.status, 1)
      assert.match(admin.stderr, new RegExp(`in use by another Fidelis process \\(pid ${first.child.pid}\\)`))
    }
    const health = await (await fetch(`${first.url}/health`)).json()
    assert.deepEqual(health, { status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' })
    const login = await fetch(`${first.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dona@loja.test', password: 'senha muito boa' }),
    })
    assert.equal(login.status, 200)
    const program = await fetch(`${first.url}/v1/programs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${out.apiToken}` },
      body: JSON.stringify({ name: 'Clube' }),
    })
    assert.equal(program.status, 201)

    first.child.kill('SIGINT')
    assert.equal(await first.exited, 0)
    assert.ok(first.lines.some((l) => l.includes('"msg":"stopped"')))
    assert.equal(fs.existsSync(path.join(dataDir, 'pglite', 'fidelis.lock')), false, 'a clean exit removes the lock')

    const second = await start()
    const list = await (
      await fetch(`${second.url}/v1/programs`, { headers: { authorization: `Bearer ${out.apiToken}` } })
    ).json()
    assert.equal(list.items[0].name, 'Clube')
    second.child.kill('SIGTERM')
    assert.equal(await second.exited, 0)
  })

  test('db:migrate reports each migration and exits 0', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/migrate.ts'], { env, encoding: 'utf8' })
    assert.equal(res.status, 0, res.stderr)
    assert.match(res.stdout, /"msg":"migrations","applied":0/)
  })

  test('these processes start the way `npm start` does', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'))
    assert.equal(pkg.scripts.start, `node ${START_ARGS.join(' ')}`)
  })

  test('a bad setting stops start-up with a readable message', () => {
    const res = spawnSync(process.execPath, START_ARGS, { env: { ...env, PORT: 'eighty' }, encoding: 'utf8' })
    assert.notEqual(res.status, 0)
    assert.match(res.stdout + res.stderr, /PORT must be an integer/)
  })
})
