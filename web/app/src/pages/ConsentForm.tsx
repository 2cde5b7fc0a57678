import { DICTS, type Lang } from '../i18n';

/** ISO 639-3 codes of the languages the printable form exists in. */
const FORM_LANGS: Record<string, Lang> = { eng: 'en', deu: 'de', ger: 'de' };

const TEXT: Record<Lang, { title: string; intro: (org: string) => string; purposes: string; categories: string; until: (d: string) => string; free: string; withdraw: string; police: string; sign: string; date: string; interpreter: string; other: string }> = {
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
    intro: (org) => `Ich bin einverstanden, dass meine Beraterin mich an ${org || 'die von ihr genannte Organisation'} vermittelt.`,
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

/** The consent form in the survivor's language, shown only when printed. */
export function ConsentForm(props: { formLanguage: string; receiverName: string; purposes: string[]; categories: string[]; expiresAt: string; formVersion: string }) {
  const lang = FORM_LANGS[props.formLanguage] ?? 'en';
  const x = TEXT[lang];
  const d = DICTS[lang];
  return (
    <article className="print-only consent-form" lang={lang} aria-hidden="true">
      <h1>{x.title}</h1>
      {!FORM_LANGS[props.formLanguage] && <p><em>{x.other}</em></p>}
      <p>{x.intro(props.receiverName)}</p>
      <h2>{x.purposes}</h2>
      <ul>{props.purposes.map((p) => <li key={p}>{d[p]}</li>)}</ul>
      <h2>{x.categories}</h2>
      <ul>{props.categories.map((c) => <li key={c}>{d[c]}</li>)}</ul>
      <p>{x.until(props.expiresAt)}</p>
      <p>{x.free}</p>
      <p>{x.withdraw}</p>
      <p><strong>{x.police}</strong></p>
      <p className="signature">{x.sign}: ____________________ &nbsp; {x.date}: ____________</p>
      <p className="signature">{x.interpreter}: ____________________</p>
      <p className="small">Tandem · {props.formVersion} · {props.formLanguage}</p>
    </article>
  );
}
