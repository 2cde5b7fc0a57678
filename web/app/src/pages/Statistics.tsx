import { useEffect, useMemo, useState, type JSX } from 'react';
import { useI18n } from '../i18n';
import { Api } from '../api';
import { Status, Unavailable, useApp } from '../ui';
import { STAGES } from '../types';

/** A count that may be suppressed (below the threshold): never shown as a number then. */
export type Cell = number | null | { count?: number | null; suppressed?: boolean };

export function count(c: Cell): number | null {
  if (c === null || c === undefined) return null;
  if (typeof c === 'number') return c;
  return c.suppressed ? null : (c.count ?? null);
}

export function CellView({ c }: { c: Cell }) {
  const { t } = useI18n();
  const n = count(c);
  return n === null ? (
    <span className="suppressed" title={t('dash.suppressedNote')}>
      {t('dash.suppressed')}
    </span>
  ) : (
    <>{n}</>
  );
}

/** Horizontal bars for a few values, with the numbers written out (the chart is not the only carrier). */
export function Bars({
  rows,
  unit,
  missing,
}: {
  rows: { label: string; value: number | null }[];
  unit: (n: number) => string;
  missing?: string;
}) {
  const { t } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  return (
    <table className="bars">
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>
              {r.value === null ? (
                <span className="suppressed">{missing ?? t('dash.suppressed')}</span>
              ) : (
                <>
                  <progress max={max} value={r.value} aria-hidden="true" /> {unit(r.value)}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export type PeriodKind = 'month' | 'quarter' | 'year';

/** The period parameter for referral-service: 2026-11, 2026-Q4 or 2026 (calendar periods in UTC, docs/privacy.md). */
export function periodParam(kind: PeriodKind, year: number, part: number): string {
  if (kind === 'month') return `${year}-${String(part).padStart(2, '0')}`;
  if (kind === 'quarter') return `${year}-Q${part}`;
  return String(year);
}

/** Month, quarter or year: the only periods the statistics come in. */
function PeriodPicker({
  kind,
  year,
  part,
  onChange,
}: {
  kind: PeriodKind;
  year: number;
  part: number;
  onChange: (kind: PeriodKind, year: number, part: number) => void;
}) {
  const { t } = useI18n();
  const parts = kind === 'month' ? 12 : kind === 'quarter' ? 4 : 0;
  return (
    <fieldset className="period">
      <legend>{t('dash.period')}</legend>
      <label>
        {t('dash.periodKind')}{' '}
        <select
          value={kind}
          onChange={(e) => {
            const k = e.target.value as PeriodKind;
            onChange(k, year, k === 'quarter' ? Math.min(4, Math.ceil(part / 3) || 1) : k === 'month' ? 1 : 1);
          }}
        >
          <option value="month">{t('dash.month')}</option>
          <option value="quarter">{t('dash.quarter')}</option>
          <option value="year">{t('dash.year')}</option>
        </select>
      </label>{' '}
      <label>
        {t('dash.year')}{' '}
        <input
          type="number"
          min={2000}
          max={2999}
          value={year}
          onChange={(e) => {
            const y = Number(e.target.value);
            if (Number.isInteger(y) && y >= 2000 && y <= 2999) onChange(kind, y, part);
          }}
        />
      </label>{' '}
      {parts > 0 && (
        <label>
          {kind === 'month' ? t('dash.month') : t('dash.quarter')}{' '}
          <select value={part} onChange={(e) => onChange(kind, year, Number(e.target.value))}>
            {Array.from({ length: parts }, (_, i) => i + 1).map((p) => (
              <option key={p} value={p}>
                {kind === 'month' ? String(p).padStart(2, '0') : 'Q' + p}
              </option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}

/** The coordinator statistics, where referral-service offers them; suppressed cells are shown as such. */
export function Statistics({ tick }: { tick: number }) {
  const { t } = useI18n();
  const { caps, session } = useApp();
  const today = new Date();
  const [period, setPeriod] = useState<{ kind: PeriodKind; year: number; part: number }>({
    kind: 'month',
    year: today.getUTCFullYear(),
    part: today.getUTCMonth() + 1,
  });
  const query = '?period=' + periodParam(period.kind, period.year, period.part);
  // the endpoints as [operation, base URL], where the services offer them
  const stats = useMemo(
    () => [...caps.entries()].find(([op]) => op.startsWith('GET ') && /\/statistics$|\/stats$/.test(op)),
    [caps],
  );
  const esc = useMemo(
    () => [...caps.entries()].find(([op]) => op.startsWith('GET ') && op.endsWith('/coordination/escalations')),
    [caps],
  );
  const [data, setData] = useState<Record<string, unknown> | null>(null);
  const [escalations, setEscalations] = useState<Escalation[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    const token = () => session.accessToken();
    if (stats)
      new Api(stats[1], token)
        .get<Record<string, unknown>>(stats[0].slice(4) + query)
        .then((a) => {
          setProblem(null);
          setData(a.body);
        })
        .catch(setProblem);
    if (esc)
      new Api(esc[1], token)
        .get<Escalation[]>(esc[0].slice(4) + '?limit=20')
        .then((a) => setEscalations(a.body))
        .catch(setProblem);
  }, [stats, esc, session, tick, query]);
  if (!stats) {
    return (
      <div className="grid">
        {['dash.byState', 'dash.flows', 'dash.times', 'dash.escalations'].map((k) => (
          <section key={k} className="panel" aria-label={t(k)}>
            <h2>{t(k)}</h2>
            <Unavailable />
          </section>
        ))}
      </div>
    );
  }
  return (
    <>
      <Status problem={problem} />
      <PeriodPicker
        kind={period.kind}
        year={period.year}
        part={period.part}
        onChange={(kind, year, part) => setPeriod({ kind, year, part })}
      />
      <p className="hint">
        {t('dash.suppressedNote')} {t('dash.tooFewNote')}
      </p>
      {data &&
        (Array.isArray(data.byStatusAndUrgency) ? (
          <CoordinatorView data={data as unknown as CoordinatorStatistics} />
        ) : (
          <StatisticsView data={data} />
        ))}
      <section className="panel" aria-labelledby="esc-h">
        <h2 id="esc-h">{t('dash.escalations')}</h2>
        {!esc ? (
          <Unavailable />
        ) : escalations && escalations.length === 0 ? (
          <p>{t('app.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ref.col.deadline')}</th>
                <th scope="col">{t('ref.col.urgency')}</th>
                <th scope="col">{t('ref.col.status')}</th>
                <th scope="col">{t('dash.flows')}</th>
              </tr>
            </thead>
            <tbody>
              {(escalations ?? []).map((e) => (
                <tr key={e.referralId + e.missedDeadline}>
                  <td>
                    {t(e.missedDeadline)} · {date(e.dueAt)}
                  </td>
                  <td>{t(e.urgency)}</td>
                  <td>{t(e.currentStatus)}</td>
                  <td>
                    {e.senderCountry} → {e.receiverCountry}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
  function date(iso: string) {
    return new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }
}

interface Escalation {
  referralId: string;
  missedDeadline: string;
  dueAt: string;
  urgency: string;
  currentStatus: string;
  senderCountry: string;
  receiverCountry: string;
}
interface Counted {
  count?: number | null;
  suppressed: boolean;
}
interface CoordinatorStatistics {
  generatedAt: string;
  period?: string;
  suppressionThreshold: number;
  percentileMinimum?: number;
  byStatusAndUrgency: (Counted & { status: string; urgency: string })[];
  byStatusAndAge?: (Counted & { status: string; age: string })[];
  byStatusAndStage?: (Counted & { status: string; stage: string })[];
  flows: (Counted & { senderCountry: string; receiverCountry: string })[];
  pathwaysByLength?: (Counted & { referrals: string })[];
  responseTimes: {
    measure: string;
    urgency?: string | null;
    medianSeconds?: number | null;
    p90Seconds?: number | null;
    tooFew?: boolean;
    suppressed?: boolean;
  }[];
}

/** A matrix of counts: rows × columns, every cell a count or "suppressed"; empty cells are zero. */
function Matrix<T extends Counted>({
  title,
  cells,
  row,
  col,
  rows,
  cols,
}: {
  title: string;
  cells: T[];
  row: (c: T) => string;
  col: (c: T) => string;
  rows: string[];
  cols: string[];
}) {
  const { t } = useI18n();
  const at = (r: string, c: string) => cells.find((x) => row(x) === r && col(x) === c);
  const max = Math.max(1, ...cells.map((x) => x.count ?? 0));
  return (
    <table className="matrix">
      <caption>{title}</caption>
      <thead>
        <tr>
          <td />
          {cols.map((c) => (
            <th key={c} scope="col">
              {t(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r}>
            <th scope="row">{t(r)}</th>
            {cols.map((c) => {
              const x = at(r, c);
              const level = x && !x.suppressed && x.count ? Math.ceil((x.count / max) * 4) : 0;
              return (
                <td key={c} className={'heat-' + level}>
                  {x ? <CellView c={x} /> : '–'}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const uniq = (xs: string[]) => [...new Set(xs)];

/**
 * referral-service's coordinator statistics: state × urgency, country-to-country flows, state × stage, pathways by
 * their number of referrals (counts only, docs/referrals.md), response times.
 */
function CoordinatorView({ data }: { data: CoordinatorStatistics }) {
  const { t } = useI18n();
  const su = data.byStatusAndUrgency;
  const stages = data.byStatusAndStage ?? [];
  const pathways = data.pathwaysByLength ?? [];
  const times = data.responseTimes
    .map((r) => [
      {
        label: t(r.measure) + (r.urgency ? ' · ' + t(r.urgency) : '') + ' · ' + t('dash.median'),
        value: r.tooFew || r.suppressed ? null : (r.medianSeconds ?? null),
      },
      {
        label: t(r.measure) + (r.urgency ? ' · ' + t(r.urgency) : '') + ' · ' + t('dash.p90'),
        value: r.tooFew || r.suppressed ? null : (r.p90Seconds ?? null),
      },
    ])
    .flat()
    .map((x) => ({ ...x, value: x.value === null ? null : x.value / 3600 }));
  return (
    <div className="grid">
      <section className="panel" aria-label={t('dash.byState')}>
        <h2>{t('dash.byState')}</h2>
        <Matrix
          title={t('dash.byStateCaption')}
          cells={su}
          row={(c) => c.status}
          col={(c) => c.urgency}
          rows={uniq(su.map((c) => c.status))}
          cols={['EMERGENCY', 'URGENT', 'ROUTINE']}
        />
      </section>
      <section className="panel" aria-label={t('dash.flows')}>
        <h2>{t('dash.flows')}</h2>
        <Matrix
          title={t('dash.flowsCaption')}
          cells={data.flows}
          row={(c) => c.senderCountry}
          col={(c) => c.receiverCountry}
          rows={uniq(data.flows.map((c) => c.senderCountry)).sort()}
          cols={uniq(data.flows.map((c) => c.receiverCountry)).sort()}
        />
      </section>
      <section className="panel" aria-label={t('dash.byStage')}>
        <h2>{t('dash.byStage')}</h2>
        <Matrix
          title={t('dash.byStageCaption')}
          cells={stages}
          row={(c) => c.status}
          col={(c) => c.stage}
          rows={uniq(stages.map((c) => c.status))}
          cols={[...STAGES]}
        />
      </section>
      <section className="panel" aria-label={t('dash.pathways')}>
        <h2>{t('dash.pathways')}</h2>
        <Matrix
          title={t('dash.pathwaysCaption')}
          cells={pathways}
          row={() => 'dash.pathwayCount'}
          col={(c) => c.referrals}
          rows={['dash.pathwayCount']}
          cols={['ONE', 'TWO', 'THREE', 'FOUR_OR_MORE']}
        />
      </section>
      <section className="panel" aria-label={t('dash.times')}>
        <h2>{t('dash.times')}</h2>
        {times.length === 0 ? (
          <p>{t('app.none')}</p>
        ) : (
          <Bars rows={times} unit={(n) => t('dash.hours', { n: n.toFixed(1) })} missing={t('dash.tooFew')} />
        )}
      </section>
    </div>
  );
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A duration in seconds, minutes or an ISO-8601 duration, in hours. */
function hours(v: unknown, key: string): number | null {
  if (typeof v === 'number')
    return key.toLowerCase().includes('minute') ? v / 60 : key.toLowerCase().includes('hour') ? v : v / 3600;
  if (typeof v === 'string') {
    const m = v.match(/^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/);
    if (m) return Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
  }
  return null;
}

/** Words for a statistics key such as byStateAndUrgency or timeToAcknowledge. */
function words(key: string): string {
  const s = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function Value({ v }: { v: unknown }) {
  const { t } = useI18n();
  if (v === null || v === undefined) return <span className="suppressed">{t('dash.suppressed')}</span>;
  if (isObj(v) && ('suppressed' in v || 'count' in v)) return <CellView c={v as Cell} />;
  if (typeof v === 'string') return <>{t(v)}</>;
  if (typeof v === 'boolean') return <>{v ? '✓' : '–'}</>;
  if (typeof v === 'number') return <>{v}</>;
  return <>{Array.isArray(v) ? v.map(String).join(', ') : ''}</>;
}

/** A list of rows (state × urgency counts, country flows, escalations) as a table. */
function RowsTable({ title, rows }: { title: string; rows: Record<string, unknown>[] }) {
  const { t } = useI18n();
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'suppressed');
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p>{t('app.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {cols.map((c) => (
                <th key={c} scope="col">
                  {words(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {cols.map((c) => (
                  <td key={c}>
                    {r.suppressed === true && /count|total|referrals/i.test(c) ? (
                      <span className="suppressed">{t('dash.suppressed')}</span>
                    ) : (
                      <Value v={r[c]} />
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The coordinator statistics, whatever their exact shape: lists of rows become tables (suppressed cells
 * say so), median/p90 pairs become bar charts in hours, single counts become figures.
 */
export function StatisticsView({ data }: { data: Record<string, unknown> }) {
  const { t } = useI18n();
  const tiles: [string, unknown][] = [];
  const parts: JSX.Element[] = [];
  const times: { label: string; value: number | null }[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (Array.isArray(v) && v.every(isObj))
      parts.push(<RowsTable key={k} title={words(k)} rows={v as Record<string, unknown>[]} />);
    else if (isObj(v) && ('median' in v || 'p90' in v || 'p50' in v)) {
      times.push({ label: words(k) + ' · ' + t('dash.median'), value: hours(v.median ?? v.p50, k) });
      times.push({ label: words(k) + ' · ' + t('dash.p90'), value: hours(v.p90, k) });
    } else if (isObj(v)) {
      const entries = Object.entries(v);
      if (entries.every(([, x]) => isObj(x) && ('median' in x || 'p90' in x))) {
        for (const [kk, x] of entries as [string, Record<string, unknown>][]) {
          times.push({
            label: words(k) + ' · ' + words(kk) + ' · ' + t('dash.median'),
            value: hours(x.median ?? x.p50, kk),
          });
          times.push({ label: words(k) + ' · ' + words(kk) + ' · ' + t('dash.p90'), value: hours(x.p90, kk) });
        }
      } else
        parts.push(
          <RowsTable
            key={k}
            title={words(k)}
            rows={entries.map(([kk, x]) => ({ [k]: kk, ...(isObj(x) ? x : { value: x }) }))}
          />,
        );
    } else tiles.push([k, v]);
  }
  return (
    <>
      {tiles.length > 0 && (
        <dl className="tiles">
          {tiles.map(([k, v]) => (
            <div key={k}>
              <dt>{words(k)}</dt>
              <dd>
                <Value v={v} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {times.length > 0 && (
        <section className="panel" aria-label={t('dash.times')}>
          <h2>{t('dash.times')}</h2>
          <Bars rows={times} unit={(n) => t('dash.hours', { n: n.toFixed(1) })} />
        </section>
      )}
      <div className="grid">{parts}</div>
    </>
  );
}
