/**
 * crypto.ts against tandem-client's format, both ways: it opens a case file that tandem-client sealed at build
 * time (java-sealed.json, written by CaseFileFixture in src/test/java), and seals a file and signs a deletion
 * receipt that CaseFileFormatTest then opens and verifies with tandem-client (ts-sealed.json); and it passes the
 * file tandem-client sealed on to a next organisation, as the holder on a pathway does, for CaseFileFormatTest to
 * open with tandem-client too (ts-passed-on.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactEncrypt, decodeProtectedHeader, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CaseFileError,
  checkEnvelope,
  currentKey,
  generateOrgKeys,
  keyFingerprint,
  openCaseFile,
  openPrivateKeys,
  passableCategories,
  passOnCaseFile,
  PBES2_ITERATIONS,
  protectPrivateKeys,
  sealCaseFile,
  signDeletionReceipt,
} from '../src/crypto';

const FIXTURES = process.env.TANDEM_WEB_FIXTURES ?? join(process.cwd(), 'target', 'crypto-fixtures');

interface JavaFixture {
  referralId: string;
  sender: string;
  receiver: string;
  dataCategories: string[];
  content: string;
  jwe: string;
  senderPublicKeys: { keys: JWK[] };
  receiverPrivateKeys: { keys: JWK[] };
  fingerprints: Record<string, string>;
}

let java: JavaFixture;

beforeAll(() => {
  const file = join(FIXTURES, 'java-sealed.json');
  try {
    java = JSON.parse(readFileSync(file, 'utf8')) as JavaFixture;
  } catch {
    throw new Error(file + ' is missing: the Maven build writes it (CaseFileFixture) before it runs these tests');
  }
});

interface Onward {
  referralId: string;
  holder: string;
  nextReceiver: string;
}

const publicOnly = (keys: JWK[]) => keys.map(({ d, ...pub }) => (void d, pub));

async function rejection(p: Promise<unknown>): Promise<CaseFileError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CaseFileError);
  return e as CaseFileError;
}

describe('a case file sealed by tandem-client', () => {
  it('opens with the receiver key, and its signature verifies against the sender key', async () => {
    const opened = await openCaseFile(
      java.jwe,
      { referralId: java.referralId, sender: java.sender, receiver: java.receiver },
      java.receiverPrivateKeys.keys,
      java.senderPublicKeys.keys,
    );
    expect(new TextDecoder().decode(opened.plaintext)).toBe(java.content);
    expect(opened.meta.dataCategories).toEqual(java.dataCategories);
    expect(opened.meta.referralId).toBe(java.referralId);
    expect(opened.signedBy).toBe(currentKey(java.senderPublicKeys.keys, 'sig').kid);
  });

  it("passes the envelope checks and names the receiver's key", () => {
    const envelope = checkEnvelope(java.jwe);
    expect(envelope.kid).toBe(currentKey(publicOnly(java.receiverPrivateKeys.keys), 'enc').kid);
    expect(envelope.referralId).toBe(java.referralId);
  });

  it('has the same key fingerprints as tandem-client computes', async () => {
    const keys = [...java.senderPublicKeys.keys, ...java.receiverPrivateKeys.keys];
    const compared = Object.entries(java.fingerprints);
    expect(compared).toHaveLength(2);
    for (const [kid, fingerprint] of compared) {
      const key = keys.find((k) => k.kid === kid)!;
      expect(await keyFingerprint(key)).toBe(fingerprint);
    }
  });

  it('does not open for another referral, another key file or an unpublished sender key', async () => {
    const parties = { referralId: java.referralId, sender: java.sender, receiver: java.receiver };
    const other = await generateOrgKeys();
    expect(
      (
        await rejection(
          openCaseFile(
            java.jwe,
            { ...parties, referralId: crypto.randomUUID() },
            java.receiverPrivateKeys.keys,
            java.senderPublicKeys.keys,
          ),
        )
      ).code,
    ).toBe('declaration');
    expect((await rejection(openCaseFile(java.jwe, parties, other.privateKeys, java.senderPublicKeys.keys))).code).toBe(
      'otherKey',
    );
    expect(
      (await rejection(openCaseFile(java.jwe, parties, java.receiverPrivateKeys.keys, other.publicKeys))).code,
    ).toBe('unknownSender');
  });
});

describe('a case file sealed by crypto.ts', () => {
  it('is written for tandem-client to open (CaseFileFormatTest), and opens here too', async () => {
    const keys = await generateOrgKeys();
    const receiverPublic = publicOnly(java.receiverPrivateKeys.keys);
    const meta = {
      referralId: crypto.randomUUID(),
      sender: crypto.randomUUID(),
      receiver: crypto.randomUUID(),
      dataCategories: ['DOCUMENTS', 'CONTACT'],
    };
    const content = 'Tandem case-file fixture from crypto.ts: no personal data. Ünïcödé ✓';
    const expectedKid = currentKey(receiverPublic, 'enc').kid;
    const jwe = await sealCaseFile(
      new TextEncoder().encode(content),
      meta,
      keys.privateKeys,
      receiverPublic,
      expectedKid,
    );
    const purgedAt = new Date('2026-01-02T03:04:05Z');
    const receipt = await signDeletionReceipt(meta.sender, meta.referralId, purgedAt, keys.privateKeys);

    const opened = await openCaseFile(jwe, meta, java.receiverPrivateKeys.keys, keys.publicKeys);
    expect(new TextDecoder().decode(opened.plaintext)).toBe(content);
    expect(opened.meta.dataCategories).toEqual(['CONTACT', 'DOCUMENTS']);

    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(
      join(FIXTURES, 'ts-sealed.json'),
      JSON.stringify({
        ...meta,
        content,
        jwe,
        senderPublicKeys: { keys: keys.publicKeys },
        receipt,
        purgedAt: purgedAt.toISOString(),
      }),
    );
  });

  it("is not sealed when the receiver's key changed since its fingerprint was shown", async () => {
    const keys = await generateOrgKeys();
    const meta = {
      referralId: crypto.randomUUID(),
      sender: crypto.randomUUID(),
      receiver: crypto.randomUUID(),
      dataCategories: ['HEALTH'],
    };
    const e = await rejection(
      sealCaseFile(
        new Uint8Array([1]),
        meta,
        keys.privateKeys,
        publicOnly(java.receiverPrivateKeys.keys),
        'another-kid',
      ),
    );
    expect(e.code).toBe('keyChanged');
  });
});

describe('a case file passed on along a pathway', () => {
  const holderPublic = () => publicOnly(java.receiverPrivateKeys.keys);

  /** The file tandem-client sealed, opened as its receiver (the holder, which passes it on). */
  const received = () =>
    openCaseFile(
      java.jwe,
      { referralId: java.referralId, sender: java.sender, receiver: java.receiver },
      java.receiverPrivateKeys.keys,
      java.senderPublicKeys.keys,
    );

  it('keeps only the categories of the received file that her new consent covers, in the protocol order', () => {
    expect(passableCategories(['IDENTITY', 'HEALTH'], ['HEALTH', 'CONTACT'])).toEqual(['HEALTH']);
    expect(passableCategories(['IDENTITY'], ['CONTACT'])).toEqual([]);
    // in the order tandem-client lists them (java-sealed.json), whatever order she ticked them in
    expect(passableCategories(['HEALTH', 'IDENTITY'], ['HEALTH', 'CONTACT', 'IDENTITY'])).toEqual(java.dataCategories);
  });

  it('is sealed again by the holder to the next organisation, which opens it with the holder as signer', async () => {
    const file = await received();
    const next = await generateOrgKeys();
    const onward: Onward = {
      referralId: crypto.randomUUID(),
      holder: java.receiver,
      nextReceiver: crypto.randomUUID(),
    };
    const categories = passableCategories(file.meta.dataCategories, ['IDENTITY', 'CONTACT']);
    expect(categories).toEqual(['IDENTITY']);
    const part = 'The part her consent for the next organisation covers: test fixture, no personal data.';
    const jwe = await passOnCaseFile(
      file.meta,
      new TextEncoder().encode(part),
      categories,
      onward,
      java.receiverPrivateKeys.keys,
      next.publicKeys,
      currentKey(next.publicKeys, 'enc').kid,
    );
    // the envelope the hub checks names the onward referral and only the categories passed on
    expect(checkEnvelope(jwe)).toEqual({
      kid: currentKey(next.publicKeys, 'enc').kid,
      referralId: onward.referralId,
      dataCategories: ['IDENTITY'],
    });
    const opened = await openCaseFile(
      jwe,
      { referralId: onward.referralId, sender: java.receiver, receiver: onward.nextReceiver },
      next.privateKeys,
      holderPublic(),
    );
    expect(new TextDecoder().decode(opened.plaintext)).toBe(part);
    expect(opened.meta.dataCategories).toEqual(['IDENTITY']);
    expect(opened.signedBy).toBe(currentKey(holderPublic(), 'sig').kid);
    // signed by the holder: the first sender's keys do not verify it
    expect(
      (
        await rejection(
          openCaseFile(
            jwe,
            { referralId: onward.referralId, sender: java.receiver, receiver: onward.nextReceiver },
            next.privateKeys,
            java.senderPublicKeys.keys,
          ),
        )
      ).code,
    ).toBe('unknownSender');

    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(
      join(FIXTURES, 'ts-passed-on.json'),
      JSON.stringify({
        ...onward,
        content: part,
        jwe,
        dataCategories: categories,
        nextPrivateKeys: { keys: next.privateKeys },
      }),
    );
  });

  it('is refused for a category the received file lacks, by another organisation, or for the same referral', async () => {
    const file = await received();
    const next = await generateOrgKeys();
    const onward: Onward = {
      referralId: crypto.randomUUID(),
      holder: java.receiver,
      nextReceiver: crypto.randomUUID(),
    };
    const bytes = new TextEncoder().encode('x');
    const pass = (categories: string[], o = onward) =>
      passOnCaseFile(file.meta, bytes, categories, o, java.receiverPrivateKeys.keys, next.publicKeys);
    expect((await rejection(pass(['IDENTITY', 'CONTACT']))).code).toBe('notCovered');
    expect((await rejection(pass([]))).code).toBe('notCovered');
    expect((await rejection(pass(['IDENTITY'], { ...onward, holder: java.sender }))).code).toBe('notHolder');
    expect((await rejection(pass(['IDENTITY'], { ...onward, referralId: java.referralId }))).code).toBe('sameReferral');
    // and nothing is sealed to a key other than the one whose fingerprint was shown
    const shownElsewhere = passOnCaseFile(
      file.meta,
      bytes,
      ['IDENTITY'],
      onward,
      java.receiverPrivateKeys.keys,
      next.publicKeys,
      'another-kid',
    );
    expect((await rejection(shownElsewhere)).code).toBe('keyChanged');
  });
});

