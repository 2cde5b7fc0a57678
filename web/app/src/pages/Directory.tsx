import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { LanguagePicker } from '../pickers';
import { Check, Field, Page, Status, fieldError, useApp, useRun } from '../ui';
import { SERVICES, type Language, type Organisation, type OrganisationPage } from '../types';

/** The directory search with the registry's filters (country, service, language, capacity, name). */
export function Directory() {
  const { t, date } = useI18n();
  const { apis, session, can } = useApp();
  const [country, setCountry] = useState('');
  // one language, picked from referral-service's ISO 639-3 list like a referral's
  const [language, setLanguage] = useState<Language[]>([]);
  const [service, setService] = useState('');
  const [text, setText] = useState('');
  const [hasCapacity, setHasCapacity] = useState(false);
  const [items, setItems] = useState<Organisation[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const { busy, problem, run } = useRun();

  const query = (cursor?: string) => {
    const q = new URLSearchParams();
    if (country.trim()) q.set('country', country.trim().toUpperCase());
    if (language.length > 0) q.set('language', language[0].code.toLowerCase());
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
        <LanguagePicker
          api={apis.referral}
          available={can('GET /api/v1/languages')}
          label={t('dir.language')}
          value={language}
          onChange={setLanguage}
          error={fieldError(problem, 'language')}
          max={1}
        />
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
