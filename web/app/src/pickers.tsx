/**
 * Pickers whose lists come from referral-service: the survivor's languages (GET /api/v1/languages, the ISO 639-3
 * list the server checks codes against) and the consent form's version and language (GET /api/v1/consent-forms).
 * A caseworker picks "Nigerian Pidgin (pcm)" instead of typing a code. Where the server lacks the endpoint the
 * pickers fall back to typing codes, as before. The same language picker serves the new referral (her languages),
 * the directory search (one language) and the organisation's profile (the languages it works in).
 */
import { useEffect, useId, useState } from 'react';
import type { Api } from './api';
import { useI18n } from './i18n';
import { languageLabel, offeredMatches, unnamed } from './languages';
import type { ConsentFormListing, Language } from './types';
import { Field, csv } from './ui';

/** Languages: chosen ones with a remove button each, and a search whose matches add one (at most `max`). */
export function LanguagePicker({
  api,
  available,
  label,
  value,
  onChange,
  error,
  required,
  max = 10,
}: {
  api: Api;
  available: boolean;
  label: string;
  value: Language[];
  onChange: (languages: Language[]) => void;
  error?: string;
  required?: boolean;
  max?: number;
}) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [found, setFound] = useState<Language[]>([]);
  const joined = value.map((l) => l.code).join(', ');
  const [codes, setCodes] = useState(joined);
  const [shown, setShown] = useState(joined);
  // typed codes follow a value set from outside (a profile that loads, a search that resets); typing itself
  // changes the value to what the text already says, so the text (with its trailing comma) stays as typed
  if (joined !== shown) {
    setShown(joined);
    if (csv(codes).join(', ') !== joined) setCodes(joined);
  }

  useEffect(() => {
    const q = text.trim();
    if (!available || q.length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api
        .get<Language[]>('/api/v1/languages?limit=12&q=' + encodeURIComponent(q))
        .then(({ body }) => live && setFound(body))
        .catch(() => live && setFound([]));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, available, text]);

  if (!available) {
    return (
      <Field label={label + ' (ISO 639-3)'} error={error} required={required}>
        {(p) => (
          <input
            {...p}
            value={codes}
            maxLength={max * 5}
            autoComplete="off"
            onChange={(e) => {
              setCodes(e.target.value);
              onChange(csv(e.target.value).map(unnamed));
            }}
          />
        )}
      </Field>
    );
  }

  const offered = offeredMatches(found, value);
  return (
    <fieldset
      className={'field' + (error ? ' field-invalid' : '')}
      aria-describedby={error ? id + '-error' : undefined}
    >
      <legend>
        {label}
        {required && <span className="required"> ({t('app.required')})</span>}
      </legend>
      {value.length > 0 ? (
        <ul className="chosen">
          {value.map((l) => (
            <li key={l.code}>
              {languageLabel(l)}{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => onChange(value.filter((x) => x.code !== l.code))}
              >
                {t('pick.remove', { name: languageLabel(l) })}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t('pick.noLanguage')}</p>
      )}
      {value.length < max && (
        <>
          <label htmlFor={id + '-q'}>{t('pick.findLanguage')}</label>
          <input
            id={id + '-q'}
            value={text}
            maxLength={60}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-controls={id + '-found'}
            onChange={(e) => setText(e.target.value)}
          />
          <ul id={id + '-found'} className="found" aria-live="polite" aria-label={t('pick.matches')}>
            {offered.map((l) => (
              <li key={l.code}>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    onChange([...value, l]);
                    setText('');
                  }}
                >
                  {t('pick.add', { name: languageLabel(l) })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p className="error" id={id + '-error'}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The forms referral-service offers, or null while loading or where the server does not list them. */
export function useConsentForms(api: Api, available: boolean): ConsentFormListing[] | null {
  const [forms, setForms] = useState<ConsentFormListing[] | null>(null);
  useEffect(() => {
    if (!available) return;
    let live = true;
    api
      .get<ConsentFormListing[]>('/api/v1/consent-forms')
      .then(({ body }) => live && setForms(body))
      .catch(() => live && setForms(null));
    return () => {
      live = false;
    };
  }, [api, available]);
  return forms;
}

/** The consent form's version (current first) and its language, from the forms the server has. */
export function ConsentFormPicker({
  forms,
  version,
  language,
  onChange,
  versionError,
  languageError,
}: {
  forms: ConsentFormListing[] | null;
  version: string;
  language: string;
  onChange: (version: string, language: string) => void;
  versionError?: string;
  languageError?: string;
}) {
  const { t } = useI18n();
  if (!forms || forms.length === 0) {
    return (
      <div className="row">
        <Field label={t('ref.consent.formLanguage') + ' (ISO 639-3)'} error={languageError} required>
          {(p) => (
            <input
              {...p}
              value={language}
              maxLength={3}
              onChange={(e) => onChange(version, e.target.value.trim().toLowerCase())}
            />
          )}
        </Field>
        <Field label={t('ref.consent.formVersion')} error={versionError} required>
          {(p) => <input {...p} value={version} maxLength={32} onChange={(e) => onChange(e.target.value, language)} />}
        </Field>
      </div>
    );
  }
  const versions = [...new Set(forms.map((f) => f.version))].sort((a, b) => {
    const current = (v: string) => forms.some((f) => f.version === v && f.current);
    return Number(current(b)) - Number(current(a)) || b.localeCompare(a);
  });
  const ofVersion = forms.filter((f) => f.version === version);
  return (
    <div className="row">
      <Field label={t('ref.consent.formVersion')} error={versionError} required>
        {(p) => (
          <select
            {...p}
            value={version}
            onChange={(e) => {
              const v = e.target.value;
              const same = forms.some((f) => f.version === v && f.language === language);
              onChange(v, same ? language : (forms.find((f) => f.version === v)?.language ?? language));
            }}
          >
            {versions.map((v) => (
              <option key={v} value={v}>
                {forms.some((f) => f.version === v && f.current) ? t('pick.currentVersion', { version: v }) : v}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('ref.consent.formLanguage')} error={languageError} required>
        {(p) => (
          <select {...p} value={language} onChange={(e) => onChange(version, e.target.value)}>
            {ofVersion.map((f) => (
              <option key={f.language} value={f.language}>
                {languageLabel({ code: f.language, name: f.languageName })}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
