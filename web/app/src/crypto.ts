/**
 * End-to-end encryption of case files in the browser (WebCrypto through `jose`). The sender signs the
 * file (JWS, ES256) and encrypts the signed file to the receiving organisation's public key (JWE,
 * ECDH-ES+A256KW with A256GCM). Plaintext and private keys never leave the browser; the private keys are
 * downloaded as a JWE protected by a passphrase (PBES2-HS512+A256KW).
 */
import {
  CompactEncrypt,
  CompactSign,
  base64url,
  calculateJwkThumbprint,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { DATA_CATEGORIES } from './types';

export const ENC_ALG = 'ECDH-ES+A256KW';
export const ENC = 'A256GCM';
export const SIG_ALG = 'ES256';
/** PBKDF2 iterations for the passphrase-protected private key file (OWASP's 2023 figure for SHA-512). */
export const PBES2_ITERATIONS = 210000;

export interface OrgKeys {
  /** public keys to publish in the directory: one for encryption, one for signatures */
  publicKeys: JWK[];
  /** private keys, to be kept by the organisation only */
  privateKeys: JWK[];
}

async function pair(alg: string, use: 'enc' | 'sig'): Promise<{ pub: JWK; priv: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { crv: 'P-256', extractable: true });
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(pub);
  return { pub: { ...pub, kid, use, alg }, priv: { ...priv, kid, use, alg } };
}

export async function generateOrgKeys(): Promise<OrgKeys> {
  const enc = await pair(ENC_ALG, 'enc');
  const sig = await pair(SIG_ALG, 'sig');
  return { publicKeys: [enc.pub, sig.pub], privateKeys: [enc.priv, sig.priv] };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The private keys as a JWE that only the passphrase opens. */
export async function protectPrivateKeys(keys: JWK[], passphrase: string): Promise<string> {
  return (
    new CompactEncrypt(encoder.encode(JSON.stringify({ keys })))
      .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: ENC, cty: 'jwk-set+json' })
      // jose takes the count from here; a p2c in the header alone is overwritten with its default of 2048
      .setKeyManagementParameters({ p2c: PBES2_ITERATIONS })
      .encrypt(encoder.encode(passphrase))
  );
}

/** The largest PBES2 count a key file may ask for: ours use PBES2_ITERATIONS; more is refused (a file must not stall the tab). */
export const MAX_PBES2_ITERATIONS = 1_000_000;

/**
 * Why a case-file step failed, as a code the page words (i18n 'file.err.<code>') and, where the failure is in
 * the file's own format, the part of the JOSE object it names (as tandem-client's CaseFileFormatException.field()).
 */
export class CaseFileError extends Error {
  constructor(
    readonly code:
      | 'keyFile'
      | 'passphrase'
      | 'noSigningKey'
      | 'noReceiverKey'
      | 'keyChanged'
      | 'otherKey'
      | 'format'
      | 'unknownSender'
      | 'signature'
      | 'declaration'
      | 'notHolder'
      | 'notCovered'
      | 'sameReferral',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The private keys from the file the key page downloaded, opened with its passphrase. */
export async function openPrivateKeys(file: string, passphrase: string): Promise<JWK[]> {
  const compact = file.trim();
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(compact) as Record<string, unknown>;
  } catch {
    throw new CaseFileError('keyFile', 'this is not a Tandem private key file');
  }
  if (header.alg !== 'PBES2-HS512+A256KW' || compact.split('.').length !== 5)
    throw new CaseFileError('keyFile', 'this is not a Tandem private key file');
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(compact, encoder.encode(passphrase), {
      keyManagementAlgorithms: ['PBES2-HS512+A256KW'],
      contentEncryptionAlgorithms: [ENC],
      maxPBES2Count: MAX_PBES2_ITERATIONS,
    }));
  } catch (e) {
    if (e instanceof Error && (e as { code?: string }).code === 'ERR_JWE_DECRYPTION_FAILED')
      throw new CaseFileError('passphrase', 'the passphrase does not open this key file');
    throw new CaseFileError('keyFile', 'this is not a Tandem private key file');
  }
  try {
    const keys = (JSON.parse(decoder.decode(plaintext)) as { keys: JWK[] }).keys;
    if (!Array.isArray(keys)) throw new Error();
    return keys;
  } catch {
    throw new CaseFileError('keyFile', 'this is not a Tandem private key file');
  }
}

