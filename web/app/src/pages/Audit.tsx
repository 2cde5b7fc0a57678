import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { Page, Status, useApp } from '../ui';

interface Entry {
  seq: number;
  at: string;
  actorSubject: string;
  action: string;
  resourceType: string;
  resourceId: string;
  outcome: string;
}
interface Verification {
  intact: boolean;
  entries: number;
  firstBrokenSeq: number | null;
}

const SERVICES = ['registry', 'referral', 'notification'] as const;

/** The organisation's audit entries in each service's hash-chained log, and a check of each chain. */
export function Audit() {
  const { t, date } = useI18n();
  const { apis, can } = useApp();
  const [entries, setEntries] = useState<(Entry & { service: string })[]>([]);
  const [checks, setChecks] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    Promise.all(
      SERVICES.map((s) =>
        apis[s]
          .get<Entry[]>('/api/v1/audit?limit=100')
          .then((a) => a.body.map((e) => ({ ...e, service: s })))
          .catch(() => []),
      ),
    )
      .then((all) => setEntries(all.flat().sort((a, b) => b.at.localeCompare(a.at))))
      .catch(setProblem);
  }, [apis]);
  const verify = async () => {
    const out: Record<string, string> = {};
    for (const s of SERVICES) {
      try {
        const v = (await apis[s].get<Verification>('/api/v1/audit/verification')).body;
        out[s] = v.intact
          ? t('audit.chainOk', { n: v.entries })
          : t('audit.chainBroken', { seq: String(v.firstBrokenSeq) });
      } catch (e) {
        setProblem(e);
      }
    }
    setChecks(out);
  };
  return (
    <Page title={t('audit.title')}>
      <Status problem={problem} />
      {can('GET /api/v1/audit/verification') && (
        <button type="button" className="secondary" onClick={verify}>
          {t('audit.verify')}
        </button>
      )}
      {Object.keys(checks).length > 0 && (
        <ul className="plain" role="status">
          {Object.entries(checks).map(([s, m]) => (
            <li key={s}>
              <strong>{s}</strong>: {m}
            </li>
          ))}
        </ul>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.service')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.service + e.seq}>
              <td>{date(e.at)}</td>
              <td>{e.service}</td>
              <td>
                <code>{e.actorSubject}</code>
              </td>
              <td>
                {e.action} · {e.resourceType} <code>{e.resourceId}</code>
              </td>
              <td>{e.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
