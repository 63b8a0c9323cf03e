import { useRef, useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import { Notice, Page } from '../components.tsx'
import { embedSnippet } from '../forms.ts'
import { t } from '../i18n.ts'
import { href } from '../router.ts'

/** The embed snippet with a copy button, and the widget as shoppers see it on a store-like page. */
export function InstallPage({ program }: { program: ProgramView }) {
  const snippet = embedSnippet(location.origin, program.programKey)
  const code = useRef<HTMLTextAreaElement>(null)
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null)
  const [size, setSize] = useState<'desktop' | 'phone'>('desktop')
  const previewUrl = href({ name: 'preview', programKey: program.programKey })

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet)
      setCopied('ok')
    } catch {
      // Clipboard refused (permissions, insecure origin): select the text so Ctrl+C works.
      code.current?.focus()
      code.current?.select()
      setCopied('failed')
    }
  }

  return (
    <Page title={t.install.title} intro={t.install.intro} wide>
      <section class="card" aria-labelledby="snippet-title">
        <h2 id="snippet-title">
          <label for="snippet">{t.install.snippet}</label>
        </h2>
        <textarea
          id="snippet"
          ref={code}
          class="code"
          readOnly
          rows={2}
          spellcheck={false}
          value={snippet}
          onFocus={(e) => (e.currentTarget as HTMLTextAreaElement).select()}
        />
        <button type="button" class="primary" onClick={copy}>
          {t.install.copy}
        </button>
        {copied && (
          <Notice kind={copied === 'ok' ? 'ok' : 'warn'}>
            {copied === 'ok' ? t.install.copied : t.install.copyFailed}
          </Notice>
        )}
      </section>
      <section class="card" aria-labelledby="preview-title">
        <h2 id="preview-title">{t.install.previewTitle}</h2>
        <p class="help">{t.install.previewHelp}</p>
        <div class="segmented" role="group" aria-label={t.install.size}>
          {(['desktop', 'phone'] as const).map((s) => (
            <button key={s} type="button" aria-pressed={size === s} onClick={() => setSize(s)}>
              {s === 'desktop' ? t.install.desktop : t.install.phone}
            </button>
          ))}
        </div>
        <p>
          <a href={previewUrl} target="_blank" rel="noopener">
            {t.install.openNew}
          </a>
        </p>
        <iframe class={`preview ${size}`} src={previewUrl} title={t.install.frameTitle} />
      </section>
    </Page>
  )
}

/**
 * A store-like page with the real widget, loaded exactly as a store loads it (the same snippet,
 * `/widget.js` from this server). Public: it needs only the program key, which is public too.
 */
export function PreviewPage({ programKey }: { programKey: string }) {
  const host = useRef<HTMLDivElement>(null)
  // The loader reads its own <script> tag (document.currentScript), so it is added as a tag.
  const mount = (el: HTMLDivElement | null) => {
    if (!el || el.dataset.mounted) return
    el.dataset.mounted = '1'
    document.title = t.title(t.install.previewTitle)
    const s = document.createElement('script')
    s.async = true
    s.src = '/widget.js'
    s.setAttribute('data-program', programKey)
    el.appendChild(s)
  }
  return (
    <div class="store" ref={(el) => ((host.current = el), mount(el))}>
      <p class="store-banner" role="note">
        {t.preview.banner}
      </p>
      <header class="store-head">
        <strong>{t.preview.store}</strong>
        <span>{t.preview.nav}</span>
      </header>
      <main class="store-grid" id="main">
        {[1, 2, 3, 4, 5, 6].map((n) => (
          <div class="store-item" key={n}>
            <div class="store-img" />
            <p>{t.preview.product(n)}</p>
            <p>{t.money(n * 1000 + 990)}</p>
            <button type="button" class="primary">
              {t.preview.buy}
            </button>
          </div>
        ))}
      </main>
    </div>
  )
}
