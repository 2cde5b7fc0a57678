import { useEffect, useState, type FormEvent } from 'react';
import { ApiProblem, type Answer } from '../api';
import { useI18n } from '../i18n';
import { Check, Field, Group, Page, Status, csv, fieldError, useApp, useRun } from '../ui';
import { CAPACITY_UNITS, SERVICES, type Organisation } from '../types';

interface Form {
  name: string;
  description: string;
  country: string;
  region: string;
  services: string[];
  languages: string;
  womenOnly: boolean;
  acceptsMinors: boolean;
  minAge: string;
  maxAge: string;
  acceptsWomenWithChildren: boolean;
  available: string;
  maximum: string;
  unit: string;
}

const empty: Form = {
  name: '',
  description: '',
  country: '',
  region: '',
  services: [],
  languages: '',
  womenOnly: true,
  acceptsMinors: false,
  minAge: '18',
  maxAge: '',
  acceptsWomenWithChildren: true,
  available: '0',
  maximum: '',
  unit: 'BEDS',
};

function toForm(o: Organisation): Form {
  return {
    name: o.name,
    description: o.description ?? '',
    country: o.country,
    region: o.region ?? '',
    services: o.services,
    languages: o.languages.join(', '),
    womenOnly: o.eligibility.womenOnly,
    acceptsMinors: o.eligibility.acceptsMinors,
    minAge: o.eligibility.minAge?.toString() ?? '',
    maxAge: o.eligibility.maxAge?.toString() ?? '',
    acceptsWomenWithChildren: o.eligibility.acceptsWomenWithChildren,
    available: String(o.capacity?.available ?? 0),
    maximum: o.capacity?.maximum?.toString() ?? '',
    unit: o.capacity?.unit ?? 'BEDS',
  };
}

const num = (s: string) => (s.trim() === '' ? null : Number(s));

function toBody(f: Form, contactHours: Organisation['contactHours']) {
  return {
    name: f.name,
    description: f.description || null,
    country: f.country.toUpperCase(),
    region: f.region || null,
    services: f.services,
    languages: csv(f.languages),
    eligibility: {
      womenOnly: f.womenOnly,
      acceptsMinors: f.acceptsMinors,
      minAge: num(f.minAge),
      maxAge: num(f.maxAge),
      acceptsWomenWithChildren: f.acceptsWomenWithChildren,
    },
    capacity: { available: Number(f.available), maximum: num(f.maximum), unit: f.unit },
    contactHours: contactHours ?? [],
  };
}

