import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { type Answer } from '../api';
import { useI18n } from '../i18n';
import { useOrganisation } from '../orgs';
import { useRoute } from '../router';
import { Field, Page, Status, fieldError, useApp } from '../ui';
import { CaseFile } from './CaseFile';
import { Pathway } from './Pathway';
import { referralActions } from './referralActions';
import { AssessmentFields, checkAssessment, type Assessment } from './ReturnAssessment';
import { DECLINE_REASONS, OUTCOMES, deadline, type Referral, type Timeline } from '../types';

/** One step of GET /referrals/{id}/timeline: codes only, never notes. */
interface Step {
  at: string;
  step: string;
  status?: string;
  by: string;
  code?: string;
  linkedReferralId?: string;
}

const TIMELINE: (keyof Timeline)[] = [
  'submittedAt',
  'acknowledgeBy',
  'acknowledgedAt',
  'decideBy',
  'decidedAt',
  'startedAt',
  'closedAt',
];

/** One referral: summary, timeline with deadlines, consent (sender only), the actions its state allows. */
export function ReferralDetail({ id }: { id: string }) {
  const { t, date } = useI18n();
  const { apis, can } = useApp();
  const { query } = useRoute();
  const [loaded, setLoaded] = useState<Answer<Referral> | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [success, setSuccess] = useState<string | null>(
    query.get('created') ? t('ref.submitted') : query.get('onward') ? t('ref.onward.created') : null,
  );
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('NO_CAPACITY');
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('SERVICES_PROVIDED');
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const [assessment, setAssessment] = useState<Assessment>({ assessorRole: '', assessedOn: '', outcomeLevel: '' });
  const [assessmentErrors, setAssessmentErrors] = useState<Record<string, string>>({});
  const path = '/api/v1/referrals/' + id;
  const reload = useCallback(() => apis.referral.get<Referral>(path).then(setLoaded).catch(setProblem), [apis, path]);
  useEffect(() => {
    reload();
  }, [reload]);
  // the other party may have acted meanwhile: fetch again when the tab comes back into view
  useEffect(() => {
    const on = () => {
      if (document.visibilityState === 'visible') reload();
    };
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, [reload]);
  const r = loaded?.body;
  const [steps, setSteps] = useState<Step[] | null>(null);
  // the timeline once the referral is loaded, and again whenever it changes (a new version)
  const shown = r != null;
  const version = r?.version;
  useEffect(() => {
    if (can('GET /api/v1/referrals/{id}/timeline') && shown)
      apis.referral
        .get<Step[]>(path + '/timeline')
        .then((a) => setSteps(a.body))
        .catch(() => setSteps(null));
  }, [apis, can, path, shown, version]);
  const other = useOrganisation(
    apis.registry,
    r ? (r.yourRole === 'SENDER' ? r.receiverOrganisationId : r.senderOrganisationId) : null,
  );

  const act = async (sub: string, label: string, body?: unknown) => {
    setBusy(true);
    setProblem(null);
    setSuccess(null);
    try {
      const a = await apis.referral.post<Referral>(path + '/' + sub, body, loaded?.etag);
      setLoaded(a);
      setSuccess(label + ' · ' + t(a.body.status));
    } catch (err) {
      setProblem(err);
      reload();
    } finally {
      setBusy(false);
    }
  };
  const op = (sub: string) => can('POST /api/v1/referrals/{id}/' + sub);

  /** A return draft made without its assessment (by another system, through the API): she records it here. */
  const recordAssessment = async (e: FormEvent) => {
    e.preventDefault();
    const found = checkAssessment(assessment, t);
    setAssessmentErrors(found);
    setSuccess(null);
    if (Object.keys(found).length) {
      setProblem(t('app.formErrors'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      setLoaded(await apis.referral.put<Referral>(path + '/return-risk-assessment', assessment, loaded?.etag ?? null));
      setSuccess(t('ref.assessment.recorded'));
    } catch (err) {
      setProblem(err);
      reload();
    } finally {
      setBusy(false);
    }
  };

  if (!r)
    return (
      <Page title={t('ref.detail.title')}>
        <Status problem={problem} />
        {!problem && <p>{t('app.loading')}</p>}
      </Page>
    );
  const d = deadline(r);
  const sender = r.yourRole === 'SENDER';
  const open = ['SUBMITTED', 'ACKNOWLEDGED'].includes(r.status);
  const offered = referralActions(r, op, can);
  return (
    <Page title={t('ref.detail.title') + ' · ' + t(r.status)}>
      <Status problem={problem} success={success} />
      <p>
        {t('ref.detail.role.' + r.yourRole)} {other && <strong>{other.name}</strong>} (
        {sender ? r.receiverCountry : r.senderCountry})
      </p>
      {d && (
        <p className={d.overdue ? 'overdue-label' : 'notice'}>
          {d.overdue ? t('ref.overdue') : t('ref.col.deadline')}: {date(d.at)}
        </p>
      )}
      {r.redirectedFrom && (
        <p>
          <a href={'#/referrals/' + r.redirectedFrom}>{t('ref.redirectedFrom')}</a>
        </p>
      )}
      {r.onwardFrom && (
        <p>
          {/* the sender of an onward referral received the referral it continues */}
          <a href={'#/referrals/' + r.onwardFrom}>{t('ref.onwardFrom')}</a>
        </p>
      )}
      <section aria-labelledby="summary-h">
        <h2 id="summary-h">{t('ref.detail.summary')}</h2>
        {/* only while she may still accept: not once it is declined, cancelled or withdrawn */}
        {!sender && open && <p className="hint">{t('ref.detail.summaryOnly')}</p>}
        <dl className="review">
          {r.stage && (
            <>
              <dt>{t('ref.stage')}</dt>
              <dd>{t(r.stage)}</dd>
            </>
          )}
          {r.reflectionPeriodEndsOn && (
            <>
              <dt>{t('ref.reflectionEndsOn')}</dt>
              <dd>{r.reflectionPeriodEndsOn}</dd>
            </>
          )}
          {r.returnRiskAssessment && (
            <>
              <dt>{t('ref.assessment')}</dt>
              <dd>
                {t(r.returnRiskAssessment.assessorRole)} · {r.returnRiskAssessment.assessedOn} ·{' '}
                {t(r.returnRiskAssessment.outcomeLevel)}
              </dd>
            </>
          )}
          <dt>{t('ref.urgency')}</dt>
          <dd>
            <span className={'badge urgency-' + r.summary.urgency}>{t(r.summary.urgency)}</span>
          </dd>
          <dt>{t('ref.services')}</dt>
          <dd>{r.summary.requestedServices.map((s) => t(s)).join(', ')}</dd>
          <dt>{t('dir.languages')}</dt>
          <dd>{(r.summary.languages ?? []).join(', ') || t('app.none')}</dd>
          <dt>{t('ref.ageBand')}</dt>
          <dd>{t(r.summary.ageBand)}</dd>
          <dt>{t('ref.children')}</dt>
          <dd>{(r.summary.accompanyingChildren ?? []).map((c) => t(c)).join(', ') || t('app.none')}</dd>
          <dt>{t('ref.safetyRisk')}</dt>
          <dd>{t(r.summary.safetyRisk)}</dd>
          {(r.summary.arrivalEarliest || r.summary.arrivalLatest) && (
            <>
              <dt>
                {t('ref.arrivalEarliest')} – {t('ref.arrivalLatest')}
              </dt>
              <dd>
                {r.summary.arrivalEarliest ?? '…'} – {r.summary.arrivalLatest ?? '…'}
              </dd>
            </>
          )}
          {r.decline && (
            <>
              <dt>{t('ref.decline')}</dt>
              <dd>
                {t('ref.declined', { reason: t(r.decline.reason) })}
                {r.decline.note ? ' · ' + r.decline.note : ''}
              </dd>
            </>
          )}
          {r.outcome && (
            <>
              <dt>{t('ref.outcomeLabel')}</dt>
              <dd>{t('ref.outcomeRecorded', { outcome: t(r.outcome.outcome) })}</dd>
            </>
          )}
        </dl>
      </section>
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t('ref.detail.timeline')}</h2>
        {steps && steps.length > 0 && (
          <ol className="timeline steps-log">
            {steps.map((st, i) => (
              <li key={i}>
                <span>
                  {t('step.' + st.step) !== 'step.' + st.step ? t('step.' + st.step) : t(st.status ?? st.step)}
                </span>{' '}
                <time dateTime={st.at}>{date(st.at)}</time> · {t('by.' + st.by)}
                {st.code && <> · {t(st.code)}</>}
                {st.linkedReferralId && (
                  <>
                    {' '}
                    · <a href={'#/referrals/' + st.linkedReferralId}>{t('ref.linked')}</a>
                  </>
                )}
              </li>
            ))}
          </ol>
        )}
        <h3>{t('ref.dates')}</h3>
        <ol className="timeline">
          <li>
            <span>{t('tl.createdAt')}</span> <time dateTime={r.createdAt}>{date(r.createdAt)}</time>
          </li>
          {TIMELINE.filter((k) => r.timeline?.[k]).map((k) => {
            const at = r.timeline![k]!;
            const due = k.endsWith('By');
            const late = due && d?.at === at && d.overdue;
            return (
              <li key={k} className={(due ? 'due' : '') + (late ? ' overdue' : '')}>
                <span>{t('tl.' + k)}</span> <time dateTime={at}>{date(at)}</time>
                {late && <strong> · {t('ref.overdue')}</strong>}
              </li>
            );
          })}
        </ol>
      </section>
      {sender && r.consent && (
        <section aria-labelledby="consent-h">
          <h2 id="consent-h">{t('ref.detail.consent')}</h2>
          <dl className="review">
            <dt>{t('ref.consent.purposes')}</dt>
            <dd>{r.consent.purposes.map((p) => t(p)).join('; ')}</dd>
            <dt>{t('ref.consent.categories')}</dt>
            <dd>{r.consent.dataCategories.map((c) => t(c)).join(', ') || t('app.none')}</dd>
            <dt>{t('ref.consent.givenAt')}</dt>
            <dd>{date(r.consent.givenAt)}</dd>
            <dt>{t('ref.consent.expiresAt')}</dt>
            <dd>{date(r.consent.expiresAt)}</dd>
            <dt>{t('ref.consent.formLanguage')}</dt>
            <dd>
              {r.consent.formLanguage} · {r.consent.formVersion}
            </dd>
            <dt>{t('ref.consent.method')}</dt>
            <dd>
              {t(r.consent.method)}
              {r.consent.interpreterPresent ? ' · ' + t('ref.consent.interpreter') : ''}
            </dd>
            {r.consent.withdrawnAt && (
              <>
                <dt>{t('WITHDRAWN')}</dt>
                <dd>{date(r.consent.withdrawnAt)}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      {r.pathwayId && (
        <Pathway
          pathwayId={r.pathwayId}
          current={r.id}
          ownOrganisation={sender ? r.senderOrganisationId : r.receiverOrganisationId}
          version={r.version}
        />
      )}
      <section aria-labelledby="actions-h">
        <h2 id="actions-h">{t('ref.detail.actions')}</h2>
        {offered.size === 0 && <p className="hint">{t('ref.detail.noActions')}</p>}
        <div className="actions">
          {offered.has('acknowledge') && (
            <button type="button" disabled={busy} onClick={() => act('acknowledgement', t('ref.acknowledge'))}>
              {t('ref.acknowledge')}
            </button>
          )}
          {offered.has('accept') && (
            <button type="button" disabled={busy} onClick={() => act('acceptance', t('ref.accept'))}>
              {t('ref.accept')}
            </button>
          )}
          {offered.has('start') && (
            <button type="button" disabled={busy} onClick={() => act('start', t('ref.start'))}>
              {t('ref.start')}
            </button>
          )}
          {offered.has('cancel') && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => act('cancellation', t('ref.cancel'))}
            >
              {t('ref.cancel')}
            </button>
          )}
          {offered.has('submitDraft') && (
            <button type="button" disabled={busy} onClick={() => act('submission', t('ref.submitDraft'))}>
              {t('ref.submitDraft')}
            </button>
          )}
          {offered.has('onward') && (
            <a className="button" href={'#/referrals/new?onwardFrom=' + r.id}>
              {t('ref.onward')}
            </a>
          )}
          {offered.has('redirect') && (
            <a className="button" href={'#/referrals/new?redirectFrom=' + r.id}>
              {t('ref.redirect')}
            </a>
          )}
        </div>
        {offered.has('recordAssessment') && (
          <form className="inline-form" noValidate onSubmit={recordAssessment}>
            <AssessmentFields
              value={assessment}
              onChange={setAssessment}
              error={(f) =>
                assessmentErrors[f] ?? fieldError(problem, f) ?? fieldError(problem, 'returnRiskAssessment.' + f)
              }
            />
            <button type="submit" disabled={busy}>
              {t('ref.assessment.record')}
            </button>
          </form>
        )}
        {offered.has('decline') && (
          <form
            className="inline-form"
            noValidate
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              act('decline', t('ref.decline'), { reason, note: note || null });
            }}
          >
            <Field label={t('ref.declineReason')} error={fieldError(problem, 'reason')} required>
              {(p) => (
                <select {...p} value={reason} onChange={(e) => setReason(e.target.value)}>
                  {DECLINE_REASONS.map((x) => (
                    <option key={x} value={x}>
                      {t(x)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('ref.declineNote')} error={fieldError(problem, 'note')}>
              {(p) => (
                <textarea {...p} value={note} maxLength={500} rows={2} onChange={(e) => setNote(e.target.value)} />
              )}
            </Field>
            <button type="submit" className="danger" disabled={busy}>
              {t('ref.decline')}
            </button>
          </form>
        )}
        {offered.has('complete') &&
          (op('completion') ? (
            <form
              className="inline-form"
              noValidate
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                act('completion', t('ref.outcome'), { outcome, note: note || null });
              }}
            >
              <Field label={t('ref.outcome')} error={fieldError(problem, 'outcome')} required>
                {(p) => (
                  <select {...p} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                    {OUTCOMES.map((x) => (
                      <option key={x} value={x}>
                        {t(x)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('ref.outcomeNote')} error={fieldError(problem, 'note')}>
                {(p) => (
                  <textarea {...p} value={note} maxLength={500} rows={2} onChange={(e) => setNote(e.target.value)} />
                )}
              </Field>
              <button type="submit" disabled={busy}>
                {t('ref.outcome')}
              </button>
            </form>
          ) : (
            <p className="hint">
              {t('ref.outcome')}: {t('app.notAvailable')}
            </p>
          ))}
        {offered.has('withdraw') &&
          (op('withdrawal') ? (
            <div className="inline-form">
              {!confirmWithdraw ? (
                <button type="button" className="danger" onClick={() => setConfirmWithdraw(true)}>
                  {t('ref.withdraw')}
                </button>
              ) : (
                <>
                  <p role="alert">{t('ref.withdrawConfirm')}</p>
                  <button
                    type="button"
                    className="danger"
                    disabled={busy}
                    onClick={() => act('withdrawal', t('ref.withdraw'))}
                  >
                    {t('ref.withdraw')}
                  </button>
                  <button type="button" className="secondary" onClick={() => setConfirmWithdraw(false)}>
                    {t('app.cancel')}
                  </button>
                </>
              )}
            </div>
          ) : (
            <p className="hint">
              {t('ref.withdraw')}: {t('app.notAvailable')}
            </p>
          ))}
      </section>
      <CaseFile referral={r} />
    </Page>
  );
}
