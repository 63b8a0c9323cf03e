/** The store the kill test and its child process both build (same seed = same data). */
export const KILL_TEST_STORE = {
  clock: '2025-03-14T13:00:00Z',
  seed: {
    seed: 61,
    customers: 150,
    orders: 600,
    storeId: 'loja-kill',
    apiKey: 'abcdef0123456789abcd',
    personalToken: 'kill-test-token-0000000000000000000000000',
  },
} as const

export interface ChildArgs {
  programId: string
  databaseUrl?: string
  dataDir?: string
}