/** The org-admin's profile: apply for membership, edit, and update capacity in one step. */
export function Profile() {
  const { t } = useI18n();
  const { apis, session, can } = useApp();
  const [loaded, setLoaded] = useState<Answer<Organisation> | null>(null);
  const [missing, setMissing] = useState(false);
  const [f, setF] = useState<Form>(empty);
  const { busy, problem, success, setProblem, run } = useRun();
  const id = session.organisationId;
  const path = '/api/v1/organisations/' + id;

  const load = () =>
    apis.registry
      .get<Organisation>(path)
      .then((a) => {
        setLoaded(a);
        setF(toForm(a.body));
        setMissing(false);
      })
      .catch((e) => (e instanceof ApiProblem && e.status === 404 ? setMissing(true) : setProblem(e)));
  useEffect(() => {
    if (id) load();
  }, [id]);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF({ ...f, [k]: v });
  const err = (field: string) => fieldError(problem, field);

  const save = (e: FormEvent, onlyCapacity = false) => {
    e.preventDefault();
    return run(async () => {
      const base =
        onlyCapacity && loaded
          ? { ...toForm(loaded.body), available: f.available, maximum: f.maximum, unit: f.unit }
          : f;
      const capacityAlone = onlyCapacity && can('PUT /api/v1/organisations/{id}/capacity');
      // a profile update replaces the whole profile: keep the confidential address where it can be read
      const address =
        !missing && !capacityAlone && can('GET /api/v1/organisations/{id}/confidential-address')
          ? await apis.registry
              .get<Record<string, unknown>>(path + '/confidential-address')
              .then((x) => x.body)
              .catch(() => null)
          : null;
      const a = missing
        ? await apis.registry.post<Organisation>('/api/v1/organisations', toBody(base, []))
        : capacityAlone
          ? await apis.registry.put<Organisation>(path + '/capacity', toBody(base, []).capacity, loaded?.etag ?? null)
          : await apis.registry.put<Organisation>(
              path,
              { ...toBody(base, loaded?.body.contactHours), ...(address ? { confidentialAddress: address } : {}) },
              loaded?.etag ?? null,
            );
      setLoaded(a);
      setF(toForm(a.body));
      setMissing(false);
      return t('app.saved');
    });
  };

  return (
    <Page title={t('profile.title')}>
      {loaded && <p className="notice">{t('profile.status', { status: t(loaded.body.membershipStatus) })}</p>}
      {missing && <p className="notice">{t('profile.none')}</p>}
      <Status problem={problem} success={success} />
      {!missing && loaded && (
        <form noValidate className="panel" onSubmit={(e) => save(e, true)} aria-labelledby="cap-h">
          <h2 id="cap-h">{t('profile.capacity')}</h2>
          <div className="row">
            <Field label={t('profile.available')} error={err('capacity.available')} required>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  max={100000}
                  value={f.available}
                  onChange={(e) => set('available', e.target.value)}
                />
              )}
            </Field>
            <Field label={t('profile.maximum')} error={err('capacity.maximum')}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  max={100000}
                  value={f.maximum}
                  onChange={(e) => set('maximum', e.target.value)}
                />
              )}
            </Field>
            <Field label={t('profile.unit')} error={err('capacity.unit')}>
              {(p) => (
                <select {...p} value={f.unit} onChange={(e) => set('unit', e.target.value)}>
                  {CAPACITY_UNITS.map((u) => (
                    <option key={u} value={u}>
                      {t(u)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <button type="submit" disabled={busy}>
            {t('profile.updateCapacity')}
          </button>
        </form>
      )}
      {(missing || loaded) && (
        <form noValidate onSubmit={(e) => save(e)}>
          <Field label={t('profile.name')} error={err('name')} required>
            {(p) => <input {...p} value={f.name} maxLength={200} onChange={(e) => set('name', e.target.value)} />}
          </Field>
          <Field label={t('profile.description')} error={err('description')}>
            {(p) => (
              <textarea
                {...p}
                rows={3}
                value={f.description}
                maxLength={4000}
                onChange={(e) => set('description', e.target.value)}
              />
            )}
          </Field>
          <div className="row">
            <Field label={t('profile.country')} error={err('country')} required>
              {(p) => <input {...p} value={f.country} maxLength={2} onChange={(e) => set('country', e.target.value)} />}
            </Field>
            <Field label={t('profile.region')} error={err('region')}>
              {(p) => <input {...p} value={f.region} maxLength={6} onChange={(e) => set('region', e.target.value)} />}
            </Field>
          </div>
          <Group legend={t('profile.services')} error={err('services')}>
            {SERVICES.map((s) => (
              <Check
                key={s}
                label={t(s)}
                checked={f.services.includes(s)}
                onChange={(on) => set('services', on ? [...f.services, s] : f.services.filter((x) => x !== s))}
              />
            ))}
          </Group>
          <Field label={t('profile.languages')} error={err('languages')} required>
            {(p) => <input {...p} value={f.languages} onChange={(e) => set('languages', e.target.value)} />}
          </Field>
          <Group legend={t('profile.eligibility')} error={err('eligibility')}>
            <Check label={t('elig.womenOnly')} checked={f.womenOnly} onChange={(v) => set('womenOnly', v)} />
            <Check label={t('elig.minors')} checked={f.acceptsMinors} onChange={(v) => set('acceptsMinors', v)} />
            <Check
              label={t('elig.children')}
              checked={f.acceptsWomenWithChildren}
              onChange={(v) => set('acceptsWomenWithChildren', v)}
            />
          </Group>
          <div className="row">
            <Field label={t('profile.minAge')} error={err('eligibility.minAge')}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  max={120}
                  value={f.minAge}
                  onChange={(e) => set('minAge', e.target.value)}
                />
              )}
            </Field>
            <Field label={t('profile.maxAge')} error={err('eligibility.maxAge')}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  max={120}
                  value={f.maxAge}
                  onChange={(e) => set('maxAge', e.target.value)}
                />
              )}
            </Field>
          </div>
          {missing && (
            <div className="row">
              <Field label={t('profile.available')} error={err('capacity.available')} required>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={0}
                    value={f.available}
                    onChange={(e) => set('available', e.target.value)}
                  />
                )}
              </Field>
              <Field label={t('profile.unit')} error={err('capacity.unit')}>
                {(p) => (
                  <select {...p} value={f.unit} onChange={(e) => set('unit', e.target.value)}>
                    {CAPACITY_UNITS.map((u) => (
                      <option key={u} value={u}>
                        {t(u)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
          )}
          <button type="submit" disabled={busy}>
            {missing ? t('profile.apply') : t('app.save')}
          </button>
        </form>
      )}
    </Page>
  );
}
