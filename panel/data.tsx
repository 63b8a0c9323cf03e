import type { ComponentChildren } from 'preact'
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks'
import { Notice } from './components.tsx'
import { messageFor } from './errors.ts'
import { t } from './i18n.ts'

/*
 * Loading data and showing it: a page's load, a paged list, a table, and their loading and error
 * states. Forms and layout pieces are in components.tsx.
 */
/** Loads data for a page; `reload` re-runs it. Stale answers (after deps changed) are ignored. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | null; error: unknown; loading: boolean; reload: () => void; set: (d: T) => void } {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    )
    return () => {
      live = false
    }
  }, [...deps, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  const set = useCallback((data: T) => setState({ data, error: null, loading: false }), [])
  return { ...state, reload, set }
}

/**
 * A data table that scrolls sideways on small screens. Columns are labels; a label starting with
 * '#' is numeric (right-aligned), the '#' is not shown. `data` names the table for tests.
 * While it is wider than its box (a phone), a line above says the other columns are one swipe
 * away, and the box takes keyboard focus so arrow keys scroll it too.
 */
export function Table({ columns, data, children }: { columns: string[]; data?: string; children: ComponentChildren }) {
  const wrap = useRef<HTMLDivElement>(null)
  const [overflows, setOverflows] = useState(false)
  const hintId = useId()
  useEffect(() => {
    const el = wrap.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1)
    const observer = new ResizeObserver(check)
    observer.observe(el)
    if (el.firstElementChild) observer.observe(el.firstElementChild)
    check()
    return () => observer.disconnect()
  }, [])
  return (
    <>
      {overflows && (
        <p class="table-hint" id={hintId} data-table-hint={data}>
          {t.activity.tableScrolls}
        </p>
      )}
      <div
        ref={wrap}
        class="table-wrap"
        tabIndex={overflows ? 0 : undefined}
        aria-describedby={overflows ? hintId : undefined}
      >
        <table data-table={data}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col" class={c.startsWith('#') ? 'num' : undefined}>
                  {c.replace(/^#/, '')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </>
  )
}

/**
 * A list read page by page ("Carregar mais"): the first page loads with `deps`, each further page
 * from the previous page's `nextCursor` is appended. A failed "Carregar mais" keeps what is shown.
 */
export function usePaged<T>(
  load: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
  deps: unknown[],
) {
  const first = useLoad(() => load(null), deps)
  const [items, setItems] = useState<T[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [more, setMore] = useState(false)
  const [moreError, setMoreError] = useState<unknown>(null)
  useEffect(() => {
    setItems(first.data?.items ?? [])
    setNext(first.data?.nextCursor ?? null)
    setMoreError(null)
  }, [first.data])
  const loadMore = async () => {
    setMore(true)
    setMoreError(null)
    try {
      const page = await load(next)
      setItems((xs) => [...xs, ...page.items])
      setNext(page.nextCursor)
    } catch (err) {
      setMoreError(err)
    } finally {
      setMore(false)
    }
  }
  return { first, items, next, more, moreError, loadMore }
}

/** The "Carregar mais" button of a usePaged list, and the error of its last click. */
export function LoadMore({
  list,
}: {
  list: Pick<ReturnType<typeof usePaged<unknown>>, 'next' | 'more' | 'moreError' | 'loadMore'>
}) {
  return (
    <>
      {list.moreError !== null && <Notice kind="error">{messageFor(list.moreError)}</Notice>}
      {list.next && (
        <button type="button" class="secondary" onClick={list.loadMore} disabled={list.more}>
          {list.more ? t.common.loading : t.common.loadMore}
        </button>
      )}
    </>
  )
}

/** "Carregando…" while a load runs, its error (in pt-BR) if it failed, nothing once it is there. */
export function LoadState({ of }: { of: { loading: boolean; error: unknown; data: unknown } }) {
  if (of.error) return <Notice kind="error">{messageFor(of.error)}</Notice>
  if (of.loading && !of.data) return <Loading />
  return null
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t.common.loading}
    </p>
  )
}
