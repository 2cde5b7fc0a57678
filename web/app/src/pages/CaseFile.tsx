import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { JWK } from 'jose';
import { ApiProblem } from '../api';
import { useI18n } from '../i18n';
import {
  CaseFileError,
  currentKey,
  download,
  keyFingerprint,
  openCaseFile,
  openPrivateKeys,
  passableCategories,
  passOnCaseFile,
  sealCaseFile,
  type CaseFileMeta,
  signDeletionReceipt,
} from '../crypto';
import { useOrganisation } from '../orgs';
import { Check, Field, Group, Status, useApp, useRun } from '../ui';
import type { Referral } from '../types';

const CASE_FILE = '/api/v1/referrals/{id}/case-file';
const STATUS = '/api/v1/referrals/{id}/case-file/status';
const KEYS = '/api/v1/organisations/{id}/keys';
/** The largest document the browser seals: signed and encrypted, it grows by about 16/9, under the hub's 8 MiB. */
const MAX_PLAINTEXT = 4 * 1024 * 1024;

/** What either party sees about the file (GET .../case-file/status): metadata, never content. */
interface FileStatus {
  sizeBytes: number;
  dataCategories: string[];
  receiverKid: string;
  uploadedAt: string;
  firstReleasedAt?: string | null;
  releaseCount: number;
  shreddedAt?: string | null;
  deletionReceipt?: {
    status: 'NOT_REQUIRED' | 'MISSING' | 'RECEIVED';
    purgedAt?: string | null;
    signerKid?: string | null;
  };
}

interface Opened {
  text: string | null;
  bytes: Uint8Array;
  signedBy: string;
  categories: string[];
}

/**
 * The file her organisation received with the referral an onward referral continues, opened in this browser to be
 * passed on: its content, what it declared, and the key file's keys, kept in this tab's memory until it is sealed
 * again or she cancels.
 */
