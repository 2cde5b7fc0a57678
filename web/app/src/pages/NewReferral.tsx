import { useEffect, useState, type FormEvent } from 'react';
import { ApiProblem } from '../api';
import { useI18n } from '../i18n';
import { useOrganisation } from '../orgs';
import { go } from '../router';
import { languageLabel, nameLanguages, unnamed, withNames } from '../languages';
import { ConsentFormPicker, LanguagePicker, useConsentForms } from '../pickers';
import { Check, Field, Group, Page, Status, fieldError, useApp } from '../ui';
import { ConsentForm } from './ConsentForm';
import { AssessmentFields, checkAssessment, today, type Assessment } from './ReturnAssessment';
import {
  AGE_BANDS,
  CHILD_AGE_BANDS,
  CONSENT_METHODS,
  DATA_CATEGORIES,
  PURPOSES,
  REFLECTION_STAGES,
  REQUESTED_SERVICES,
  SAFETY_RISKS,
  STAGES,
  URGENCIES,
  type Language,
  type Referral,
  type Stage,
} from '../types';

const STEPS = ['ref.step.receiver', 'ref.step.summary', 'ref.step.consent', 'ref.step.review'];
const inDays = (n: number) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

function toggle(list: string[], v: string, on: boolean) {
  return on ? [...new Set([...list, v])] : list.filter((x) => x !== v);
}

/** Which step holds a field that a problem names. */
function stepOf(field: string): number {
  if (field.startsWith('receiver') || /^(stage|reflectionPeriodEndsOn|returnRiskAssessment)/.test(field)) return 0;
  if (field.startsWith('summary')) return 1;
  if (field.startsWith('consent')) return 2;
  return 3;
}

/**
 * The guided flow: receiver, summary (codes only), the survivor's consent with a printable form in her
 * language, then review. It creates the draft with its consent and submits it.
 */