/**
 * A public key's fingerprint for people to compare, for example over the phone before a case file is sent: the
 * RFC 7638 JWK thumbprint (SHA-256) as 64 upper-case hexadecimal digits in 16 groups of four. The same digits as
 * tandem-client's KeyFingerprint.of (client/), which `seal` prints; docs/case-files.md.
 */
export async function keyFingerprint(jwk: JWK): Promise<string> {
  const bytes = base64url.decode(await calculateJwkThumbprint(jwk, 'sha256'));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  return hex.match(/.{1,4}/g)!.join(' ');
}

/** The names of the Tandem case-file protocol (client/ Protocol.java, docs/case-files.md). */
export const PROTOCOL = {
  referral: 'tandem-referral',
  dataCategories: 'tandem-data-categories',
  sender: 'tandem-sender',
  receiver: 'tandem-receiver',
  nestedContentType: 'JOSE',
  caseFileType: 'tandem-case-file+jose',
} as const;

/**
 * The consent's data categories, in the order both sides list them in a header (DataCategory in client/; the
 * generated API types, so in referral-service's order: the round-trip tests in app/test show the two agree).
 */
export const CASE_FILE_CATEGORIES: readonly string[] = DATA_CATEGORIES;
const MAX_HEADER_CHARS = 4096;
const KID = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CaseFileMeta {
  referralId: string;
  dataCategories: string[];
  sender: string;
  receiver: string;
}

/**
 * An organisation's current key of a use in its published JWK Set: of the P-256 keys of that use valid now
 * (nbf passed, exp not), the one that became valid last (OrganisationKeys.current in client/). During a
 * rotation the registry lists the old and the new key.
 */
export function currentKey(
  keys: (JWK & { nbf?: number; exp?: number })[],
  use: 'enc' | 'sig',
  now = Date.now() / 1000,
): JWK {
  const valid = keys
    .filter((x) => x.kty === 'EC' && x.crv === 'P-256' && x.use === use)
    .filter((x) => (x.nbf === undefined || Number(x.nbf) <= now) && (x.exp === undefined || Number(x.exp) > now))
    .sort((a, b) => Number(b.nbf ?? 0) - Number(a.nbf ?? 0));
  if (!valid.length) {
    throw new CaseFileError(
      use === 'enc' ? 'noReceiverKey' : 'unknownSender',
      'the organisation has published no current ' + (use === 'enc' ? 'encryption' : 'signature') + ' key',
    );
  }
  return valid[0];
}

function privateKey(keys: JWK[], use: 'enc' | 'sig'): JWK | undefined {
  return keys.find((x) => x.use === use && x.kty === 'EC' && x.crv === 'P-256' && typeof x.d === 'string');
}

/**
 * Signs with the sender's signature key (JWS, ES256), then encrypts the JWS to the receiver's current
 * encryption key (JWE, ECDH-ES+A256KW, A256GCM). Both protected headers carry the referral id and the
 * declared data categories, so the hub can check the declaration without reading the file. The same
 * format as CaseFiles.seal in client/. With `expectedKid` (the key whose fingerprint the page showed) a
 * receiver key that changed in the meantime is refused.
 */
