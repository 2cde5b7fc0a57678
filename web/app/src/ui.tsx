/** Accessible building blocks: every input has a label, errors are tied to it and announced. */
import { createContext, useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiProblem, type Apis } from './api';
import type { Session } from './auth';
import { useI18n } from './i18n';

export interface AppContext {
  session: Session;
  apis: Apis;
  can: (op: string) => boolean;
  /** every 'METHOD /path' the three services' OpenAPI documents list (path parameters as {}), with the service's base URL */
  caps: Map<string, string>;
}

export const Ctx = createContext<AppContext | null>(null);
export function useApp(): AppContext {
  const c = useContext(Ctx);
  if (!c) throw new Error('no app context');
  return c;
}

/** Error message for a field from a problem, or from a check in the browser. */
export function fieldError(problem: unknown, field: string, local?: Record<string, string>): string | undefined {
  if (local?.[field]) return local[field];
  return problem instanceof ApiProblem ? problem.forField(field) : undefined;
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  children: (props: {
    id: string;
    'aria-invalid'?: boolean;
    'aria-describedby'?: string;
    required?: boolean;
  }) => ReactNode;
}

export function Field({ label, error, hint, required, children }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const describedBy = [hint ? id + '-hint' : null, error ? id + '-error' : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={'field' + (error ? ' field-invalid' : '')}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required"> ({t('app.required')})</span>}
      </label>
      {hint && (
        <p className="hint" id={id + '-hint'}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, required })}
      {error && (
        <p className="error" id={id + '-error'}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes or radios with a legend, and its error. */
export function Group({ legend, error, children }: { legend: string; error?: string; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset
      className={'field' + (error ? ' field-invalid' : '')}
      aria-describedby={error ? id + '-error' : undefined}
    >
      <legend>{legend}</legend>
      <div className="options">{children}</div>
      {error && (
        <p className="error" id={id + '-error'}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function Check({
  label,
  checked,
  onChange,
  type = 'checkbox',
  name,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  type?: 'checkbox' | 'radio';
  name?: string;
}) {
  const id = useId();
  return (
    <span className="option">
      <input id={id} type={type} name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </span>
  );
}

/** A translation when the dictionary has one for the key, otherwise undefined. */
function worded(t: (key: string) => string, key: string): string | undefined {
  const s = t(key);
  return s === key ? undefined : s;
}

const fieldKey = (p: ApiProblem, field: string) => 'problem.' + p.type + '.' + field;

/**
 * A problem's detail in the user's language, for the refusals the dictionary words (i18n 'problem.<type>', or
 * 'problem.<type>@<field>' where the same type has several causes told apart by the field it names, such as
 * consent-required for her consent to return); undefined for any other, which is shown as the server words it.
 */
export function problemWords(p: ApiProblem, t: (key: string) => string): string | undefined {
  for (const e of p.errors) {
    const s = worded(t, 'problem.' + p.type + '@' + e.field);
    if (s) return s;
  }
  return worded(t, 'problem.' + p.type);
}

/**
 * The problem (or success) message at the top of a form, in a live region so that screen readers announce
 * it; it takes the focus when it shows an error.
 */
export function Status({ problem, success }: { problem?: unknown; success?: string | null }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem && ref.current) ref.current.focus();
  }, [problem]);
  let message: string | null = null;
  let list: { field: string; message: string }[] = [];
  if (problem instanceof ApiProblem) {
    if (problem.notAvailable) message = t('app.notAvailable');
    else if (problem.status === 0) message = t('app.unreachable');
    else if (problem.type === 'concurrent-change' || problem.type === 'etag-mismatch') message = t('ref.concurrent');
    else {
      // the refusals the app words itself, in her language; any other problem as the server words it
      const own = problemWords(problem, t);
      message = own ?? (problem.errors.length ? t('app.formErrors') : problem.detail || problem.title);
      list = problem.errors.map((e) => ({
        field: e.field,
        message: worded(t, fieldKey(problem, e.field)) ?? e.message,
      }));
    }
  } else if (problem instanceof Error) {
    message = problem.message;
  } else if (typeof problem === 'string') {
    message = problem;
  }
  return (
    <>
      <div
        ref={ref}
        tabIndex={-1}
        role="alert"
        aria-live="assertive"
        className={message ? 'status status-error' : 'visually-hidden'}
      >
        {message && <p>{message}</p>}
        {list.length > 0 && (
          <ul>
            {list.map((e) => (
              <li key={e.field}>
                <code>{e.field}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div role="status" aria-live="polite" className={success ? 'status status-ok' : 'visually-hidden'}>
        {success}
      </div>
    </>
  );
}

/** A page section that the server may not offer yet. */
export function Unavailable({ what }: { what?: string }) {
  const { t } = useI18n();
  return <p className="notice">{what ?? t('app.notAvailable')}</p>;
}

export function Page({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = title + ' · Tandem';
  }, [title]);
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}

export function csv(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/**
 * A form's request state: busy while it runs, then the problem it raised or the success message it
 * returned, for <Status>.
 */
export function useRun() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const run = async (f: () => Promise<string | void>) => {
    setBusy(true);
    setProblem(null);
    setSuccess(null);
    try {
      const message = await f();
      if (message) setSuccess(message);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, success, setProblem, setSuccess, run };
}