interface Received {
  text: string | null;
  bytes: Uint8Array;
  meta: CaseFileMeta;
  keys: JWK[];
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The case file. The sender's caseworker signs it with her organisation's private signature key and
 * encrypts it to the receiver's published encryption key, in this browser; only the JWE is uploaded
 * (POST .../case-file). After acceptance the receiver's caseworker fetches the JWE, decrypts it with her
 * organisation's private key and verifies the sender's signature against the sender's published keys,
 * also in this browser. Both private keys come from the passphrase-protected key file of the Keys page.
 */
export function CaseFile({ referral: r }: { referral: Referral }) {
  const { t, date } = useI18n();
  const { apis, can } = useApp();
  const [content, setContent] = useState('');
  const [doc, setDoc] = useState<File | null>(null);
  const [categories, setCategories] = useState<string[]>(r.consent?.dataCategories ?? []);
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [opened, setOpened] = useState<Opened | null>(null);
  const [status, setStatus] = useState<FileStatus | null | undefined>(undefined);
  // passing on the file of the referral this onward referral continues (docs/web.md, "Passing her file on")
  const [received, setReceived] = useState<Received | null>(null);
  const [passText, setPassText] = useState('');
  const [passDoc, setPassDoc] = useState<File | null>(null);
  const [passCategories, setPassCategories] = useState<string[]>([]);
  const [removed, setRemoved] = useState(false);
  const { busy, problem, success, setProblem, run } = useRun();
  const senderOrg = useOrganisation(apis.registry, r.yourRole === 'RECEIVER' ? r.senderOrganisationId : null);
  const sender = r.yourRole === 'SENDER';
  const path = '/api/v1/referrals/' + r.id + '/case-file';
  const available = can('POST ' + CASE_FILE) && can('GET ' + CASE_FILE) && can('GET ' + KEYS);

  const loadStatus = useCallback(() => {
    if (!can('GET ' + STATUS)) return;
    apis.referral
      .get<FileStatus>(path + '/status')
      .then((a) => setStatus(a.body))
      .catch((e) => setStatus(e instanceof ApiProblem && e.status === 404 ? null : undefined));
  }, [apis, can, path]);
  // again whenever the referral moves on (its status or version): the hub may have released or destroyed the file
  const { status: referralStatus, version: referralVersion } = r;
  useEffect(() => loadStatus(), [loadStatus, referralStatus, referralVersion]);

  // before she types anything: can the file be encrypted to the receiver at all?
  // and which key will it be encrypted to: its fingerprint, to confirm by phone with the receiver (docs/web.md)
  const [receiverHasKey, setReceiverHasKey] = useState(true);
  const [receiverKey, setReceiverKey] = useState<{ kid: string; fingerprint: string } | null>(null);
  const mayUpload = r.yourRole === 'SENDER' && status === null;
  const showReceiverKey = useCallback((keys: JWK[]) => {
    const enc = currentKey(keys, 'enc');
    return keyFingerprint(enc).then((fingerprint) => setReceiverKey({ kid: enc.kid ?? '', fingerprint }));
  }, []);
  useEffect(() => {
    if (!mayUpload || !can('GET ' + KEYS)) return;
    apis.registry
      .get<{ keys: JWK[] }>('/api/v1/organisations/' + r.receiverOrganisationId + '/keys')
      .then((a) => {
        try {
          setReceiverHasKey(true);
          return showReceiverKey(a.body.keys);
        } catch {
          setReceiverHasKey(false);
        }
      })
      .catch(() => setReceiverHasKey(true)); // the upload will say what is wrong
  }, [apis, can, mayUpload, r.receiverOrganisationId, showReceiverKey]);

  const publicKeys = async (org: string) =>
    (await apis.registry.get<{ keys: JWK[] }>('/api/v1/organisations/' + org + '/keys')).body.keys;

  /** A failure of the crypto in this browser as words for her; the passphrase and key-file ones also next to their field. */
  const explain = (e: unknown): unknown => {
    if (!(e instanceof CaseFileError)) return e;
    if (e.code === 'passphrase') setLocal({ passphrase: t('file.err.passphrase') });
    if (e.code === 'keyFile') setLocal({ keyFile: t('file.err.keyFile') });
    const kid = /\(([^)]+)\)/.exec(e.message)?.[1] ?? '';
    return new Error(t('file.err.' + e.code, { kid, field: e.field ?? '' }));
  };

  /** Runs a step that needs the key file; the passphrase is forgotten as soon as it is read. */
  const withKeys = (e: FormEvent, step: (keys: JWK[]) => Promise<string>) => {
    e.preventDefault();
    const phrase = passphrase;
    setPassphrase('');
    setLocal({});
    if (!keyFile || !phrase) {
      setLocal({
        ...(!keyFile ? { keyFile: t('app.required') } : {}),
        ...(!phrase ? { passphrase: t('app.required') } : {}),
      });
      setProblem(t('app.formErrors'));
      return;
    }
    return run(async () => {
      try {
        return await step(await openPrivateKeys(await keyFile.text(), phrase));
      } catch (err) {
        throw explain(err);
      }
    });
  };

  const upload = (e: FormEvent) => {
    if (!doc && !content.trim()) {
      e.preventDefault();
      setLocal({ content: t('file.empty') });
      setProblem(t('app.formErrors'));
      return;
    }
    if (doc && doc.size > MAX_PLAINTEXT) {
      e.preventDefault();
      setLocal({ doc: t('file.tooLarge') });
      setProblem(t('app.formErrors'));
      return;
    }
    if (categories.length === 0) {
      e.preventDefault();
      setLocal({ categories: t('app.required') });
      setProblem(t('app.formErrors'));
      return;
    }
    return withKeys(e, async (mine) => {
      const bytes = doc ? new Uint8Array(await doc.arrayBuffer()) : new TextEncoder().encode(content);
      const receiverKeys = await publicKeys(r.receiverOrganisationId);
      let jwe: string;
      try {
        jwe = await sealCaseFile(
          bytes,
          {
            referralId: r.id,
            dataCategories: categories,
            sender: r.senderOrganisationId,
            receiver: r.receiverOrganisationId,
          },
          mine,
          receiverKeys,
          receiverKey?.kid,
        );
      } catch (err) {
        // the receiver's key changed since it was shown: show the new fingerprint, seal nothing
        if (err instanceof CaseFileError && err.code === 'keyChanged') await showReceiverKey(receiverKeys);
        throw err;
      }
      const a = await apis.referral.post<FileStatus>(path, { jwe });
      setStatus(a.body);
      setContent('');
      setDoc(null);
      return t('file.uploaded');
    });
  };