export function NewReferral({
  receiver: initialReceiver,
  redirectFrom,
  onwardFrom,
}: {
  receiver: string | null;
  redirectFrom: string | null;
  /** An accepted referral that the caller's organisation received: the new draft continues its pathway. */
  onwardFrom: string | null;
}) {
  const { t } = useI18n();
  const { apis, can } = useApp();
  const [step, setStep] = useState(0);
  const [receiver, setReceiver] = useState(initialReceiver ?? '');
  const org = useOrganisation(apis.registry, /^[0-9a-f-]{36}$/i.test(receiver) ? receiver : null);
  const [stage, setStage] = useState<Stage | ''>('');
  const [reflectionEndsOn, setReflectionEndsOn] = useState('');
  const [assessment, setAssessment] = useState<Assessment>({ assessorRole: '', assessedOn: '', outcomeLevel: '' });
  const [urgency, setUrgency] = useState('URGENT');
  const [services, setServices] = useState<string[]>([]);
  const [languages, setLanguages] = useState<Language[]>([]);
  const [ageBand, setAgeBand] = useState('AGE_25_34');
  const [children, setChildren] = useState<string[]>([]);
  const [safetyRisk, setSafetyRisk] = useState('MODERATE');
  const [arrivalEarliest, setArrivalEarliest] = useState('');
  const [arrivalLatest, setArrivalLatest] = useState('');
  const [purposes, setPurposes] = useState<string[]>(['REFERRAL', 'CASE_TRANSFER']);
  const [categories, setCategories] = useState<string[]>([]);
  const [givenAt, setGivenAt] = useState(today());
  const [expiresAt, setExpiresAt] = useState(inDays(90));
  const [formLanguage, setFormLanguage] = useState('eng');
  const [formVersion, setFormVersion] = useState('');
  const languagesListed = can('GET /api/v1/languages');
  const forms = useConsentForms(apis.referral, can('GET /api/v1/consent-forms'));
  const [interpreter, setInterpreter] = useState(false);
  const [method, setMethod] = useState('SIGNED_FORM');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState(false);

  // the current version of the form, once the server has listed them
  useEffect(() => {
    const current = forms?.find((f) => f.current && f.language === 'eng') ?? forms?.find((f) => f.current);
    if (current) setFormVersion((v) => v || current.version);
  }, [forms]);

  useEffect(() => {
    if (printing) {
      window.print();
      setPrinting(false);
    }
  }, [printing]);

  // a redirect starts from the declined referral's summary, an onward referral from the accepted one's
  const from = redirectFrom ?? onwardFrom;
  useEffect(() => {
    if (!from) return;
    apis.referral
      .get<Referral>('/api/v1/referrals/' + from)
      .then(({ body: r }) => {
        // a redirect stays in the declined referral's pathway and stage; an onward referral has a stage of its own
        if (redirectFrom && r.stage) setStage(r.stage);
        setUrgency(r.summary.urgency);
        setServices(r.summary.requestedServices);
        const codes = r.summary.languages ?? [];
        setLanguages(codes.map(unnamed));
        // their names, from the same list the picker shows
        nameLanguages(apis.referral, codes).then((named) => setLanguages((ls) => withNames(ls, named)));
        setAgeBand(r.summary.ageBand);
        setChildren(r.summary.accompanyingChildren ?? []);
        setSafetyRisk(r.summary.safetyRisk);
      })
      .catch(setProblem);
  }, [apis, from, redirectFrom]);

  const err = (f: string) => fieldError(problem, f, local);
  const reflecting = stage !== '' && REFLECTION_STAGES.includes(stage);
  const returning = stage === 'RETURN_AND_REINTEGRATION';

  const check = (s: number): Record<string, string> => {
    const e: Record<string, string> = {};
    if (s === 0 && !/^[0-9a-f-]{36}$/i.test(receiver)) e.receiverOrganisationId = t('ref.receiverHint');
    if (s === 0 && !stage) e.stage = t('app.required');
    if (s === 0 && returning) Object.assign(e, checkAssessment(assessment, t, 'returnRiskAssessment.'));
    if (s === 1 && services.length === 0) e['summary.requestedServices'] = t('app.required');
    if (s === 1)
      languages.forEach((l, i) => {
        if (!/^[a-z]{3}$/.test(l.code)) e[`summary.languages`] = `${l.code}: ISO 639-3 (${i + 1})`;
      });
    if (s === 2 && purposes.length === 0) e['consent.purposes'] = t('app.required');
    else if (s === 2 && returning && !purposes.includes('RETURN'))
      e['consent.purposes'] = t('ref.consent.returnRequired');
    if (s === 2 && expiresAt <= givenAt)
      e['consent.expiresAt'] = t('ref.consent.expiresAt') + ' > ' + t('ref.consent.givenAt');
    return e;
  };

  const nextStep = (e: FormEvent) => {
    e.preventDefault();
    const found = check(step);
    setLocal(found);
    setProblem(Object.keys(found).length ? t('app.formErrors') : null);
    if (Object.keys(found).length === 0) setStep(step + 1);
  };

  const body = () => ({
    receiverOrganisationId: receiver,
    stage: stage as Stage,
    reflectionPeriodEndsOn: reflecting && reflectionEndsOn ? reflectionEndsOn : null,
    returnRiskAssessment: returning ? assessment : null,
    summary: {
      urgency,
      requestedServices: services,
      languages: languages.map((l) => l.code),
      ageBand,
      accompanyingChildren: children,
      safetyRisk,
      arrivalEarliest: arrivalEarliest || null,
      arrivalLatest: arrivalLatest || null,
    },
    consent: {
      recipients: [receiver],
      purposes,
      dataCategories: categories,
      givenAt:
        new Date(givenAt + 'T12:00:00Z').toISOString() > new Date().toISOString()
          ? new Date().toISOString()
          : new Date(givenAt + 'T12:00:00Z').toISOString(),
      expiresAt: new Date(expiresAt + 'T23:59:59Z').toISOString(),
      formLanguage,
      formVersion,
      interpreterPresent: interpreter,
      method,
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const b = body();
      if (onwardFrom) {
        // the onward referral is created as a draft in the same pathway; she checks it, attaches the file, submits
        const { receiverOrganisationId, stage, reflectionPeriodEndsOn, returnRiskAssessment, summary, consent } = b;
        const draft = await apis.referral.post<Referral>(`/api/v1/referrals/${onwardFrom}/onward-referral`, {
          receiverOrganisationId,
          stage,
          reflectionPeriodEndsOn,
          returnRiskAssessment,
          summary,
          consent,
        });
        go('#/referrals/' + draft.body.id + '?onward=1');
        return;
      }
      // a redirect of a declined referral creates a new draft linked to it, where the server offers that
      const created =
        redirectFrom && can('POST /api/v1/referrals/{id}/redirection')
          ? await apis.referral.post<Referral>(`/api/v1/referrals/${redirectFrom}/redirection`, {
              receiverOrganisationId: b.receiverOrganisationId,
              consent: b.consent,
            })
          : await apis.referral.post<Referral>('/api/v1/referrals', b);
      const submitted = await apis.referral.post<Referral>(
        `/api/v1/referrals/${created.body.id}/submission`,
        undefined,
        created.etag,
      );
      go('#/referrals/' + submitted.body.id + '?created=1');
    } catch (err) {
      setProblem(err);
      if (err instanceof ApiProblem && err.errors.length) setStep(stepOf(err.errors[0].field));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('ref.new.title')}>
      {redirectFrom && <p className="notice">{t('ref.redirectedFrom')}</p>}
      {onwardFrom && <p className="notice">{t('ref.onward.notice')}</p>}
      <ol className="steps" aria-label={t('ref.new.title')}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : ''}>
            {t(s)}
          </li>
        ))}
      </ol>
      <form onSubmit={step === 3 ? submit : nextStep} noValidate className="wizard">
        <Status problem={problem} />
        {step === 0 && (
          <>
            <h2>{t('ref.step.receiver')}</h2>
            <Field
              label={t('ref.receiver')}
              hint={t('ref.receiverHint')}
              error={err('receiverOrganisationId')}
              required
            >
              {(p) => (
                <input
                  {...p}
                  value={receiver}
                  onChange={(e) => setReceiver(e.target.value.trim())}
                  autoComplete="off"
                />
              )}
            </Field>
            {org && (
              <p className="card">
                <strong>{org.name}</strong> · {org.country} · {org.services.map((s) => t(s)).join(', ')}
              </p>
            )}
            <p>
              <a href="#/directory">{t('ref.receiverPick')}</a>
            </p>
            <Field
              label={t('ref.stage')}
              hint={redirectFrom ? t('ref.stageRedirect') : t('ref.stageHint')}
              error={err('stage')}
              required
            >
              {(p) => (
                <select
                  {...p}
                  value={stage}
                  disabled={!!redirectFrom}
                  onChange={(e) => setStage(e.target.value as Stage | '')}
                >
                  <option value="">{t('ref.stageChoose')}</option>
                  {STAGES.map((s) => (
                    <option key={s} value={s}>
                      {t(s)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {reflecting && !redirectFrom && (
              <Field
                label={t('ref.reflectionEndsOn')}
                hint={t('ref.reflectionHint')}
                error={err('reflectionPeriodEndsOn')}
              >
                {(p) => (
                  <input
                    {...p}
                    type="date"
                    value={reflectionEndsOn}
                    onChange={(e) => setReflectionEndsOn(e.target.value)}
                  />
                )}
              </Field>
            )}
            {returning && !redirectFrom && (
              <AssessmentFields
                value={assessment}
                onChange={setAssessment}
                error={(f) => err('returnRiskAssessment.' + f)}
              />
            )}
          </>
        )}
        {step === 1 && (
          <>
            <h2>{t('ref.step.summary')}</h2>
            <p className="hint">{t('ref.summaryNote')}</p>
            <Group legend={t('ref.urgency')} error={err('summary.urgency')}>
              {URGENCIES.map((u) => (
                <Check
                  key={u}
                  type="radio"
                  name="urgency"
                  label={t(u)}
                  checked={urgency === u}
                  onChange={() => setUrgency(u)}
                />
              ))}
            </Group>
            <Group legend={t('ref.services')} error={err('summary.requestedServices')}>
              {REQUESTED_SERVICES.map((s) => (
                <Check
                  key={s}
                  label={t(s)}
                  checked={services.includes(s)}
                  onChange={(on) => setServices(toggle(services, s, on))}
                />
              ))}
            </Group>
            <LanguagePicker
              api={apis.referral}
              available={languagesListed}
              label={t('ref.languages')}
              value={languages}
              onChange={setLanguages}
              error={err('summary.languages')}
            />
            <Field label={t('ref.ageBand')} error={err('summary.ageBand')} required>
              {(p) => (
                <select {...p} value={ageBand} onChange={(e) => setAgeBand(e.target.value)}>
                  {AGE_BANDS.map((a) => (
                    <option key={a} value={a}>
                      {t(a)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <fieldset className="field">
              <legend>{t('ref.children')}</legend>
              {children.map((c, i) => (
                <div key={i} className="row">
                  <Field label={t('ref.child', { n: i + 1 })} error={err(`summary.accompanyingChildren[${i}]`)}>
                    {(p) => (
                      <select
                        {...p}
                        value={c}
                        onChange={(e) => setChildren(children.map((x, j) => (j === i ? e.target.value : x)))}
                      >
                        {CHILD_AGE_BANDS.map((a) => (
                          <option key={a} value={a}>
                            {t(a)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setChildren(children.filter((_, j) => j !== i))}
                  >
                    {t('ref.removeChild', { n: i + 1 })}
                  </button>
                </div>
              ))}
              {children.length < 12 && (
                <button type="button" className="secondary" onClick={() => setChildren([...children, 'AGE_1_5'])}>
                  {t('ref.addChild')}
                </button>
              )}
            </fieldset>
            <Group legend={t('ref.safetyRisk')} error={err('summary.safetyRisk')}>
              {SAFETY_RISKS.map((s) => (
                <Check
                  key={s}
                  type="radio"
                  name="risk"
                  label={t(s)}
                  checked={safetyRisk === s}
                  onChange={() => setSafetyRisk(s)}
                />
              ))}
            </Group>
            <div className="row">
              <Field label={t('ref.arrivalEarliest')} error={err('summary.arrivalEarliest')}>
                {(p) => (
                  <input
                    {...p}
                    type="date"
                    value={arrivalEarliest}
                    onChange={(e) => setArrivalEarliest(e.target.value)}
                  />
                )}
              </Field>
              <Field label={t('ref.arrivalLatest')} error={err('summary.arrivalLatest')}>
                {(p) => (
                  <input {...p} type="date" value={arrivalLatest} onChange={(e) => setArrivalLatest(e.target.value)} />
                )}
              </Field>
            </div>
          </>
        )}
        {step === 2 && (
          <>
            <h2>{t('ref.step.consent')}</h2>
            <p className="notice">{t('ref.consent.police')}</p>
            <Group legend={t('ref.consent.purposes')} error={err('consent.purposes')}>
              {PURPOSES.map((p) => (
                <Check
                  key={p}
                  label={t(p)}
                  checked={purposes.includes(p)}
                  onChange={(on) => setPurposes(toggle(purposes, p, on))}
                />
              ))}
            </Group>
            <Group legend={t('ref.consent.categories')} error={err('consent.dataCategories')}>
              {DATA_CATEGORIES.map((c) => (
                <Check
                  key={c}
                  label={t(c)}
                  checked={categories.includes(c)}
                  onChange={(on) => setCategories(toggle(categories, c, on))}
                />
              ))}
            </Group>
            <div className="row">
              <Field label={t('ref.consent.givenAt')} error={err('consent.givenAt')} required>
                {(p) => (
                  <input
                    {...p}
                    type="date"
                    value={givenAt}
                    max={today()}
                    onChange={(e) => setGivenAt(e.target.value)}
                  />
                )}
              </Field>
              <Field label={t('ref.consent.expiresAt')} error={err('consent.expiresAt')} required>
                {(p) => <input {...p} type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />}
              </Field>
            </div>
            <ConsentFormPicker
              forms={forms}
              version={formVersion}
              language={formLanguage}
              onChange={(v, l) => {
                setFormVersion(v);
                setFormLanguage(l);
              }}
              versionError={err('consent.formVersion')}
              languageError={err('consent.formLanguage')}
            />
            <Check label={t('ref.consent.interpreter')} checked={interpreter} onChange={setInterpreter} />
            <Field label={t('ref.consent.method')} error={err('consent.method')} required>
              {(p) => (
                <select {...p} value={method} onChange={(e) => setMethod(e.target.value)}>
                  {CONSENT_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {t(m)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="button" className="secondary" onClick={() => setPrinting(true)}>
              {t('ref.consent.printForm')}
            </button>
          </>
        )}
        {step === 3 && (
          <>
            <h2>{t('ref.step.review')}</h2>
            <dl className="review">
              <dt>{t('ref.receiver')}</dt>
              <dd>{org ? `${org.name} (${org.country})` : receiver}</dd>
              <dt>{t('ref.stage')}</dt>
              <dd>{stage ? t(stage) : t('app.none')}</dd>
              {reflecting && reflectionEndsOn && (
                <>
                  <dt>{t('ref.reflectionEndsOn')}</dt>
                  <dd>{reflectionEndsOn}</dd>
                </>
              )}
              {returning && (
                <>
                  <dt>{t('ref.assessment')}</dt>
                  <dd>
                    {t(assessment.assessorRole)} · {assessment.assessedOn} · {t(assessment.outcomeLevel)}
                  </dd>
                </>
              )}
              <dt>{t('ref.urgency')}</dt>
              <dd>{t(urgency)}</dd>
              <dt>{t('ref.services')}</dt>
              <dd>{services.map((s) => t(s)).join(', ')}</dd>
              <dt>{t('ref.languages')}</dt>
              <dd>{languages.map(languageLabel).join(', ') || t('app.none')}</dd>
              <dt>{t('ref.ageBand')}</dt>
              <dd>{t(ageBand)}</dd>
              <dt>{t('ref.children')}</dt>
              <dd>{children.map((c) => t(c)).join(', ') || t('app.none')}</dd>
              <dt>{t('ref.safetyRisk')}</dt>
              <dd>{t(safetyRisk)}</dd>
              <dt>{t('ref.consent.purposes')}</dt>
              <dd>{purposes.map((p) => t(p)).join('; ')}</dd>
              <dt>{t('ref.consent.categories')}</dt>
              <dd>{categories.map((c) => t(c)).join(', ') || t('app.none')}</dd>
              <dt>{t('ref.consent.expiresAt')}</dt>
              <dd>{expiresAt}</dd>
              <dt>{t('ref.consent.formVersion')}</dt>
              <dd>
                {formVersion} · {formLanguage}
              </dd>
            </dl>
          </>
        )}
        <div className="actions">
          {step > 0 && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setProblem(null);
                setStep(step - 1);
              }}
            >
              {t('app.back')}
            </button>
          )}
          <button type="submit" disabled={busy}>
            {step === 3 ? (onwardFrom ? t('ref.onward.create') : t('ref.submit')) : t('app.next')}
          </button>
        </div>
      </form>
      <ConsentForm
        formLanguage={formLanguage}
        receiverName={org?.name ?? ''}
        purposes={purposes}
        categories={categories}
        expiresAt={expiresAt}
        formVersion={formVersion}
        interpreter={interpreter}
      />
    </Page>
  );
}
