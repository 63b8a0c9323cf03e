import { useState } from 'preact/hooks'
import { LAUNCHER_CORNERS, type LauncherCorner, type ProgramView } from '../../shared/api/programs.ts'
import { contrastRatio } from '../../widget/app/contrast.ts'
import { ErrorSummary, Field, Notice, Page, Switch, useForm } from '../components.tsx'
import { endpoints } from '../endpoints.ts'
import { formErrors } from '../errors.ts'
import { decimalToInput, numberOr, parseDecimal, parseInteger } from '../forms.ts'
import { t } from '../i18n.ts'
import { DangerZone } from './danger-zone.tsx'
import { replaceProgram } from '../state.ts'

const FIELDS = [
  'name',
  'pointsName',
  'earnRate',
  'primaryColor',
  'textColor',
  'joiningOpen',
  'launcherCorner',
  'launcherOffsetX',
  'launcherOffsetY',
] as const
const LABELS: Record<string, string> = {
  name: t.program.name,
  pointsName: t.program.pointsName,
  earnRate: t.program.earnRate,
  primaryColor: t.program.primaryColor,
  textColor: t.program.textColor,
  joiningOpen: t.program.joiningOpen,
  launcherCorner: t.program.launcherCorner,
  launcherOffsetX: t.program.launcherOffsetX,
  launcherOffsetY: t.program.launcherOffsetY,
}

/**
 * Mais > Configurações > Programa: name, points, earn rate, colours and the launcher's corner (with
 * a live launcher preview), joining.
 */
