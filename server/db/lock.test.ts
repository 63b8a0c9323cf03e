import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { openDatabase } from './database.ts'
import { DataDirLockedError, LOCK_FILE, dataDirHolder, lockDataDir } from './lock.ts'

/** One process per PGlite data folder (lock.ts says why). */
describe('PGlite data folder lock', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-lock-'))
  let n = 0
  const dir = () => path.join(root, `d${++n}`)
  const lockOf = (d: string) => fs.readFileSync(path.join(d, LOCK_FILE), 'utf8').trim()
  after(() => fs.rmSync(root, { recursive: true, force: true }))

  /** The pid of a process that has already exited. */
  const deadPid = () => {
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
    return Number(child.stdout.trim())
  }

  test('a second open of the same folder fails with a message naming the holder; closing releases it', async () => {
    const d = dir()
    const first = await openDatabase({ dataDir: d })
    try {
      assert.equal(lockOf(d), String(process.pid))
      await assert.rejects(openDatabase({ dataDir: d }), (err: unknown) => {
        assert.ok(err instanceof DataDirLockedError)
        assert.match(err.message, new RegExp(`in use by another Fidelis process \\(pid ${process.pid}\\)`))
        assert.match(err.message, /DATABASE_URL/)
        return true
      })
      // The first one is untouched by the refused attempt.
      assert.equal((await first.pool.query('select 1 as x')).rows[0].x, 1)
    } finally {
      await first.close()
    }
    assert.equal(fs.existsSync(path.join(d, LOCK_FILE)), false, 'a clean close removes the lock')
    const again = await openDatabase({ dataDir: d })
    await again.close()
  })

  test('another process (npm run db:migrate, npm run admin) stops with the message and exit 1', () => {
    const dataDir = dir()
    const release = lockDataDir(path.join(dataDir, 'pglite'))
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }
      delete env.DATABASE_URL
      for (const args of [
        ['server/cli/migrate.ts'],
        ['server/cli/admin.ts', 'create-merchant', '--email', 'a@b.test', '--password', 'senha muito boa'],
      ]) {
        const res = spawnSync(process.execPath, ['--import', 'tsx', ...args], { env, encoding: 'utf8' })
        assert.equal(res.status, 1, res.stderr)
        assert.match(res.stderr, new RegExp(`^fidelis: The database folder .* is in use .*\\(pid ${process.pid}\\)`))
        assert.doesNotMatch(res.stderr, /\n\s+at /, 'a sentence, not a stack trace')
      }
      assert.equal(lockOf(path.join(dataDir, 'pglite')), String(process.pid), 'the refused process left it alone')
    } finally {
      release()
    }
  })

  test('a stale lock (dead pid, our own pid from a previous run, garbage) is taken over', () => {
    for (const stale of [String(deadPid()), String(process.pid), 'not a pid', '']) {
      const d = dir()
      fs.mkdirSync(d, { recursive: true })
      fs.writeFileSync(path.join(d, LOCK_FILE), `${stale}\n`)
      assert.equal(dataDirHolder(d), null, `"${stale}" holds nothing`)
      const release = lockDataDir(d)
      assert.equal(lockOf(d), String(process.pid))
      assert.equal(dataDirHolder(d), process.pid)
      release()
      release() // idempotent
      assert.equal(fs.existsSync(path.join(d, LOCK_FILE)), false)
    }
  })

  test('a live holder in another process is respected; a killed one leaves a lock the next start takes over', async () => {
    const d = dir()
    const script = `import { lockDataDir } from './server/db/lock.ts'; lockDataDir(${JSON.stringify(d)}); console.log('locked'); setInterval(() => {}, 1000)`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    assert.equal(dataDirHolder(d), child.pid)
    assert.throws(() => lockDataDir(d), new RegExp(`pid ${child.pid}`))
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    assert.equal(lockOf(d), String(child.pid), 'SIGKILL runs no exit handler')
    const release = lockDataDir(d)
    assert.equal(lockOf(d), String(process.pid))
    release()
  })

  test('a process that exits without closing still removes its lock', () => {
    const d = dir()
    const script = `import { lockDataDir } from './server/db/lock.ts'; lockDataDir(${JSON.stringify(d)}); process.exit(3)`
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    })
    assert.equal(res.status, 3, res.stderr)
    assert.equal(fs.existsSync(path.join(d, LOCK_FILE)), false)
  })
})
