import { chromium, type Browser, type Page } from 'playwright-core'

/**
 * Debian's Chromium, headless, driven by playwright-core (no browser download). The flags keep
 * Chromium from reaching out to Google services, which this machine's closed network refuses.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * Collects page errors and console errors; every e2e test asserts the list is empty. Chromium
 * logs every 4xx answer as a console error; `expected` lists the ones that are the API's designed
 * answer in a journey (e.g. 409 signup_required on /join), matched by status and URL.
 */
export function watchErrors(page: Page, expected: Array<{ status: number; url: RegExp }> = []): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const status = /status of (\d{3})/.exec(msg.text())?.[1]
    const url = msg.location().url
    if (status && expected.some((e) => e.status === Number(status) && e.url.test(url))) return
    errors.push(`console: ${msg.text()} (${url})`)
  })
  return errors
}