export function ProgramPage({ program }: { program: ProgramView }) {
  const form = useForm({
    name: program.name,
    pointsName: program.pointsName,
    earnRate: decimalToInput(program.earnRate),
    primaryColor: program.primaryColor,
    textColor: program.textColor,
    launcherCorner: program.launcherCorner as string,
    launcherOffsetX: String(program.launcherOffsetX),
    launcherOffsetY: String(program.launcherOffsetY),
  })
  const [joiningOpen, setJoiningOpen] = useState(program.joiningOpen)
  const [saved, setSaved] = useState(false)
  const { values, errors, bind } = form
  // Cashback programs earn reais by their cashback rules: no points name nor points per real to set.
  const cashback = program.mode === 'cashback'

  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    setSaved(false)
    form.setBusy(true)
    const body = {
      name: values.name,
      ...(cashback
        ? {}
        : { pointsName: values.pointsName, earnRate: numberOr(values.earnRate, parseDecimal, values.earnRate) }),
      primaryColor: values.primaryColor,
      textColor: values.textColor,
      joiningOpen,
      launcherCorner: values.launcherCorner as LauncherCorner,
      launcherOffsetX: numberOr(values.launcherOffsetX, parseInteger, values.launcherOffsetX),
      launcherOffsetY: numberOr(values.launcherOffsetY, parseInteger, values.launcherOffsetY),
    }
    try {
      replaceProgram(await endpoints.updateProgram(program.id, body))
      setSaved(true)
    } catch (err) {
      form.setErrors(formErrors(err, FIELDS))
    } finally {
      form.setBusy(false)
    }
  }

  const lowContrast = contrastRatio(values.primaryColor, values.textColor) < 4.5
  // The preview shows what the widget would do with the typed offsets (it takes 0–200, else 20).
  const previewOffset = (text: string) => {
    const n = parseInteger(text)
    return n !== null && n >= 0 && n <= 200 ? n : 20
  }
  const offsetX = previewOffset(values.launcherOffsetX)
  const offsetY = previewOffset(values.launcherOffsetY)
  return (
    <Page title={t.program.title} crumbs={[t.nav.more, t.nav.settings]} intro={t.program.intro}>
      <div class="split">
        <form class="card" onSubmit={submit} noValidate aria-label={t.program.title}>
          <ErrorSummary fields={errors.fields} general={errors.general} labels={LABELS} />
          {saved && <Notice kind="ok">{t.common.saved}</Notice>}
          <p class="note" data-program-mode={program.mode}>
            {t.mode.fixed(t.mode.names[program.mode] ?? program.mode)}
          </p>
          <Field id="name" label={t.program.name} help={t.program.nameHelp} error={errors.fields.name}>
            {(p) => <input {...p} {...bind('name')} type="text" maxLength={120} aria-required />}
          </Field>
          {!cashback && (
            <>
              <Field
                id="pointsName"
                label={t.program.pointsName}
                help={t.program.pointsNameHelp}
                error={errors.fields.pointsName}
              >
                {(p) => <input {...p} {...bind('pointsName')} type="text" maxLength={40} aria-required class="short" />}
              </Field>
              <Field
                id="earnRate"
                label={t.program.earnRate}
                help={t.program.earnRateHelp}
                error={errors.fields.earnRate}
              >
                {(p) => (
                  <input {...p} {...bind('earnRate')} type="text" inputMode="decimal" aria-required class="short" />
                )}
              </Field>
            </>
          )}
          <div class="row">
            <Field
              id="primaryColor"
              label={t.program.primaryColor}
              help={t.program.primaryColorHelp}
              error={errors.fields.primaryColor}
            >
              {(p) => <input {...p} {...bind('primaryColor')} type="color" />}
            </Field>
            <Field
              id="textColor"
              label={t.program.textColor}
              help={t.program.textColorHelp}
              error={errors.fields.textColor}
            >
              {(p) => <input {...p} {...bind('textColor')} type="color" />}
            </Field>
          </div>
          <fieldset class={errors.fields.launcherCorner ? 'field invalid' : 'field'}>
            <legend>{t.program.placement}</legend>
            <p class="help" id="placement-help">
              {t.program.placementHelp}
            </p>
            {LAUNCHER_CORNERS.map((k) => (
              <label class="radio" key={k}>
                <input
                  type="radio"
                  name="launcherCorner"
                  id={k === 'bottom-right' ? 'launcherCorner' : undefined}
                  value={k}
                  checked={values.launcherCorner === k}
                  aria-describedby="placement-help"
                  onChange={() => form.setValues((v) => ({ ...v, launcherCorner: k }))}
                />{' '}
                {t.program.corners[k]}
              </label>
            ))}
          </fieldset>
          <div class="row">
            <Field id="launcherOffsetX" label={t.program.launcherOffsetX} error={errors.fields.launcherOffsetX}>
              {(p) => <input {...p} {...bind('launcherOffsetX')} type="text" inputMode="numeric" class="tiny" />}
            </Field>
            <Field id="launcherOffsetY" label={t.program.launcherOffsetY} error={errors.fields.launcherOffsetY}>
              {(p) => <input {...p} {...bind('launcherOffsetY')} type="text" inputMode="numeric" class="tiny" />}
            </Field>
          </div>
          <Switch
            id="joiningOpen"
            label={t.program.joiningOpen}
            help={t.program.joiningOpenHelp}
            checked={joiningOpen}
            onChange={setJoiningOpen}
          />
          <button type="submit" class="primary" disabled={form.busy}>
            {form.busy ? t.common.saving : t.program.save}
          </button>
        </form>
        <section class="card" aria-labelledby="preview-title">
          <h2 id="preview-title">{t.program.preview}</h2>
          <p class="help">{t.program.previewHelp}</p>
          <div class="launcher-stage" aria-hidden="true" style={{ height: `${Math.max(140, offsetY + 80)}px` }}>
            <LauncherPreview
              name={values.name}
              primary={values.primaryColor}
              text={values.textColor}
              corner={values.launcherCorner}
              x={offsetX}
              y={offsetY}
            />
          </div>
          {lowContrast && <Notice kind="warn">{t.program.lowContrast}</Notice>}
        </section>
      </div>
      <DangerZone program={program} />
    </Page>
  )
}

/**
 * The widget loader's launcher, drawn with the same look (widget/loader.ts), from the form's
 * values: corner and offsets in px.
 */
export function LauncherPreview({
  name,
  primary,
  text,
  corner = 'bottom-right',
  x = 20,
  y = 20,
}: {
  name: string
  primary: string
  text: string
  corner?: string
  x?: number
  y?: number
}) {
  const side = corner === 'bottom-left' ? 'left' : 'right'
  return (
    <span
      class="launcher"
      data-launcher-preview
      data-corner={corner}
      style={{
        background: primary,
        color: text,
        [side]: `${x}px`,
        bottom: `${y}px`,
        maxWidth: `calc(100% - ${x + 8}px)`,
      }}
    >
      {name}
    </span>
  )
}
