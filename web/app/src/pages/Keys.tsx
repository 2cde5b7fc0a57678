import { useEffect, useState, type FormEvent } from 'react';
import type { JWK } from 'jose';
import { useI18n } from '../i18n';
import { download, generateOrgKeys, keyFingerprint, protectPrivateKeys, type OrgKeys } from '../crypto';
import { Field, Page, Status, Unavailable, useApp, useRun } from '../ui';

const KEYS = '/api/v1/organisations/{id}/keys';

/**
 * Keys are generated in this browser. The private keys are downloaded as a passphrase-protected JWE and
 * never sent anywhere; only the public keys are published to the directory. Rotation: generate and
 * publish a new pair; the directory keeps older public keys so that files already sent stay readable.
 */
export function Keys() {
  const { t, date } = useI18n();
  const { apis, session, can } = useApp();
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [keys, setKeys] = useState<OrgKeys | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const [published, setPublished] = useState<JWK[] | null>(null);
  const { busy, problem, success, setProblem, run } = useRun();
  const path = '/api/v1/organisations/' + session.organisationId + '/keys';
  const canRead = can('GET ' + KEYS);
  const canPublish = can('POST ' + KEYS) || can('PUT ' + KEYS);

  // each published key's fingerprint: senders see the same one before they encrypt to it and may call to confirm it
  const [fingerprints, setFingerprints] = useState<Record<string, string>>({});
  useEffect(() => {
    if (canRead)
      apis.registry
        .get<{ keys: JWK[] }>(path)
        .then((a) => setPublished(a.body.keys))
        .catch(setProblem);
  }, [apis, canRead, path, setProblem]);
  useEffect(() => {
    Promise.all((published ?? []).map(async (k) => [k.kid ?? '', await keyFingerprint(k)] as const))
      .then((pairs) => setFingerprints(Object.fromEntries(pairs)))
      .catch(setProblem);
  }, [published, setProblem]);

  const generate = async (e: FormEvent) => {
    e.preventDefault();
    const l: Record<string, string> = {};
    if (pass.length < 12) l.pass = t('keys.tooShort');
    else if (pass !== pass2) l.pass2 = t('keys.mismatch');
    setLocal(l);
    setProblem(Object.keys(l).length ? t('app.formErrors') : null);
    if (Object.keys(l).length) return;
    const phrase = pass;
    setPass('');
    setPass2('');
    await run(async () => {
      const k = await generateOrgKeys();
      const file = await protectPrivateKeys(k.privateKeys, phrase);
      download('tandem-private-keys-' + k.publicKeys[0].kid!.slice(0, 8) + '.jwe', file, 'application/jose');
      setKeys(k);
      setDownloaded(true);
      return t('keys.generated');
    });
  };

  const publish = () =>
    run(async () => {
      if (!keys) return;
      const a = can('POST ' + KEYS)
        ? await apis.registry.post<{ keys: JWK[] }>(path, { keys: keys.publicKeys })
        : await apis.registry.put<{ keys: JWK[] }>(path, { keys: keys.publicKeys }, null);
      setPublished(a.body?.keys ?? keys.publicKeys);
      setKeys(null);
      return t('keys.published');
    });

  return (
    <Page title={t('keys.title')}>
      <Status problem={problem} success={success} />
      <form noValidate onSubmit={generate} className="panel">
        <h2>{t('keys.generate')}</h2>
        <Field label={t('keys.passphrase')} error={local.pass} required>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={pass}
              onChange={(e) => setPass(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('keys.passphraseRepeat')} error={local.pass2} required>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={pass2}
              onChange={(e) => setPass2(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {t('keys.download')}
        </button>
      </form>
      {keys && downloaded && (
        <div className="panel">
          <ul className="plain">
            {keys.publicKeys.map((k) => (
              <li key={k.kid}>
                <code>{k.use}</code> · {k.alg} · <code>{k.kid}</code>
              </li>
            ))}
          </ul>
          {canPublish ? (
            <button type="button" disabled={busy} onClick={publish}>
              {t('keys.publish')}
            </button>
          ) : (
            <Unavailable />
          )}
        </div>
      )}
      <section aria-labelledby="pub-h">
        <h2 id="pub-h">{t('keys.current')}</h2>
        <p className="hint">{t('keys.rotation')}</p>
        <p className="hint">{t('keys.fingerprintHint')}</p>
        {!canRead ? (
          <Unavailable />
        ) : (
          <ul className="plain">
            {(published ?? []).map((k) => {
              const { nbf, exp } = k as JWK & { nbf?: number; exp?: number };
              return (
                <li key={k.kid}>
                  <code>{k.use}</code> · {k.alg} · <code>{k.kid}</code>
                  {nbf && <> · {t('keys.validFrom', { when: date(new Date(nbf * 1000).toISOString()) })}</>}
                  {exp && (
                    <>
                      {' '}
                      · <strong>{t('keys.validUntil', { when: date(new Date(exp * 1000).toISOString()) })}</strong>
                    </>
                  )}
                  {fingerprints[k.kid ?? ''] && (
                    <>
                      <br />
                      {t('keys.fingerprint')}{' '}
                      <code className="fingerprint" data-fingerprint-kid={k.kid}>
                        {fingerprints[k.kid ?? '']}
                      </code>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Page>
  );
}
