import { useState, type FormEvent } from 'react';
import type { JWK } from 'jose';
import { useI18n } from '../i18n';
import { openCaseFile, openPrivateKeys, sealCaseFile } from '../crypto';
import { Field, Status, useApp, useRun } from '../ui';
import type { Referral } from '../types';

const CASE_FILE = '/api/v1/referrals/{id}/case-file';
const KEYS = '/api/v1/organisations/{id}/keys';

async function readText(f: File | null): Promise<string> {
  if (!f) throw new Error('no file');
  return f.text();
}

/**
 * The case file: the sender encrypts and signs it in the browser to the receiver's published key; the
 * receiver, after acceptance, downloads the ciphertext, decrypts it and verifies the sender's signature.
 */
export function CaseFile({ referral: r }: { referral: Referral }) {
  const { t } = useI18n();
  const { apis, can } = useApp();
  const [content, setContent] = useState('');
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [opened, setOpened] = useState<string | null>(null);
  const { busy, problem, success, run } = useRun();
  const sender = r.yourRole === 'SENDER';
  const canUpload = can('PUT ' + CASE_FILE) && can('GET ' + KEYS);
  const canDownload = can('GET ' + CASE_FILE) && can('GET ' + KEYS);
  const path = '/api/v1/referrals/' + r.id + '/case-file';
  const publicKeys = async (org: string) => (await apis.registry.get<{ keys: JWK[] }>('/api/v1/organisations/' + org + '/keys')).body.keys;

  const upload = (e: FormEvent) => {
    e.preventDefault();
    const phrase = passphrase;
    setPassphrase('');
    return run(async () => {
      const mine = await openPrivateKeys(await readText(keyFile), phrase);
      const jwe = await sealCaseFile(new TextEncoder().encode(content), {
        referralId: r.id, dataCategories: r.consent?.dataCategories ?? [], sender: r.senderOrganisationId, receiver: r.receiverOrganisationId,
      }, mine, await publicKeys(r.receiverOrganisationId));
      await apis.referral.put(path, { jwe }, null);
      setContent('');
      return t('file.uploaded');
    });
  };

  const decrypt = (e: FormEvent) => {
    e.preventDefault();
    const phrase = passphrase;
    setPassphrase('');
    return run(async () => {
      const mine = await openPrivateKeys(await readText(keyFile), phrase);
      const { jwe } = (await apis.referral.get<{ jwe: string }>(path)).body;
      const { plaintext } = await openCaseFile(jwe, r.id, mine, await publicKeys(r.senderOrganisationId));
      setOpened(new TextDecoder().decode(plaintext));
      return t('file.verified');
    });
  };

  const keyFields = (
    <>
      <Field label={t('file.signingKey')} required>
        {(p) => <input {...p} type="file" accept=".jwe,.txt,application/jose" onChange={(e) => setKeyFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <Field label={t('file.passphrase')} required>
        {(p) => <input {...p} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
      </Field>
    </>
  );

  const uploadable = sender && ['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'ACCEPTED'].includes(r.status);
  const downloadable = !sender && ['ACCEPTED', 'IN_PROGRESS'].includes(r.status);
  if (!uploadable && !downloadable) return null;
  return (
    <section aria-labelledby="file-h" className="case-file">
      <h2 id="file-h">{t('file.title')}</h2>
      <Status problem={problem} success={success} />
      {uploadable && (canUpload ? (
        <form noValidate onSubmit={upload}>
          <p className="hint">{t('file.plaintextNote')}</p>
          <Field label={t('file.content')} required>
            {(p) => <textarea {...p} rows={6} value={content} maxLength={200000} onChange={(e) => setContent(e.target.value)} />}
          </Field>
          {keyFields}
          <button type="submit" disabled={busy}>{t('file.encryptSend')}</button>
        </form>
      ) : <p className="notice">{t('file.notAvailable')}</p>)}
      {downloadable && (canDownload ? (
        <form noValidate onSubmit={decrypt}>
          {keyFields}
          <button type="submit" disabled={busy}>{t('file.decrypt')}</button>
          {opened !== null && <pre className="case-file-content" tabIndex={0}>{opened}</pre>}
        </form>
      ) : <p className="notice">{t('file.notAvailable')}</p>)}
    </section>
  );
}
