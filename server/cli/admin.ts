import { parseArgs } from 'node:util'
import { setPasswordHashCost } from '../auth/passwords.ts'
import { loadConfig } from '../config/config.ts'
import { DataDirLockedError } from '../db/lock.ts'
import { AppError } from '../lib/errors.ts'
import { createLogger } from '../lib/logger.ts'
import { createApiToken, createMerchant } from '../merchants/service.ts'
import { openAndMigrate } from '../runtime.ts'

const USAGE = `Usage:
  npm run admin -- create-merchant --email <e-mail> --password <password> [--name <name>] [--token <token name>]
      Creates a merchant account; with --token also prints a new API token for it.`

const [command, ...rest] = process.argv.slice(2)
if (command !== 'create-merchant') {
  console.error(USAGE)
  process.exit(2)
}
const { values } = parseArgs({
  args: rest,
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    token: { type: 'string' },
  },
})
if (!values.email || !values.password) {
  console.error(USAGE)
  process.exit(2)
}

const config = loadConfig()
setPasswordHashCost(config.scryptLogN)
// Migration lines go to stderr so stdout stays one JSON result.
const log = createLogger('warn')
const database = await openAndMigrate(config, log).catch((err: unknown) => {
  if (!(err instanceof DataDirLockedError)) throw err
  console.error(`fidelis: ${err.message}`)
  process.exit(1)
})
try {
  const merchant = await createMerchant(database.db, {
    email: values.email,
    password: values.password,
    ...(values.name ? { name: values.name } : {}),
  })
  const token = values.token ? await createApiToken(database.db, merchant.id, values.token) : undefined
  console.log(
    JSON.stringify({
      merchant: { id: merchant.id, email: merchant.email, name: merchant.name },
      ...(token ? { apiToken: token.token } : {}),
    }),
  )
} catch (err) {
  console.error(err instanceof AppError ? `error: ${err.message}` : err)
  process.exitCode = 1
} finally {
  await database.close()
}
