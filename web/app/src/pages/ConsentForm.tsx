import { useEffect, useState } from 'react';
import { DICTS, type Lang } from '../i18n';
import { useApp } from '../ui';

/** ISO 639-3 codes of the languages the printable form exists in. */
const FORM_LANGS: Record<string, Lang> = { eng: 'en', deu: 'de', ger: 'de' };

const TEXT: Record<
  Lang,
  {
    title: string;
    intro: (org: string) => string;
    purposes: string;
    categories: string;
    until: (d: string) => string;
    free: string;
    withdraw: string;
    police: string;
    sign: string;
    date: string;
    interpreter: string;
    other: string;
  }
> = {
  en: {
    title: 'Consent to a referral',
    intro: (org) => `I agree that my caseworker refers me to ${org || 'the organisation named by my caseworker'}.`,
    purposes: 'I agree to',
    categories: 'These kinds of information about me may be shared',
    until: (d) => `My consent is valid until ${d}.`,
    free: 'I give this consent freely. I can say no, and I will still receive support.',
    withdraw: 'I can withdraw my consent at any time. Then the receiving organisation deletes my file.',
    police: 'My consent and my support do not depend on whether I talk to the police.',
    sign: 'Signature of the survivor',
    date: 'Date',
    interpreter: 'Interpreter (if present)',
    other: 'This form is not yet available in the chosen language: the interpreter reads it to her in her language.',
  },
  de: {
    title: 'Einwilligung in eine Vermittlung',
    intro: (org) =>
      `Ich bin einverstanden, dass meine Beraterin mich an ${org || 'die von ihr genannte Organisation'} vermittelt.`,
    purposes: 'Ich willige ein in',
    categories: 'Diese Arten von Informationen über mich dürfen weitergegeben werden',
    until: (d) => `Meine Einwilligung gilt bis zum ${d}.`,
    free: 'Ich gebe diese Einwilligung freiwillig. Ich kann Nein sagen und werde trotzdem unterstützt.',
    withdraw: 'Ich kann meine Einwilligung jederzeit widerrufen. Dann löscht die empfangende Organisation meine Akte.',
    police: 'Meine Einwilligung und meine Unterstützung hängen nicht davon ab, ob ich mit der Polizei spreche.',
    sign: 'Unterschrift der Überlebenden',
    date: 'Datum',
    interpreter: 'Dolmetscherin (falls anwesend)',
    other: '',
  },
};

/** A consent form text as referral-service serves it (GET /api/v1/consent-forms/{version}/{language}). */
interface ServerForm {
  language: string;
  languageName: string;
  needsNativeReview: boolean;
  direction: string;
  title: string;
  intro: string;
  voluntary: string;
  recipientsHeading: string;
  purposesHeading: string;
  purposes: Record<string, string>;
  categoriesHeading: string;
  categoriesInstruction: string;
  categories: Record<string, string>;
  withdrawal: string;
  expiry: string;
  expiryLabel: string;
  interpreterQuestion: string;
  yes: string;
  no: string;
  signatureSurvivor: string;
  signatureCaseworker: string;
  dateLabel: string;
  footer: string;
}

interface Props {
  formLanguage: string;
  receiverName: string;
  purposes: string[];
  categories: string[];
  expiresAt: string;
  formVersion: string;
  interpreter?: boolean;
}

/** The reviewed form text from the server, in her language; every category listed to tick. */
function ServerConsentForm({ f, ...props }: Props & { f: ServerForm }) {
  return (
    <article
      className="print-only consent-form"
      lang={f.language}
      dir={f.direction === 'rtl' ? 'rtl' : 'ltr'}
      aria-hidden="true"
    >
      <h1>{f.title}</h1>
      <p>{f.intro}</p>
      <p>
        <strong>{f.voluntary}</strong>
      </p>
      <h2>{f.recipientsHeading}</h2>
      <p>{props.receiverName}</p>
      <h2>{f.purposesHeading}</h2>
      <ul>
        {props.purposes.map((p) => (
          <li key={p}>{f.purposes[p] ?? p}</li>
        ))}
      </ul>
      <h2>{f.categoriesHeading}</h2>
      <p>{f.categoriesInstruction}</p>
      <ul className="tick">
        {Object.entries(f.categories).map(([c, text]) => (
          <li key={c}>
            {props.categories.includes(c) ? '☒' : '☐'} {text}
          </li>
        ))}
      </ul>
      <p>{f.withdrawal}</p>
      <p>
        {f.expiry} {f.expiryLabel}: {props.expiresAt}
      </p>
      <p>
        {f.interpreterQuestion}: {props.interpreter ? '☒' : '☐'} {f.yes} {props.interpreter ? '☐' : '☒'} {f.no}
      </p>
      <p className="signature">
        {f.signatureSurvivor}: ____________________ &nbsp; {f.dateLabel}: ____________
      </p>
      <p className="signature">{f.signatureCaseworker}: ____________________</p>
      <p className="small">
        {f.footer} · Tandem {props.formVersion} · {f.language}
      </p>
    </article>
  );
}

/**
 * The consent form in the survivor's language, shown only when printed: the server's reviewed text where
 * referral-service offers it in that language, else the built-in English or German text.
 */
export function ConsentForm(props: Props) {
  const { apis, can } = useApp();
  const [server, setServer] = useState<ServerForm | null>(null);
  useEffect(() => {
    setServer(null);
    if (
      !can('GET /api/v1/consent-forms/{version}/{language}') ||
      !/^[a-z]{3}$/.test(props.formLanguage) ||
      !/^[A-Za-z0-9._-]{1,32}$/.test(props.formVersion)
    )
      return;
    apis.referral
      .get<ServerForm>(`/api/v1/consent-forms/${props.formVersion}/${props.formLanguage}`)
      .then((a) => setServer(a.body))
      .catch(() => setServer(null));
  }, [apis, can, props.formLanguage, props.formVersion]);
  if (server) return <ServerConsentForm f={server} {...props} />;
  return <BuiltInConsentForm {...props} />;
}

function BuiltInConsentForm(props: Props) {
  const lang = FORM_LANGS[props.formLanguage] ?? 'en';
  const x = TEXT[lang];
  const d = DICTS[lang];
  return (
    <article className="print-only consent-form" lang={lang} aria-hidden="true">
      <h1>{x.title}</h1>
      {!FORM_LANGS[props.formLanguage] && (
        <p>
          <em>{x.other}</em>
        </p>
      )}
      <p>{x.intro(props.receiverName)}</p>
      <h2>{x.purposes}</h2>
      <ul>
        {props.purposes.map((p) => (
          <li key={p}>{d[p]}</li>
        ))}
      </ul>
      <h2>{x.categories}</h2>
      <ul>
        {props.categories.map((c) => (
          <li key={c}>{d[c]}</li>
        ))}
      </ul>
      <p>{x.until(props.expiresAt)}</p>
      <p>{x.free}</p>
      <p>{x.withdraw}</p>
      <p>
        <strong>{x.police}</strong>
      </p>
      <p className="signature">
        {x.sign}: ____________________ &nbsp; {x.date}: ____________
      </p>
      <p className="signature">{x.interpreter}: ____________________</p>
      <p className="small">
        Tandem · {props.formVersion} · {props.formLanguage}
      </p>
    </article>
  );
}