  const decrypt = (e: FormEvent) =>
    withKeys(e, async (mine) => {
      setOpened(null);
      // a key file that cannot open it is said before the file is fetched (every fetch is a release the hub audits)
      if (status && !mine.some((k) => k.use === 'enc' && k.kid === status.receiverKid)) {
        throw new CaseFileError(
          'otherKey',
          'the file is encrypted to a key (' + status.receiverKid + ') that is not in this key file',
          'jwe.header.kid',
        );
      }
      const { jwe } = (await apis.referral.get<{ jwe: string }>(path)).body;
      loadStatus(); // the hub counted this release
      const file = await openCaseFile(
        jwe,
        { referralId: r.id, sender: r.senderOrganisationId, receiver: r.receiverOrganisationId },
        mine,
        await publicKeys(r.senderOrganisationId),
      );
      setOpened({
        text: utf8(file.plaintext),
        bytes: file.plaintext,
        signedBy: file.signedBy,
        categories: file.meta.dataCategories,
      });
      return t('file.verified');
    });

  /**
   * Passing her file on, step 1: the file her organisation received with the referral this one continues is fetched
   * and opened here with her organisation's key file, and its sender's signature verified, as on that referral.
   */
  const onwardFrom = r.onwardFrom;
  const consented: readonly string[] = r.consent?.dataCategories ?? [];
  const openReceived = (e: FormEvent) =>
    withKeys(e, async (mine) => {
      if (!onwardFrom) return '';
      const earlier = (await apis.referral.get<Referral>('/api/v1/referrals/' + onwardFrom)).body;
      let jwe: string;
      try {
        jwe = (await apis.referral.get<{ jwe: string }>('/api/v1/referrals/' + onwardFrom + '/case-file')).body.jwe;
      } catch (err) {
        if (err instanceof ApiProblem && err.status === 404 && !err.notAvailable)
          throw new Error(t('file.passOn.none'), { cause: err });
        throw err;
      }
      const file = await openCaseFile(
        jwe,
        {
          referralId: earlier.id,
          sender: earlier.senderOrganisationId,
          receiver: earlier.receiverOrganisationId,
        },
        mine,
        await publicKeys(earlier.senderOrganisationId),
      );
      const text = utf8(file.plaintext);
      setReceived({ text, bytes: file.plaintext, meta: file.meta, keys: mine });
      setPassText(text ?? '');
      setPassDoc(null);
      setPassCategories(passableCategories(file.meta.dataCategories, consented));
      setRemoved(false);
      return t('file.passOn.opened');
    });

  const forgetReceived = () => {
    setReceived(null);
    setPassText('');
    setPassDoc(null);
    setRemoved(false);
  };