export async function sealCaseFile(
  plaintext: Uint8Array,
  meta: CaseFileMeta,
  senderPrivateKeys: JWK[],
  receiverPublicKeys: JWK[],
  expectedKid?: string,
): Promise<string> {
  if (meta.dataCategories.length === 0) throw new Error('declare at least one data category');
  const sig = privateKey(senderPrivateKeys, 'sig');
  if (!sig || !sig.kid) throw new CaseFileError('noSigningKey', 'the key file holds no private signature key');
  const enc = currentKey(receiverPublicKeys, 'enc');
  // the key she was shown (and may have confirmed by phone) is the one the file is sealed to, or nothing is sealed
  if (expectedKid !== undefined && enc.kid !== expectedKid) {
    throw new CaseFileError(
      'keyChanged',
      "the receiver's current encryption key changed since its fingerprint was shown (" + enc.kid + ')',
    );
  }
  const categories = CASE_FILE_CATEGORIES.filter((c) => meta.dataCategories.includes(c));
  const jws = await new CompactSign(plaintext)
    .setProtectedHeader({
      alg: SIG_ALG,
      typ: PROTOCOL.caseFileType,
      kid: sig.kid,
      [PROTOCOL.referral]: meta.referralId,
      [PROTOCOL.dataCategories]: categories,
      [PROTOCOL.sender]: meta.sender,
      [PROTOCOL.receiver]: meta.receiver,
    })
    .sign(await importJWK(sig, SIG_ALG));
  return new CompactEncrypt(encoder.encode(jws))
    .setProtectedHeader({
      alg: ENC_ALG,
      enc: ENC,
      cty: PROTOCOL.nestedContentType,
      kid: enc.kid,
      [PROTOCOL.referral]: meta.referralId,
      [PROTOCOL.dataCategories]: categories,
    })
    .encrypt(await importJWK({ kty: enc.kty, crv: enc.crv, x: enc.x, y: enc.y }, ENC_ALG));
}

/**
 * The categories of a received file that may go on to the next organisation of her pathway: those the file
 * declares and her consent for the onward referral covers, in the protocol's order (docs/case-files.md, "Passing a
 * file on along a pathway").
 */
export function passableCategories(received: readonly string[], consented: readonly string[]): string[] {
  return CASE_FILE_CATEGORIES.filter((c) => received.includes(c) && consented.includes(c));
}

/**
 * Passes a case file this organisation received and opened (`openCaseFile`) on to the next organisation, for an
 * onward referral: signed by this organisation and encrypted to the next one's current key, in this browser, so the
 * hub only ever sees the two sealed files. The checks of CaseFiles.passOn in client/: only the organisation the file
 * was sealed to passes it on, it declares no category the received file did not declare, and it goes with the
 * onward referral, not the one it came with. `content` is what may go on: the received content, or a part of it when
 * her consent for the next organisation covers fewer categories; the hub refuses categories that consent lacks.
 */
export async function passOnCaseFile(
  received: CaseFileMeta,
  content: Uint8Array,
  categories: string[],
  onward: { referralId: string; holder: string; nextReceiver: string },
  holderPrivateKeys: JWK[],
  nextReceiverPublicKeys: JWK[],
  expectedKid?: string,
): Promise<string> {
  if (received.receiver.toLowerCase() !== onward.holder.toLowerCase()) {
    throw new CaseFileError('notHolder', 'only the organisation the file was sealed to can pass it on');
  }
  if (categories.length === 0 || categories.some((c) => !received.dataCategories.includes(c))) {
    throw new CaseFileError(
      'notCovered',
      'a file passed on can declare only categories of the file received: ' + received.dataCategories.join(', '),
    );
  }
  if (onward.referralId.toLowerCase() === received.referralId.toLowerCase()) {
    throw new CaseFileError('sameReferral', 'a file is passed on for the onward referral, not the one it came with');
  }
  return sealCaseFile(
    content,
    { referralId: onward.referralId, dataCategories: categories, sender: onward.holder, receiver: onward.nextReceiver },
    holderPrivateKeys,
    nextReceiverPublicKeys,
    expectedKid,
  );
}

function formatError(field: string, message: string): CaseFileError {
  return new CaseFileError('format', field + ' ' + message, field);
}

function uuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw formatError(field, 'must be a UUID');
  return value.toLowerCase();
}

