import { useEffect, useId, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import { t } from './i18n.ts'

/**
 * Weekly charts drawn by uPlot on a canvas (only the dashboard imports this file, so only its
 * chunk carries the library). Each chart is a figure with a caption, an accessible name on the
 * drawing (role=img) and, under it, the same numbers as a table for screen readers and for anyone
 * who wants the exact values. The width follows the box (a ResizeObserver), so it fits 360 px.
 */

export interface Series {
  label: string
  color: string
  values: number[]
}

const compact = new Intl.NumberFormat('pt-BR', { notation: 'compact', maximumFractionDigits: 1 })

export function WeeklyChart({
  title,
  weeks,
  series,
  bars,
  format,
  data,
}: {
  title: string
  /** Labels of the x axis, one per week ('dd/mm'). */
  weeks: string[]
  series: Series[]
  /** Bars instead of lines (counts: a week's bar is its total). */
  bars?: boolean
  /** How a value reads in the table (money, points). */
  format: (n: number) => string
  /** Names the figure for tests. */
  data: string
}) {
  const box = useRef<HTMLDivElement>(null)
  const captionId = useId()
  useEffect(() => {
    const el = box.current
    if (!el) return
    const xs = weeks.map((_, i) => i)
    const width = () => Math.max(200, Math.floor(el.clientWidth))
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, weeks.length - 0.5] } },
        axes: [
          {
            // Whole weeks only, and at most one label per ~60 px so they never overlap.
            splits: (u) => {
              const step = Math.max(1, Math.ceil(weeks.length / Math.max(1, Math.floor(u.width / 60))))
              return xs.filter((i) => i % step === 0)
            },
            values: (_u, splits) => splits.map((i) => weeks[i] ?? ''),
            stroke: '#57606a',
            grid: { show: false },
          },
          {
            values: (_u, splits) => splits.map((v) => compact.format(v)),
            stroke: '#57606a',
            size: 60,
            grid: { stroke: '#eaeef2' },
          },
        ],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            ...(bars
              ? {
                  fill: s.color,
                  paths: uPlot.paths.bars!({
                    size: [0.8 / series.length, 40],
                    align: (series.length === 1 ? 0 : i === 0 ? -1 : 1) as -1 | 0 | 1,
                  }),
                  points: { show: false },
                }
              : { points: { show: weeks.length <= 16 } }),
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)],
      el,
    )
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }))
    observer.observe(el)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [weeks, series, bars])

  return (
    <figure class="chart card" data-chart={data} aria-labelledby={captionId}>
      <figcaption id={captionId}>{title}</figcaption>
      <ul class="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.label}>
            <span class="swatch" style={{ background: s.color }} />
            {s.label}
          </li>
        ))}
      </ul>
      <div class="chart-box" ref={box} role="img" aria-label={t.dashboard.chartSummary(title, weeks.length)} />
      <details class="chart-table">
        <summary>{t.dashboard.showTable}</summary>
        <div class="table-wrap">
          <table data-table={data}>
            <caption class="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.dashboard.week}</th>
                {series.map((s) => (
                  <th scope="col" class="num" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((w, i) => (
                <tr key={w}>
                  <th scope="row">{w}</th>
                  {series.map((s) => (
                    <td class="num" key={s.label}>
                      {format(s.values[i] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