  /**
   * Step 2: what may go on (the categories of the received file that her consent for the next organisation covers),
   * signed by her organisation and encrypted to the next organisation's current key here, then uploaded to this
   * onward referral like any file. The hub never sees the plaintext.
   */
  const passOn = (e: FormEvent) => {
    e.preventDefault();
    if (!received) return;
    const dropped = received.meta.dataCategories.filter((c) => !passCategories.includes(c));
    const found: Record<string, string> = {};
    if (passCategories.length === 0) found.passCategories = t('app.required');
    if (received.text !== null && !passText.trim()) found.passContent = t('file.empty');
    if (received.text === null && dropped.length > 0 && !passDoc) found.passDoc = t('file.passOn.documentPart');
    if (passDoc && passDoc.size > MAX_PLAINTEXT) found.passDoc = t('file.tooLarge');
    if (dropped.length > 0 && !removed) found.removed = t('app.required');
    setLocal(found);
    if (Object.keys(found).length) {
      setProblem(t('app.formErrors'));
      return;
    }
    return run(async () => {
      try {
        const bytes = passDoc
          ? new Uint8Array(await passDoc.arrayBuffer())
          : received.text !== null
            ? new TextEncoder().encode(passText)
            : received.bytes;
        const nextKeys = await publicKeys(r.receiverOrganisationId);
        let jwe: string;
        try {
          jwe = await passOnCaseFile(
            received.meta,
            bytes,
            passCategories,
            { referralId: r.id, holder: r.senderOrganisationId, nextReceiver: r.receiverOrganisationId },
            received.keys,
            nextKeys,
            receiverKey?.kid,
          );
        } catch (err) {
          if (err instanceof CaseFileError && err.code === 'keyChanged') await showReceiverKey(nextKeys);
          throw err;
        }
        const a = await apis.referral.post<FileStatus>(path, { jwe });
        setStatus(a.body);
        forgetReceived();
        return t('file.passOn.done');
      } catch (err) {
        throw explain(err);
      }
    });
  };

  /** After she withdrew her consent: the receiver confirms that no copy is left, with a receipt signed in this browser. */
  const confirmPurge = (e: FormEvent) =>
    withKeys(e, async (mine) => {
      setOpened(null);
      const receipt = await signDeletionReceipt(r.receiverOrganisationId, r.id, new Date(), mine);
      const a = await apis.referral.postText<FileStatus>(path + '/deletion-receipt', receipt, 'application/jose');
      setStatus(a.body);
      return t('file.receipt.sent');
    });

