/**
 * End-to-end encryption of case files in the browser (WebCrypto through `jose`). The sender signs the
 * file (JWS, ES256) and encrypts the signed file to the receiving organisation's public key (JWE,
 * ECDH-ES+A256KW with A256GCM). Plaintext and private keys never leave the browser; the private keys are
 * downloaded as a JWE protected by a passphrase (PBES2-HS512+A256KW).
 */
import {
  CompactEncrypt, CompactSign, calculateJwkThumbprint, compactDecrypt, compactVerify, decodeProtectedHeader, exportJWK,
  generateKeyPair, importJWK,
  type JWK,
} from 'jose';

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
  return new CompactEncrypt(encoder.encode(JSON.stringify({ keys })))
    .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: ENC, cty: 'jwk-set+json', p2c: PBES2_ITERATIONS })
    .encrypt(encoder.encode(passphrase));
}

export async function openPrivateKeys(file: string, passphrase: string): Promise<JWK[]> {
  const { plaintext } = await compactDecrypt(file.trim(), encoder.encode(passphrase), {
    keyManagementAlgorithms: ['PBES2-HS512+A256KW'],
    contentEncryptionAlgorithms: [ENC],
  });
  return (JSON.parse(decoder.decode(plaintext)) as { keys: JWK[] }).keys;
}

function pick(keys: JWK[], use: 'enc' | 'sig'): JWK {
  const k = keys.find((x) => x.use === use);
  if (!k) throw new Error('no ' + use + ' key');
  return k;
}

/** The names of the Tandem case-file protocol (client/ Protocol.java and docs/case-files.md on the casefile branch). */
export const PROTOCOL = {
  referral: 'tandem-referral',
  dataCategories: 'tandem-data-categories',
  sender: 'tandem-sender',
  receiver: 'tandem-receiver',
  nestedContentType: 'JOSE',
  caseFileType: 'tandem-case-file+jose',
} as const;

export interface CaseFileMeta {
  referralId: string;
  dataCategories: string[];
  sender: string;
  receiver: string;
}

/**
 * An organisation's current key of a use in its published JWK Set: of the keys valid now (nbf passed, exp
 * not), the one that became valid last. During a rotation the registry lists the old and the new key.
 */
export function currentKey(keys: (JWK & { nbf?: number; exp?: number })[], use: 'enc' | 'sig', now = Date.now() / 1000): JWK {
  const valid = keys.filter((x) => x.kty === 'EC' && x.crv === 'P-256' && (x.use ?? use) === use)
    .filter((x) => (x.nbf === undefined || Number(x.nbf) <= now) && (x.exp === undefined || Number(x.exp) > now))
    .sort((a, b) => Number(b.nbf ?? 0) - Number(a.nbf ?? 0));
  if (!valid.length) throw new Error('the organisation has published no ' + (use === 'enc' ? 'encryption' : 'signature') + ' key');
  return valid[0];
}

/**
 * Signs with the sender's signature key (JWS, ES256), then encrypts the JWS to the receiver's current
 * encryption key (JWE, ECDH-ES+A256KW, A256GCM). Both protected headers carry the referral id and the
 * declared data categories, so the hub can check the declaration without reading the file.
 */
export async function sealCaseFile(plaintext: Uint8Array, meta: CaseFileMeta, senderPrivateKeys: JWK[], receiverPublicKeys: JWK[]): Promise<string> {
  if (meta.dataCategories.length === 0) throw new Error('declare at least one data category');
  const sig = pick(senderPrivateKeys, 'sig');
  const enc = currentKey(receiverPublicKeys, 'enc');
  const categories = [...meta.dataCategories].sort();
  const jws = await new CompactSign(plaintext)
    .setProtectedHeader({
      alg: SIG_ALG, typ: PROTOCOL.caseFileType, kid: sig.kid,
      [PROTOCOL.referral]: meta.referralId, [PROTOCOL.dataCategories]: categories,
      [PROTOCOL.sender]: meta.sender, [PROTOCOL.receiver]: meta.receiver,
    })
    .sign(await importJWK(sig, SIG_ALG));
  return new CompactEncrypt(encoder.encode(jws))
    .setProtectedHeader({
      alg: ENC_ALG, enc: ENC, cty: PROTOCOL.nestedContentType, kid: enc.kid,
      [PROTOCOL.referral]: meta.referralId, [PROTOCOL.dataCategories]: categories,
    })
    .encrypt(await importJWK(enc, ENC_ALG));
}

/**
 * Decrypts with the receiver's private encryption key, verifies the sender's signature against her
 * published signature keys, and checks that the signed declaration matches the envelope and the referral.
 * Throws if any of this fails.
 */
export async function openCaseFile(jwe: string, referralId: string, receiverPrivateKeys: JWK[], senderPublicKeys: JWK[]): Promise<{ plaintext: Uint8Array; meta: CaseFileMeta; signedBy: string }> {
  const outer = decodeProtectedHeader(jwe) as Record<string, unknown>;
  const enc = receiverPrivateKeys.find((k) => k.use === 'enc' && k.kid === outer.kid);
  if (!enc) throw new Error('the file is encrypted to a key (' + String(outer.kid) + ') that is not in this key file');
  const { plaintext: jws } = await compactDecrypt(jwe, await importJWK(enc, ENC_ALG), {
    keyManagementAlgorithms: [ENC_ALG],
    contentEncryptionAlgorithms: [ENC],
  });
  const { payload, protectedHeader } = await compactVerify(decoder.decode(jws), async (header) => {
    const k = senderPublicKeys.find((x) => (x.use ?? 'sig') === 'sig' && x.kid === header.kid);
    if (!k) throw new Error('the signature key ' + header.kid + ' is not one the sender has published');
    return importJWK(k, SIG_ALG);
  }, { algorithms: [SIG_ALG] });
  const h = protectedHeader as Record<string, unknown>;
  if (h.typ !== PROTOCOL.caseFileType) throw new Error('the signed content is not a Tandem case file');
  const signedCategories = JSON.stringify(h[PROTOCOL.dataCategories]);
  if (h[PROTOCOL.referral] !== outer[PROTOCOL.referral] || signedCategories !== JSON.stringify(outer[PROTOCOL.dataCategories])) {
    throw new Error('the signed referral id and data categories differ from the envelope');
  }
  if (h[PROTOCOL.referral] !== referralId) throw new Error('the file belongs to another referral');
  return {
    plaintext: payload,
    meta: { referralId, dataCategories: h[PROTOCOL.dataCategories] as string[], sender: String(h[PROTOCOL.sender]), receiver: String(h[PROTOCOL.receiver]) },
    signedBy: String(h.kid ?? ''),
  };
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
