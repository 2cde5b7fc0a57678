import { useI18n } from '../i18n';
import { Field } from '../ui';
import { ASSESSOR_ROLES, RISK_LEVELS } from '../types';

export interface Assessment {
  assessorRole: string;
  assessedOn: string;
  outcomeLevel: string;
}

export const today = () => new Date().toISOString().slice(0, 10);

/** Her return risk assessment, codes and a date only (docs/referrals.md, "Return"): what is missing or wrong, by field. */
export function checkAssessment(a: Assessment, t: (key: string) => string, prefix = ''): Record<string, string> {
  const e: Record<string, string> = {};
  if (!a.assessorRole) e[prefix + 'assessorRole'] = t('app.required');
  if (!a.assessedOn) e[prefix + 'assessedOn'] = t('app.required');
  else if (a.assessedOn > today()) e[prefix + 'assessedOn'] = t('ref.assessment.future');
  if (!a.outcomeLevel) e[prefix + 'outcomeLevel'] = t('app.required');
  return e;
}

/**
 * The return risk assessment's fields: who assessed (a role, never a person), when, and the level of risk. Used by
 * the new-referral flow and by a return draft that lacks it.
 */
export function AssessmentFields({
  value,
  onChange,
  error,
}: {
  value: Assessment;
  onChange: (a: Assessment) => void;
  /** the message for a field of the assessment, by its name (assessorRole, assessedOn, outcomeLevel) */
  error: (field: keyof Assessment) => string | undefined;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="field">
      <legend>{t('ref.assessment')}</legend>
      <p className="hint">{t('ref.assessmentHint')}</p>
      <Field label={t('ref.assessment.role')} error={error('assessorRole')} required>
        {(p) => (
          <select
            {...p}
            value={value.assessorRole}
            onChange={(e) => onChange({ ...value, assessorRole: e.target.value })}
          >
            <option value="">{t('ref.choose')}</option>
            {ASSESSOR_ROLES.map((a) => (
              <option key={a} value={a}>
                {t(a)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('ref.assessment.on')} error={error('assessedOn')} required>
        {(p) => (
          <input
            {...p}
            type="date"
            value={value.assessedOn}
            max={today()}
            onChange={(e) => onChange({ ...value, assessedOn: e.target.value })}
          />
        )}
      </Field>
      <Field label={t('ref.assessment.level')} error={error('outcomeLevel')} required>
        {(p) => (
          <select
            {...p}
            value={value.outcomeLevel}
            onChange={(e) => onChange({ ...value, outcomeLevel: e.target.value })}
          >
            <option value="">{t('ref.choose')}</option>
            {RISK_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(l)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}
