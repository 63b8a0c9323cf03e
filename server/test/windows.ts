/**
 * Rate limits count in fixed one-minute windows, so a sequence of attempts that straddles a
 * minute boundary sees its counter restart half-way (likelier on a loaded CI machine). Such a run
 * is repeated (at most three times; `body` gets the attempt number to pick fresh keys); a
 * failure within one minute is a real failure and is thrown.
 */
export async function inOneMinute<T>(body: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const minute = Math.floor(Date.now() / 60_000)
    try {
      return await body(attempt)
    } catch (err) {
      if (attempt < 3 && Math.floor(Date.now() / 60_000) !== minute) continue
      throw err
    }
  }
}
