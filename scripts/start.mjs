import { pathToFileURL } from 'node:url'
import { buildServer } from './build-server.mjs'

/**
 * `npm start`: bundles the server (scripts/build-server.mjs says why) and runs it in this same
 * process on plain node, so Ctrl-C and SIGTERM reach the server itself, not a wrapper shell.
 */
await import(pathToFileURL(await buildServer()).href)
