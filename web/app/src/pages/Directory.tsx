import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { Check, Field, Page, Status, fieldError, useApp, useRun } from '../ui';
import { SERVICES, type Organisation, type OrganisationPage } from '../types';

/** The directory search with the registry's filters (country, service, language, capacity, name). */
export function Directory() {
  const { t, date } = useI18n();
  const { apis, session } = useApp();
  const [country, setCountry] = useState('');
  const [language, setLanguage] = useState('');
  const [service, setService] = useState('');
  const [text, setText] = useState('');
  const [hasCapacity, setHasCapacity] = useState(false);
  const [items, setItems] = useState<Organisation[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const { busy, problem, run } = useRun();

  const query = (cursor?: string) => {
    const q = new URLSearchParams();
    if (country.trim()) q.set('country', country.trim().toUpperCase());
    if (language.trim()) q.set('language', language.trim().toLowerCase());
    if (service) q.append('service', service);
    if (text.trim()) q.set('q', text.trim());
    if (hasCapacity) q.set('hasCapacity', 'true');
    q.set('limit', '20');
    if (cursor) q.set('cursor', cursor);
    return '/api/v1/organisations?' + q.toString();
  };

  const search = (e?: FormEvent, cursor?: string) => {
    e?.preventDefault();
    return run(async () => {
      const page = (await apis.registry.get<OrganisationPage>(query(cursor))).body;
      setItems((prev) => (cursor && prev ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor ?? null);
    });
  };

  return (
    <Page title={t('dir.title')}>
      <form className="filters" onSubmit={search} noValidate>
        <Status problem={problem} />
        <Field label={t('dir.country')} error={fieldError(problem, 'country')}>
          {(p) => (
            <input
              {...p}
              value={country}
              maxLength={2}
              autoComplete="off"
              onChange={(e) => setCountry(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('dir.language')} error={fieldError(problem, 'language')}>
          {(p) => (
            <input
              {...p}
              value={language}
              maxLength={3}
              autoComplete="off"
              onChange={(e) => setLanguage(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('dir.service')} error={fieldError(problem, 'service')}>
          {(p) => (
            <select {...p} value={service} onChange={(e) => setService(e.target.value)}>
              <option value="">{t('dir.anyService')}</option>
              {SERVICES.map((s) => (
                <option key={s} value={s}>
                  {t(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('dir.text')} error={fieldError(problem, 'q')}>
          {(p) => <input {...p} value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <Check label={t('dir.hasCapacity')} checked={hasCapacity} onChange={setHasCapacity} />
        <button type="submit" disabled={busy}>
          {t('dir.search')}
        </button>
      </form>
      {items && (
        <section aria-labelledby="results-title">
          <h2 id="results-title" aria-live="polite">
            {items.length === 0 ? t('dir.noResults') : t('dir.results', { n: items.length })}
          </h2>
          <ul className="cards">
            {items.map((o) => (
              <li key={o.id} className="card org">
                <h3>
                  {o.name}{' '}
                  <span className="country">
                    {o.country}
                    {o.region ? ' · ' + o.region : ''}
                  </span>
                </h3>
                {o.description && <p>{o.description}</p>}
                <dl>
                  <dt>{t('dir.services')}</dt>
                  <dd>{o.services.map((s) => t(s)).join(', ')}</dd>
                  <dt>{t('dir.languages')}</dt>
                  <dd>{o.languages.join(', ')}</dd>
                  <dt>{t('dir.eligibility')}</dt>
                  <dd>
                    {[
                      o.eligibility.womenOnly && t('elig.womenOnly'),
                      o.eligibility.acceptsMinors && t('elig.minors'),
                      o.eligibility.acceptsWomenWithChildren && t('elig.children'),
                      (o.eligibility.minAge != null || o.eligibility.maxAge != null) &&
                        t('elig.age', { min: o.eligibility.minAge ?? '', max: o.eligibility.maxAge ?? '' }),
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </dd>
                </dl>
                <p className={'capacity' + (o.capacity && o.capacity.available === 0 ? ' capacity-none' : '')}>
                  {o.capacity
                    ? t('dir.capacity', {
                        available: o.capacity.available,
                        maximum: o.capacity.maximum ?? '–',
                        unit: t(o.capacity.unit),
                        when: date(o.capacity.updatedAt),
                      })
                    : t('dir.capacityUnknown')}
                </p>
                {session.roles.includes('caseworker') && o.id !== session.organisationId && (
                  <a className="button" href={'#/referrals/new?receiver=' + o.id}>
                    {t('dir.refer')}
                    <span className="visually-hidden">: {o.name}</span>
                  </a>
                )}
              </li>
            ))}
          </ul>
          {next && (
            <button type="button" className="secondary" disabled={busy} onClick={() => search(undefined, next)}>
              {t('dir.more')}
            </button>
          )}
        </section>
      )}
    </Page>
  );
}
