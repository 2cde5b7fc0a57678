import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { Field, Page, Status, Unavailable, csv, fieldError, useApp } from '../ui';

interface Endpoint {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason?: string;
  description?: string;
  alertEmail?: string;
  createdAt: string;
  secret?: string;
  consecutiveFailures?: number;
  version: number;
}

interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode?: number;
  createdAt: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
  deadAt?: string;
}

const BASE = '/api/v1/webhooks/endpoints';
const etag = (v: number) => '"' + v + '"';

/** The delivery log of one endpoint, with replay of failed deliveries, where notification-service offers it. */
function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const { t, date } = useI18n();
  const { apis, can } = useApp();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const path = BASE + '/' + endpoint.id;
  const load = () =>
    apis.notification
      .get<{ items: Delivery[] } | Delivery[]>(path + '/deliveries?limit=50')
      .then((a) => setItems(Array.isArray(a.body) ? a.body : a.body.items))
      .catch(setProblem);
  const available = can('GET ' + BASE + '/{}/deliveries');
  if (!available)
    return (
      <p className="hint">
        {t('hooks.deliveries')}: {t('app.notAvailable')}
      </p>
    );
  const replay = async (d: Delivery) => {
    try {
      await apis.notification.post(path + '/deliveries/' + d.id + '/replay');
      load();
    } catch (e) {
      setProblem(e);
    }
  };
  const replayDead = async () => {
    try {
      await apis.notification.post(path + '/dead-letters/replay');
      load();
    } catch (e) {
      setProblem(e);
    }
  };
  return (
    <details
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open) load();
      }}
    >
      <summary>{t('hooks.deliveries')}</summary>
      <Status problem={problem} />
      {can('POST ' + BASE + '/{}/dead-letters/replay') && (
        <button type="button" className="secondary" onClick={replayDead}>
          {t('hooks.replayDead')}
        </button>
      )}
      {items && items.length === 0 && <p>{t('app.none')}</p>}
      {items && items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('hooks.event')}</th>
              <th scope="col">{t('ref.col.status')}</th>
              <th scope="col">{t('hooks.attempts')}</th>
              <th scope="col">{t('hooks.answer')}</th>
              <th scope="col">{t('ref.col.created')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('hooks.replay')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.eventType}</code>
                </td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td>{d.lastStatusCode ?? '–'}</td>
                <td>{date(d.createdAt)}</td>
                <td>
                  {['DEAD', 'FAILED'].includes(d.status) && can('POST ' + BASE + '/{}/deliveries/{}/replay') ? (
                    <button type="button" className="secondary" onClick={() => replay(d)}>
                      {t('hooks.replay')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

/**
 * Webhook endpoints of the org-admin's organisation: add one (its signing secret is shown once), send a
 * test ping, read the delivery log and replay, rotate the secret, disable and enable.
 */
export function Webhooks() {
  const { t, date } = useI18n();
  const { apis, can } = useApp();
  const [items, setItems] = useState<Endpoint[]>([]);
  const [url, setUrl] = useState('https://');
  const [events, setEvents] = useState('*');
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const load = useCallback(
    () =>
      apis.notification
        .get<Endpoint[]>(BASE)
        .then((a) => setItems(a.body))
        .catch(setProblem),
    [apis],
  );
  useEffect(() => {
    load();
  }, [load]);

  const run = async (f: () => Promise<unknown>, done?: string) => {
    setProblem(null);
    setSuccess(null);
    try {
      await f();
      if (done) setSuccess(done);
      load();
    } catch (err) {
      setProblem(err);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    setSecret(null);
    run(async () => {
      const a = await apis.notification.post<Endpoint>(BASE, {
        url,
        eventTypes: csv(events),
        description: description || null,
      });
      setSecret(a.body.secret ?? null);
    });
  };
  const path = (ep: Endpoint) => BASE + '/' + ep.id;
  const disable = (ep: Endpoint) =>
    run(() =>
      can('POST ' + BASE + '/{}/disable')
        ? apis.notification.post(path(ep) + '/disable', undefined, etag(ep.version))
        : apis.notification.del(path(ep), etag(ep.version)),
    );
  const enable = (ep: Endpoint) => run(() => apis.notification.post(path(ep) + '/enable', undefined, etag(ep.version)));
  const ping = (ep: Endpoint) => run(() => apis.notification.post(path(ep) + '/ping'), t('hooks.pinged'));
  const rotate = (ep: Endpoint) =>
    run(async () => {
      const a = await apis.notification.post<Endpoint>(path(ep) + '/secret-rotation', {}, etag(ep.version));
      setSecret(a.body.secret ?? null);
    });

  return (
    <Page title={t('hooks.title')}>
      <Status problem={problem} success={success} />
      <form noValidate onSubmit={add} className="panel">
        <Field label={t('hooks.url')} error={fieldError(problem, 'url')} required>
          {(p) => <input {...p} type="url" value={url} maxLength={2048} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <Field label={t('hooks.events')} error={fieldError(problem, 'eventTypes')} required>
          {(p) => <input {...p} value={events} onChange={(e) => setEvents(e.target.value)} />}
        </Field>
        <Field label={t('hooks.description')} error={fieldError(problem, 'description')}>
          {(p) => <input {...p} value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <button type="submit">{t('hooks.add')}</button>
      </form>
      {secret && (
        <div className="status status-ok" role="status">
          <p>{t('hooks.secret')}</p>
          <code className="secret">{secret}</code>
        </div>
      )}
      <ul className="cards">
        {items.map((ep) => (
          <li key={ep.id} className="card" data-endpoint={ep.id}>
            <h3>
              <code>{ep.url}</code>{' '}
              <span className={'badge ' + (ep.enabled ? 'status-ACCEPTED' : 'status-CANCELLED')}>
                {ep.enabled ? t('hooks.enabled') : t('hooks.disabled')}
              </span>
            </h3>
            <p>
              {ep.eventTypes.join(', ')} · {date(ep.createdAt)}
              {ep.description ? ' · ' + ep.description : ''}
              {ep.consecutiveFailures ? ' · ' + t('hooks.failures', { n: ep.consecutiveFailures }) : ''}
            </p>
            <div className="actions">
              {can('POST ' + BASE + '/{}/ping') && ep.enabled && (
                <button type="button" className="secondary" onClick={() => ping(ep)}>
                  {t('hooks.ping')}
                </button>
              )}
              {can('POST ' + BASE + '/{}/secret-rotation') && (
                <button type="button" className="secondary" onClick={() => rotate(ep)}>
                  {t('hooks.rotate')}
                </button>
              )}
              {ep.enabled && (
                <button type="button" className="danger" onClick={() => disable(ep)}>
                  {t('hooks.disable')}
                </button>
              )}
              {!ep.enabled && can('POST ' + BASE + '/{}/enable') && (
                <button type="button" onClick={() => enable(ep)}>
                  {t('hooks.enable')}
                </button>
              )}
            </div>
            <Deliveries endpoint={ep} />
          </li>
        ))}
      </ul>
      {!can('POST ' + BASE + '/{}/ping') && (
        <Unavailable what={t('hooks.ping') + ', ' + t('hooks.rotate') + ': ' + t('app.notAvailable')} />
      )}
    </Page>
  );
}
