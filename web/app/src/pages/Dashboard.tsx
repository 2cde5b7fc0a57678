import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { streamEvents } from '../sse';
import { Page, Status, Unavailable, useApp } from '../ui';
import type { Organisation } from '../types';
import { Statistics } from './Statistics';

interface FeedItem {
  key: string;
  at: string;
  type: string;
  status?: string;
  from?: string;
  to?: string;
}

/** The live feed of status changes: ids, countries and states only, never survivor data. */
function LiveFeed() {
  const { t, date } = useI18n();
  const { caps, session } = useApp();
  const [items, setItems] = useState<FeedItem[]>([]);
  const [connected, setConnected] = useState(false);
  const stream = [...caps.entries()].find(([op]) => op.startsWith('GET ') && op.includes('/stream'));
  const streamUrl = stream ? stream[1] + stream[0].slice(4) : null;
  useEffect(() => {
    if (!streamUrl) return;
    return streamEvents(streamUrl, () => session.accessToken(), (type, data) => {
      let j: Record<string, string> = {};
      try { j = JSON.parse(data); } catch { /* not JSON */ }
      setItems((prev) => [{ key: crypto.randomUUID(), at: j.occurredAt ?? j.at ?? new Date().toISOString(), type: j.type ?? type,
        status: j.status ?? j.newStatus, from: j.senderCountry ?? j.fromCountry, to: j.receiverCountry ?? j.toCountry }, ...prev].slice(0, 50));
    }, setConnected);
  }, [streamUrl, session]);
  return (
    <section aria-labelledby="feed-h" className="panel">
      <h2 id="feed-h">{t('dash.feed')}</h2>
      {!streamUrl ? <Unavailable /> : (
        <>
          <p className="hint">{connected ? t('dash.feedConnected') : t('app.loading')}</p>
          <ol className="feed" aria-live="polite" aria-relevant="additions">
            {items.length === 0 && <li className="hint">{t('dash.feedEmpty')}</li>}
            {items.map((i) => (
              <li key={i.key} data-feed-type={i.type}>
                <time dateTime={i.at}>{date(i.at)}</time> · {i.status ? <span className={'badge status-' + i.status}>{t(i.status)}</span> : i.type}
                {i.from && i.to && <> · {i.from} → {i.to}</>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** Membership applications waiting for a coordinator. */
function Approvals() {
  const { t } = useI18n();
  const { apis } = useApp();
  const [pending, setPending] = useState<Organisation[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const load = () => apis.registry.get<Organisation[]>('/api/v1/organisations/pending').then((a) => setPending(a.body)).catch(setProblem);
  useEffect(() => { load(); }, []);
  const approve = async (o: Organisation) => {
    setProblem(null);
    try {
      await apis.registry.post('/api/v1/organisations/' + o.id + '/approval', undefined, '"' + o.version + '"');
      setSuccess(t('dash.approved', { name: o.name }));
      load();
    } catch (e) {
      setProblem(e);
    }
  };
  return (
    <section aria-labelledby="pending-h" className="panel">
      <h2 id="pending-h">{t('dash.pending')}</h2>
      <Status problem={problem} success={success} />
      {pending && pending.length === 0 && <p>{t('dash.pendingEmpty')}</p>}
      {pending && pending.length > 0 && (
        <ul className="plain">
          {pending.map((o) => (
            <li key={o.id}>
              <strong>{o.name}</strong> · {o.country} · {o.services.map((s) => t(s)).join(', ')}{' '}
              <button type="button" onClick={() => approve(o)}>{t('dash.approve', { name: o.name })}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Dashboard() {
  const { t } = useI18n();
  return (
    <Page title={t('dash.title')}>
      <p className="notice">{t('dash.noSurvivorData')}</p>
      <div className="grid">
        <LiveFeed />
        <Approvals />
      </div>
      <Statistics />
    </Page>
  );
}