describe('the private key file', () => {
  it('opens with its passphrase only', async () => {
    const keys = await generateOrgKeys();
    const file = await protectPrivateKeys(keys.privateKeys, 'correct horse battery staple');
    expect(decodeProtectedHeader(file).p2c).toBe(PBES2_ITERATIONS);
    expect(await openPrivateKeys(file, 'correct horse battery staple')).toEqual(keys.privateKeys);
    expect((await rejection(openPrivateKeys(file, 'wrong passphrase'))).code).toBe('passphrase');
    expect((await rejection(openPrivateKeys('not a key file', 'x'))).code).toBe('keyFile');
  });

  it('is refused when it asks for more PBES2 iterations than the limit', async () => {
    const heavy = await new CompactEncrypt(new TextEncoder().encode('{"keys":[]}'))
      .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM' })
      .setKeyManagementParameters({ p2c: 2_000_000 })
      .encrypt(new TextEncoder().encode('x'));
    expect((await rejection(openPrivateKeys(heavy, 'x'))).code).toBe('keyFile');
  }, 60_000);
});

describe('currentKey', () => {
  it('takes the valid key of that use that became valid last', () => {
    const now = 1_000_000;
    const keys = [
      { kty: 'EC', crv: 'P-256', use: 'enc', kid: 'old', nbf: now - 100 },
      { kty: 'EC', crv: 'P-256', use: 'enc', kid: 'new', nbf: now - 10 },
      { kty: 'EC', crv: 'P-256', use: 'enc', kid: 'future', nbf: now + 10 },
      { kty: 'EC', crv: 'P-256', use: 'enc', kid: 'expired', nbf: now - 5, exp: now - 1 },
      { kty: 'EC', crv: 'P-256', use: 'sig', kid: 'signature', nbf: now - 1 },
    ];
    expect(currentKey(keys, 'enc', now).kid).toBe('new');
    expect(() => currentKey(keys.slice(2, 4), 'enc', now)).toThrow(CaseFileError);
  });
});
