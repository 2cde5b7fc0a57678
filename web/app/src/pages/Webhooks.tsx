import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { Field, Page, Status, Unavailable, csv, fieldError, useApp } from '../ui';

interface Endpoint {
  id: string; url: string; eventTypes: string[]; enabled: boolean; description?: string; createdAt: string; secret?: string; version: number;
}

interface Delivery {
  id: string; eventType?: string; type?: string; status: string; attempts?: number; lastAttemptAt?: string; nextAttemptAt?: string; responseStatus?: number;
}

const BASE = '/api/v1/webhooks/endpoints';

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const { t, date } = useI18n();
  const { apis, can } = useApp();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const listPath = BASE + '/{id}/deliveries';
  const load = () => apis.notification.get<Delivery[] | { items: Delivery[] }>(BASE + '/' + endpoint.id + '/deliveries')
    .then((a) => setItems(Array.isArray(a.body) ? a.body : a.body.items)).catch(setProblem);
  useEffect(() => { if (can('GET ' + listPath)) load(); }, [endpoint.id]);
  if (!can('GET ' + listPath)) return <p className="hint">{t('hooks.deliveries')}: {t('app.notAvailable')}</p>;
  const replay = async (d: Delivery) => {
    try {
      const op = [...['POST ' + BASE + '/{id}/deliveries/{deliveryId}/replay', 'POST /api/v1/webhooks/deliveries/{id}/replay']].find(can);
      if (!op) return;
      await apis.notification.post(op.includes('/endpoints/') ? BASE + '/' + endpoint.id + '/deliveries/' + d.id + '/replay' : '/api/v1/webhooks/deliveries/' + d.id + '/replay');
      load();
    } catch (e) { setProblem(e); }
  };
  return (
    <details>
      <summary>{t('hooks.deliveries')}</summary>
      <Status problem={problem} />
      <table>
        <tbody>
          {(items ?? []).map((d) => (
            <tr key={d.id}><td>{d.eventType ?? d.type}</td><td>{d.status}</td><td>{d.attempts}</td><td>{date(d.lastAttemptAt)}</td>
              <td>{d.status === 'DEAD' || d.status === 'FAILED' ? <button type="button" className="secondary" onClick={() => replay(d)}>{t('hooks.replay')}</button> : null}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Webhook endpoints of the org-admin's organisation: add (secret shown once), ping, delivery log, disable. */
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
  const load = () => apis.notification.get<Endpoint[]>(BASE).then((a) => setItems(a.body)).catch(setProblem);
  useEffect(() => { load(); }, []);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null); setSuccess(null); setSecret(null);
    try {
      const a = await apis.notification.post<Endpoint>(BASE, { url, eventTypes: csv(events), description: description || null });
      setSecret(a.body.secret ?? null);
      load();
    } catch (err) { setProblem(err); }
  };
  const disable = async (ep: Endpoint) => {
    try { await apis.notification.del(BASE + '/' + ep.id, '"' + ep.version + '"'); load(); } catch (err) { setProblem(err); }
  };
  const ping = async (ep: Endpoint) => {
    try { await apis.notification.post(BASE + '/' + ep.id + '/ping'); setSuccess(t('hooks.ping') + ' ✓'); } catch (err) { setProblem(err); }
  };

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
      {secret && <div className="status status-ok" role="status"><p>{t('hooks.secret')}</p><code className="secret">{secret}</code></div>}
      <ul className="cards">
        {items.map((ep) => (
          <li key={ep.id} className="card">
            <h3><code>{ep.url}</code> <span className={'badge ' + (ep.enabled ? 'status-ACCEPTED' : 'status-CANCELLED')}>{ep.enabled ? t('hooks.enabled') : t('hooks.disabled')}</span></h3>
            <p>{ep.eventTypes.join(', ')} · {date(ep.createdAt)}{ep.description ? ' · ' + ep.description : ''}</p>
            <div className="actions">
              {can('POST ' + BASE + '/{id}/ping') ? <button type="button" className="secondary" onClick={() => ping(ep)}>{t('hooks.ping')}</button> : null}
              {ep.enabled && <button type="button" className="danger" onClick={() => disable(ep)}>{t('hooks.disable')}</button>}
            </div>
            <Deliveries endpoint={ep} />
          </li>
        ))}
      </ul>
      {!can('POST ' + BASE + '/{id}/ping') && <Unavailable what={t('hooks.ping') + ' / ' + t('hooks.replay') + ': ' + t('app.notAvailable')} />}
    </Page>
  );
}
