import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiProblem, type Answer } from '../api';
import { useI18n } from '../i18n';
import { nameLanguages, unnamed, withNames } from '../languages';
import { LanguagePicker } from '../pickers';
import { Check, Field, Group, Page, Status, fieldError, useApp, useRun } from '../ui';
import { CAPACITY_UNITS, SERVICES, type Language, type Organisation } from '../types';

interface Form {
  name: string;
  description: string;
  country: string;
  region: string;
  services: string[];
  languages: Language[];
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
  languages: [],
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
    languages: o.languages.map(unnamed),
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
    languages: f.languages.map((l) => l.code),
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

type SetField = <K extends keyof Form>(k: K, v: Form[K]) => void;
type Err = (field: string) => string | undefined;

/** The profile's fields that take a whole number (string in the form, as typed); at most `max`. */
function NumberField({
  label,
  name,
  field,
  max,
  required,
  f,
  set,
  err,
}: {
  label: string;
  name: 'available' | 'maximum' | 'minAge' | 'maxAge';
  field: string;
  max?: number;
  required?: boolean;
  f: Form;
  set: SetField;
  err: Err;
}) {
  return (
    <Field label={label} error={err(field)} required={required}>
      {(p) => (
        <input {...p} type="number" min={0} max={max} value={f[name]} onChange={(e) => set(name, e.target.value)} />
      )}
    </Field>
  );
}

/** Capacity: available places, their maximum (when asked for) and the unit they are counted in. */
function CapacityFields({ f, set, err, withMaximum }: { f: Form; set: SetField; err: Err; withMaximum: boolean }) {
  const { t } = useI18n();
  const common = { f, set, err };
  return (
    <div className="row">
      <NumberField
        {...common}
        label={t('profile.available')}
        name="available"
        field="capacity.available"
        max={withMaximum ? 100000 : undefined}
        required
      />
      {withMaximum && (
        <NumberField {...common} label={t('profile.maximum')} name="maximum" field="capacity.maximum" max={100000} />
      )}
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
  );
}

/** The eligibility checkboxes, in the order the form shows them. */
const ELIGIBILITY = [
  ['womenOnly', 'elig.womenOnly'],
  ['acceptsMinors', 'elig.minors'],
  ['acceptsWomenWithChildren', 'elig.children'],
] as const;

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
  const languagesListed = can('GET /api/v1/languages');

  /** Shows a profile the registry answered; its languages are codes, named from referral-service's list. */
  const show = useCallback(
    (a: Answer<Organisation>, known: readonly Language[] = []) => {
      setLoaded(a);
      setF({ ...toForm(a.body), languages: withNames(a.body.languages.map(unnamed), known) });
      setMissing(false);
      const codes = a.body.languages.filter((code) => !known.some((l) => l.code === code && l.name !== code));
      if (languagesListed && codes.length > 0)
        nameLanguages(apis.referral, codes).then((named) =>
          setF((form) => ({ ...form, languages: withNames(form.languages, named) })),
        );
    },
    [apis, languagesListed],
  );

  useEffect(() => {
    if (!id) return;
    apis.registry
      .get<Organisation>(path)
      .then((a) => show(a))
      .catch((e) => (e instanceof ApiProblem && e.status === 404 ? setMissing(true) : setProblem(e)));
  }, [apis, id, path, show, setProblem]);
  const set: SetField = (k, v) => setF((form) => ({ ...form, [k]: v }));
  const err: Err = (field) => fieldError(problem, field);

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
      show(a, f.languages);
      return t('app.saved');
    });
  };

  const common = { f, set, err };
  return (
    <Page title={t('profile.title')}>
      {loaded && <p className="notice">{t('profile.status', { status: t(loaded.body.membershipStatus) })}</p>}
      {missing && <p className="notice">{t('profile.none')}</p>}
      <Status problem={problem} success={success} />
      {!missing && loaded && (
        <form noValidate className="panel" onSubmit={(e) => save(e, true)} aria-labelledby="cap-h">
          <h2 id="cap-h">{t('profile.capacity')}</h2>
          <CapacityFields {...common} withMaximum />
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
          <LanguagePicker
            api={apis.referral}
            available={languagesListed}
            label={t('profile.languages')}
            value={f.languages}
            onChange={(languages) => set('languages', languages)}
            error={err('languages')}
            required
            max={40}
          />
          <Group legend={t('profile.eligibility')} error={err('eligibility')}>
            {ELIGIBILITY.map(([k, label]) => (
              <Check key={k} label={t(label)} checked={f[k]} onChange={(v) => set(k, v)} />
            ))}
          </Group>
          <div className="row">
            <NumberField {...common} label={t('profile.minAge')} name="minAge" field="eligibility.minAge" max={120} />
            <NumberField {...common} label={t('profile.maxAge')} name="maxAge" field="eligibility.maxAge" max={120} />
          </div>
          {missing && <CapacityFields {...common} withMaximum={false} />}
          <button type="submit" disabled={busy}>
            {missing ? t('profile.apply') : t('app.save')}
          </button>
        </form>
      )}
    </Page>
  );
}