function categoriesOf(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > CASE_FILE_CATEGORIES.length) {
    throw formatError(field, 'must list the data categories the file holds');
  }
  const seen = new Set<string>();
  value.forEach((c, i) => {
    if (typeof c !== 'string' || !CASE_FILE_CATEGORIES.includes(c) || seen.has(c))
      throw formatError(field + '[' + i + ']', 'must be a data category code, each once');
    seen.add(c);
  });
  return CASE_FILE_CATEGORIES.filter((c) => seen.has(c));
}

/** Absent key sources: keys are found by kid in the registry, never taken from the message. */
function noEmbeddedKeys(h: Record<string, unknown>, prefix: string) {
  if (h.crit !== undefined) throw formatError(prefix + '.crit', 'must be absent');
  if (h.jku !== undefined || h.jwk !== undefined || h.x5u !== undefined || h.x5c !== undefined) {
    throw formatError(prefix + '.jku', 'keys are found by kid in the registry; jku, jwk, x5u and x5c must be absent');
  }
}

/** The checks of CaseFileHeader.parse in client/ (what the hub checks on upload), before decrypting anything. */
export function checkEnvelope(jwe: string): { kid: string; referralId: string; dataCategories: string[] } {
  const parts = jwe.split('.');
  if (parts.length !== 5 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    throw formatError('jwe', 'must be a compact JWE');
  if (!parts[0] || parts[0].length > MAX_HEADER_CHARS)
    throw formatError('jwe.header', 'must be present and at most ' + MAX_HEADER_CHARS + ' characters');
  if (!parts[1]) throw formatError('jwe.encrypted_key', 'must be present');
  if (!parts[2] || !parts[3] || !parts[4])
    throw formatError('jwe', 'must have an IV, a ciphertext and an authentication tag');
  let h: Record<string, unknown>;
  try {
    h = decodeProtectedHeader(jwe) as Record<string, unknown>;
  } catch {
    throw formatError('jwe.header', 'is not a valid JWE protected header');
  }
  if (h.alg !== ENC_ALG) throw formatError('jwe.header.alg', 'must be ' + ENC_ALG);
  if (h.enc !== ENC) throw formatError('jwe.header.enc', 'must be ' + ENC);
  if (h.zip !== undefined) throw formatError('jwe.header.zip', 'must be absent');
  noEmbeddedKeys(h, 'jwe.header');
  const epk = h.epk as JWK | undefined;
  if (!epk || epk.kty !== 'EC' || epk.crv !== 'P-256' || epk.d !== undefined)
    throw formatError('jwe.header.epk', 'must be a public P-256 EC key');
  if (h.cty !== PROTOCOL.nestedContentType)
    throw formatError('jwe.header.cty', 'must be ' + PROTOCOL.nestedContentType);
  if (typeof h.kid !== 'string' || !KID.test(h.kid))
    throw formatError('jwe.header.kid', "must name the receiver's encryption key");
  return {
    kid: h.kid,
    referralId: uuid(h[PROTOCOL.referral], 'jwe.header.' + PROTOCOL.referral),
    dataCategories: categoriesOf(h[PROTOCOL.dataCategories], 'jwe.header.' + PROTOCOL.dataCategories),
  };
}

/**
 * Decrypts with the receiver's private encryption key, verifies the sender's signature against her
 * published signature keys, and checks the signed declaration against the envelope, the referral and its
 * two organisations: the checks of CaseFiles.open in client/, and the parties besides. Throws a
 * CaseFileError if any of this fails; nothing of the content is returned then.
 */
export async function openCaseFile(
  jwe: string,
  expected: CaseFileMeta | { referralId: string; sender: string; receiver: string },
  receiverPrivateKeys: JWK[],
  senderPublicKeys: JWK[],
): Promise<{ plaintext: Uint8Array; meta: CaseFileMeta; signedBy: string }> {
  const compact = jwe.trim();
  const outer = checkEnvelope(compact);
  const enc = receiverPrivateKeys.find((k) => k.use === 'enc' && k.kid === outer.kid && typeof k.d === 'string');
  if (!enc)
    throw new CaseFileError(
      'otherKey',
      'the file is encrypted to a key (' + outer.kid + ') that is not in this key file',
      'jwe.header.kid',
    );
  let jws: string;
  try {
    const { plaintext } = await compactDecrypt(compact, await importJWK(enc, ENC_ALG), {
      keyManagementAlgorithms: [ENC_ALG],
      contentEncryptionAlgorithms: [ENC],
    });
    jws = decoder.decode(plaintext);
  } catch {
    throw formatError('jwe', 'cannot be decrypted with this key');
  }
  let inner: Record<string, unknown>;
  try {
    if (jws.split('.').length !== 3) throw new Error();
    inner = decodeProtectedHeader(jws) as Record<string, unknown>;
  } catch {
    throw formatError('jws', 'the encrypted content is not a signed JWS');
  }
  if (inner.alg !== SIG_ALG) throw formatError('jws.header.alg', 'must be ' + SIG_ALG);
  if (inner.typ !== PROTOCOL.caseFileType) throw formatError('jws.header.typ', 'must be ' + PROTOCOL.caseFileType);
  noEmbeddedKeys(inner, 'jws.header');
  if (typeof inner.kid !== 'string' || !KID.test(inner.kid))
    throw formatError('jws.header.kid', 'must name the signature key');
  const senderKey = senderPublicKeys.find(
    (x) => x.kid === inner.kid && x.kty === 'EC' && x.crv === 'P-256' && (x.use === undefined || x.use === 'sig'),
  );
  if (!senderKey)
    throw new CaseFileError(
      'unknownSender',
      'the file is signed with a key (' + inner.kid + ') the sender has not published',
      'jws.header.kid',
    );
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(
      jws,
      await importJWK({ kty: senderKey.kty, crv: senderKey.crv, x: senderKey.x, y: senderKey.y }, SIG_ALG),
      { algorithms: [SIG_ALG] },
    ));
  } catch {
    throw new CaseFileError('signature', "the sender's signature does not verify", 'jws');
  }
  const referralId = uuid(inner[PROTOCOL.referral], 'jws.header.' + PROTOCOL.referral);
  const categories = categoriesOf(inner[PROTOCOL.dataCategories], 'jws.header.' + PROTOCOL.dataCategories);
  if (referralId !== outer.referralId || categories.join() !== outer.dataCategories.join()) {
    throw new CaseFileError(
      'declaration',
      "the signed referral id and data categories differ from the envelope's",
      'jwe.header',
    );
  }
  const sender = uuid(inner[PROTOCOL.sender], 'jws.header.' + PROTOCOL.sender);
  const receiver = uuid(inner[PROTOCOL.receiver], 'jws.header.' + PROTOCOL.receiver);
  if (
    referralId !== expected.referralId.toLowerCase() ||
    sender !== expected.sender.toLowerCase() ||
    receiver !== expected.receiver.toLowerCase()
  ) {
    throw new CaseFileError(
      'declaration',
      'the file was signed for another referral or other organisations',
      'jws.header',
    );
  }
  return {
    plaintext: payload,
    meta: { referralId, dataCategories: categories, sender, receiver },
    signedBy: inner.kid,
  };
}

/**
 * The receiver's deletion receipt after the survivor withdrew her consent: a JWT signed (ES256) with her
 * organisation's signature key, as DeletionReceipt.sign in client/ makes it.
 */
export async function signDeletionReceipt(
  organisationId: string,
  referralId: string,
  purgedAt: Date,
  privateKeys: JWK[],
): Promise<string> {
  const sig = privateKey(privateKeys, 'sig');
  if (!sig || !sig.kid) throw new CaseFileError('noSigningKey', 'the key file holds no private signature key');
  const claims = {
    iss: organisationId,
    [PROTOCOL.referral]: referralId,
    purged_at: Math.floor(purgedAt.getTime() / 1000),
    iat: Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
  };
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: SIG_ALG, typ: 'tandem-deletion-receipt+jwt', kid: sig.kid })
    .sign(await importJWK(sig, SIG_ALG));
}

export function download(name: string, content: string | Uint8Array, type: string) {
  const blob = new Blob([content as BlobPart], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