  const consentCovers = !!r.consent && r.consent.purposes.includes('CASE_TRANSFER') && !r.consent.withdrawnAt;
  const uploadable = sender && ['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'ACCEPTED', 'IN_PROGRESS'].includes(r.status);
  const released = !sender && ['ACCEPTED', 'IN_PROGRESS', 'COMPLETED'].includes(r.status);
  const waiting = !sender && ['SUBMITTED', 'ACKNOWLEDGED'].includes(r.status);
  const hasFile = !!status && !status.shreddedAt;
  const owesReceipt = !sender && r.status === 'WITHDRAWN' && status?.deletionReceipt?.status === 'MISSING';
  useEffect(() => {
    if (!released) setOpened(null);
  }, [released]);
  if (!uploadable && !released && !waiting && !status) return null;
  if (waiting && !hasFile) return null;

  const keyFields = (label: string) => (
    <>
      <Field label={label} error={local.keyFile} required>
        {(p) => (
          <input
            {...p}
            type="file"
            accept=".jwe,.txt,application/jose"
            onChange={(e) => setKeyFile(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <Field label={t('file.passphrase')} error={local.passphrase} required>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        )}
      </Field>
    </>
  );

  const fingerprint = receiverKey && (
    <div className="panel" data-receiver-key={receiverKey.kid}>
      <p>{t('file.receiverFingerprint', { kid: receiverKey.kid })}</p>
      <p>
        <code className="fingerprint" data-receiver-fingerprint="">
          {receiverKey.fingerprint}
        </code>
      </p>
      <p className="hint">{t('file.checkFingerprint')}</p>
    </div>
  );
  const mayPassOn = available && uploadable && status === null && receiverHasKey && consentCovers && !!onwardFrom;
  const dropped = received ? received.meta.dataCategories.filter((c) => !passCategories.includes(c)) : [];
  const notCovered = received ? received.meta.dataCategories.filter((c) => !consented.includes(c)) : [];
  const passable = received ? passableCategories(received.meta.dataCategories, consented) : [];

  return (
    <section aria-labelledby="file-h" className="case-file">
      <h2 id="file-h">{t('file.title')}</h2>
      <Status problem={problem} success={success} />
      {!available && <p className="notice">{t('file.notAvailable')}</p>}
      {status && (
        <dl className="review" data-case-file="status">
          <dt>{t('file.attached')}</dt>
          <dd>{status.dataCategories.map((c) => t(c)).join(', ')}</dd>
          <dt>{t('file.uploadedAt')}</dt>
          <dd>{date(status.uploadedAt)}</dd>
          <dt>{t('file.size')}</dt>
          <dd>{status.sizeBytes.toLocaleString()} B</dd>
          <dt>{t('file.receiverKey')}</dt>
          <dd>
            <code>{status.receiverKid}</code>
          </dd>
          <dt>{t('file.releases')}</dt>
          <dd>
            {status.firstReleasedAt
              ? t('file.releasesCount', { n: status.releaseCount, when: date(status.firstReleasedAt) })
              : t('file.notFetched')}
          </dd>
          {status.shreddedAt && (
            <>
              <dt>{t('file.destroyed')}</dt>
              <dd>{date(status.shreddedAt)}</dd>
            </>
          )}
          {status.deletionReceipt && status.deletionReceipt.status !== 'NOT_REQUIRED' && (
            <>
              <dt>{t('file.receipt')}</dt>
              <dd>
                {status.deletionReceipt.status === 'RECEIVED' && status.deletionReceipt.purgedAt
                  ? t('file.receipt.received', { when: date(status.deletionReceipt.purgedAt) })
                  : t('file.receipt.missing')}
              </dd>
            </>
          )}
        </dl>
      )}
      {available && waiting && <p className="hint">{t('file.afterAcceptance')}</p>}
      {available && uploadable && status === null && !receiverHasKey && (
        <p className="notice">{t('file.err.noReceiverKey')}</p>
      )}
      {mayPassOn && (
        <div className="panel pass-on" data-pass-on="">
          <h3>{t('file.passOn.title')}</h3>
          {!received ? (
            <form noValidate onSubmit={openReceived}>
              <p className="hint">{t('file.passOn.hint')}</p>
              {keyFields(t('file.passOn.keyFile'))}
              <button type="submit" disabled={busy}>
                {t('file.passOn.open')}
              </button>
            </form>
          ) : (
            <form noValidate onSubmit={passOn}>
              <p data-pass-on="received">
                {t('file.passOn.received', {
                  categories: received.meta.dataCategories.map((c) => t(c)).join(', '),
                })}
              </p>
              {notCovered.length > 0 && (
                <p className="notice" data-pass-on="not-covered">
                  {t('file.passOn.notCovered', { categories: notCovered.map((c) => t(c)).join(', ') })}
                </p>
              )}
              {passable.length === 0 ? (
                <p className="notice">{t('file.passOn.nothing')}</p>
              ) : (
                <>
                  {received.text !== null ? (
                    <Field label={t('file.passOn.content')} error={local.passContent}>
                      {(p) => (
                        <textarea
                          {...p}
                          rows={8}
                          value={passText}
                          maxLength={200000}
                          onChange={(e) => setPassText(e.target.value)}
                        />
                      )}
                    </Field>
                  ) : (
                    <p>{t('file.binary', { n: received.bytes.length })}</p>
                  )}
                  {(received.text === null || passDoc) && (
                    <Field label={t('file.passOn.document')} error={local.passDoc}>
                      {(p) => <input {...p} type="file" onChange={(e) => setPassDoc(e.target.files?.[0] ?? null)} />}
                    </Field>
                  )}
                  <Group legend={t('file.passOn.categories')} error={local.passCategories}>
                    {passable.map((c) => (
                      <Check
                        key={c}
                        label={t(c)}
                        checked={passCategories.includes(c)}
                        onChange={(on) =>
                          setPassCategories(on ? [...passCategories, c] : passCategories.filter((x) => x !== c))
                        }
                      />
                    ))}
                  </Group>
                  {dropped.length > 0 && (
                    <Group legend={t('file.passOn.removedLegend')} error={local.removed}>
                      <Check
                        label={t('file.passOn.removed', { categories: dropped.map((c) => t(c)).join(', ') })}
                        checked={removed}
                        onChange={(on) => {
                          setRemoved(on);
                          // ticked: the message that asked for it goes, and the form's summary with it if it was the last
                          if (on && local.removed) {
                            const { removed: _, ...rest } = local;
                            setLocal(rest);
                            if (Object.keys(rest).length === 0) setProblem(null);
                          }
                        }}
                      />
                    </Group>
                  )}
                  {fingerprint}
                  <button type="submit" disabled={busy}>
                    {t('file.passOn.send')}
                  </button>
                </>
              )}
              <button type="button" className="secondary" onClick={forgetReceived}>
                {t('app.cancel')}
              </button>
            </form>
          )}
        </div>
      )}
      {available &&
        uploadable &&
        status === null &&
        receiverHasKey &&
        !received &&
        (consentCovers ? (
          <form noValidate onSubmit={upload}>
            <p className="hint">{t('file.plaintextNote')}</p>
            <Field label={t('file.content')} error={local.content}>
              {(p) => (
                <textarea
                  {...p}
                  rows={6}
                  value={content}
                  maxLength={200000}
                  onChange={(e) => setContent(e.target.value)}
                />
              )}
            </Field>
            <Field label={t('file.orDocument')} error={local.doc}>
              {(p) => <input {...p} type="file" onChange={(e) => setDoc(e.target.files?.[0] ?? null)} />}
            </Field>
            <Group legend={t('file.categories')} error={local.categories}>
              {(r.consent?.dataCategories ?? []).map((c) => (
                <Check
                  key={c}
                  label={t(c)}
                  checked={categories.includes(c)}
                  onChange={(on) => setCategories(on ? [...categories, c] : categories.filter((x) => x !== c))}
                />
              ))}
            </Group>
            {fingerprint}
            {keyFields(t('file.signingKey'))}
            <button type="submit" disabled={busy}>
              {t('file.encryptSend')}
            </button>
          </form>
        ) : (
          <p className="notice">{t('file.noConsent')}</p>
        ))}
      {available && released && status === null && <p className="hint">{t('file.noneYet')}</p>}
      {available && released && hasFile && (
        <form noValidate onSubmit={decrypt}>
          {keyFields(t('file.receiverKeyFile'))}
          <button type="submit" disabled={busy}>
            {t('file.decrypt')}
          </button>
        </form>
      )}
      {available && owesReceipt && (
        <form noValidate onSubmit={confirmPurge}>
          <p className="hint">{t('file.receipt.ask')}</p>
          {keyFields(t('file.receiptKeyFile'))}
          <button type="submit" disabled={busy}>
            {t('file.receipt.confirm')}
          </button>
        </form>
      )}
      {opened && (
        <div className="panel" data-case-file="opened">
          <p className="status status-ok">
            <span aria-hidden="true">✓ </span>
            {t('file.verifiedBy', {
              org: senderOrg?.name ?? r.senderOrganisationId,
              kid: opened.signedBy,
              categories: opened.categories.map((c) => t(c)).join(', '),
            })}
          </p>
          <h3>{t('file.decrypted')}</h3>
          {opened.text !== null ? (
            <pre className="case-file-content" tabIndex={0} aria-label={t('file.decrypted')}>
              {opened.text}
            </pre>
          ) : (
            <p>{t('file.binary', { n: opened.bytes.length })}</p>
          )}
          <button
            type="button"
            onClick={() =>
              download(
                'case-file-' + r.id.slice(0, 8) + (opened.text !== null ? '.txt' : '.bin'),
                opened.bytes,
                opened.text !== null ? 'text/plain;charset=utf-8' : 'application/octet-stream',
              )
            }
          >
            {t('file.save')}
          </button>
        </div>
      )}
    </section>
  );
}
