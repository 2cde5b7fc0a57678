import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { Status, Unavailable, useApp } from '../ui';

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
  return n === null ? <span className="suppressed" title={t('dash.suppressedNote')}>{t('dash.suppressed')}</span> : <>{n}</>;
}

/** Horizontal bars for a few values, with the numbers written out (the chart is not the only carrier). */
export function Bars({ rows, unit }: { rows: { label: string; value: number | null }[]; unit: (n: number) => string }) {
  const { t } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  return (
    <table className="bars">
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>
              {r.value === null ? <span className="suppressed">{t('dash.suppressed')}</span> : (
                <><progress max={max} value={r.value} aria-hidden="true" /> {unit(r.value)}</>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The coordinator statistics, where referral-service offers them; suppressed cells are shown as such. */
export function Statistics() {
  const { t } = useI18n();
  const { caps } = useApp();
  const stats = [...caps.entries()].find(([op]) => op.startsWith('GET ') && /\/statistics$|\/stats$/.test(op));
  const [data, setData] = useState<Record<string, unknown> | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const { session } = useApp();
  useEffect(() => {
    if (!stats) return;
    fetch(stats[1] + stats[0].slice(4), { headers: { Authorization: 'Bearer ' + session.accessToken() } })
      .then(async (r) => { if (!r.ok) throw new Error('HTTP ' + r.status); setData(await r.json()); })
      .catch(setProblem);
  }, [stats?.[0]]);
  if (!stats) {
    return (
      <div className="grid">
        {['dash.byState', 'dash.flows', 'dash.times', 'dash.escalations'].map((k) => (
          <section key={k} className="panel" aria-label={t(k)}><h2>{t(k)}</h2><Unavailable /></section>
        ))}
      </div>
    );
  }
  return (
    <>
      <Status problem={problem} />
      <p className="hint">{t('dash.suppressedNote')}</p>
      {data && <StatisticsView data={data} />}
    </>
  );
}

/** Filled in when referral-service's statistics land (see docs/web.md). */
function StatisticsView({ data }: { data: Record<string, unknown> }) {
  return <pre>{Object.keys(data).join(', ')}</pre>;
}

