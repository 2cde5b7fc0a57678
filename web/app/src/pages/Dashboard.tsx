import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { useI18n } from '../i18n';
import { streamEvents } from '../sse';
import { Page, Status, Unavailable, useApp } from '../ui';
import type { Organisation } from '../types';
import { Statistics } from './Statistics';

interface FeedItem {
  key: string;
  at: string;
  kind: string;
  data: Record<string, unknown>;
}

/** The codes of an alert's thin data worth showing: countries, urgency, state, deadline. Never a name. */
function describe(data: Record<string, unknown>, t: (k: string) => string): string {
  const parts: string[] = [];
  const from = data.senderCountry ?? data.country,
    to = data.receiverCountry;
  if (typeof from === 'string' && typeof to === 'string') parts.push(from + ' → ' + to);
  else if (typeof from === 'string') parts.push(from);
  for (const k of ['urgency', 'status', 'currentStatus', 'missedDeadline'])
    if (typeof data[k] === 'string') parts.push(t(data[k] as string));
  return parts.join(' · ');
}

/**
 * The live feed of the network's alerts (escalations, membership applications, failing endpoints) over
 * Server-Sent Events: ids, countries and codes only, never survivor data.
 */
function LiveFeed({ onAlert }: { onAlert: (kind: string) => void }) {
  const { t, date } = useI18n();
  const { caps, session } = useApp();
  const [items, setItems] = useState<FeedItem[]>([]);
  const [connected, setConnected] = useState(false);
  const stream = [...caps.entries()].find(([op]) => op.startsWith('GET ') && op.endsWith('/stream'));
  const streamUrl = stream ? stream[1] + stream[0].slice(4) : null;
  // the parent's latest handler, without reconnecting the stream when the parent renders again
  const alerted = useEffectEvent((kind: string) => onAlert(kind));
  useEffect(() => {
    if (!streamUrl) return;
    return streamEvents(
      streamUrl,
      () => session.accessToken(),
      (_type, data) => {
        let j: { id?: string; kind?: string; occurredAt?: string; data?: Record<string, unknown> } = {};
        try {
          j = JSON.parse(data);
        } catch {
          return;
        }
        const kind = j.kind ?? 'ALERT';
        setItems((prev) =>
          [
            {
              key: j.id ?? crypto.randomUUID(),
              at: j.occurredAt ?? new Date().toISOString(),
              kind,
              data: j.data ?? {},
            },
            ...prev,
          ].slice(0, 50),
        );
        alerted(kind);
      },
      setConnected,
    );
  }, [streamUrl, session]);
  return (
    <section aria-labelledby="feed-h" className="panel">
      <h2 id="feed-h">{t('dash.feed')}</h2>
      {!streamUrl ? (
        <Unavailable />
      ) : (
        <>
          <p className="hint">{connected ? t('dash.feedConnected') : t('app.loading')}</p>
          <ol className="feed" aria-live="polite" aria-relevant="additions">
            {items.length === 0 && <li className="hint">{t('dash.feedEmpty')}</li>}
            {items.map((i) => (
              <li key={i.key} data-alert-kind={i.kind}>
                <time dateTime={i.at}>{date(i.at)}</time> · <strong>{t('alert.' + i.kind)}</strong>
                {describe(i.data, t) && <> · {describe(i.data, t)}</>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** Membership applications waiting for a coordinator. */
function Approvals({ tick }: { tick: number }) {
  const { t } = useI18n();
  const { apis } = useApp();
  const [pending, setPending] = useState<Organisation[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const load = useCallback(
    () =>
      apis.registry
        .get<Organisation[]>('/api/v1/organisations/pending')
        .then((a) => setPending(a.body))
        .catch(setProblem),
    [apis],
  );
  // again at every alert (tick)
  useEffect(() => {
    load();
  }, [load, tick]);
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
              <button type="button" onClick={() => approve(o)}>
                {t('dash.approve', { name: o.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The coordinator's dashboard; an alert refreshes the approvals and the statistics at once. */
export function Dashboard() {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((x) => x + 1), 30000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Page title={t('dash.title')}>
      <p className="notice">{t('dash.noSurvivorData')}</p>
      <div className="grid">
        <LiveFeed onAlert={() => setTick((x) => x + 1)} />
        <Approvals tick={tick} />
      </div>
      <Statistics tick={tick} />
    </Page>
  );
}
