/**
 * End-to-end encryption of case files in the browser (WebCrypto through `jose`). The sender signs the
 * file (JWS, ES256) and encrypts the signed file to the receiving organisation's public key (JWE,
 * ECDH-ES+A256KW with A256GCM). Plaintext and private keys never leave the browser; the private keys are
 * downloaded as a JWE protected by a passphrase (PBES2-HS512+A256KW).
 */
import {
  CompactEncrypt, CompactSign, calculateJwkThumbprint, compactDecrypt, compactVerify, exportJWK, generateKeyPair, importJWK,
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

/** Sign with the sender's key, then encrypt to the receiver's public encryption key. */
export async function sealCaseFile(plaintext: Uint8Array, senderPrivateKeys: JWK[], receiverPublicKeys: JWK[]): Promise<string> {
  const sig = pick(senderPrivateKeys, 'sig');
  const enc = pick(receiverPublicKeys, 'enc');
  const jws = await new CompactSign(plaintext).setProtectedHeader({ alg: SIG_ALG, kid: sig.kid }).sign(await importJWK(sig, SIG_ALG));
  return new CompactEncrypt(encoder.encode(jws))
    .setProtectedHeader({ alg: ENC_ALG, enc: ENC, kid: enc.kid, cty: 'JWS' })
    .encrypt(await importJWK(enc, ENC_ALG));
}

/** Decrypt with the receiver's private key and verify the sender's signature; throws if either fails. */
export async function openCaseFile(jwe: string, receiverPrivateKeys: JWK[], senderPublicKeys: JWK[]): Promise<{ plaintext: Uint8Array; signedBy: string }> {
  const enc = pick(receiverPrivateKeys, 'enc');
  const { plaintext: jws } = await compactDecrypt(jwe, await importJWK(enc, ENC_ALG), {
    keyManagementAlgorithms: [ENC_ALG],
    contentEncryptionAlgorithms: [ENC],
  });
  const { payload, protectedHeader } = await compactVerify(decoder.decode(jws), async (header) => {
    const k = senderPublicKeys.find((x) => x.use === 'sig' && (!header.kid || x.kid === header.kid));
    if (!k) throw new Error('the sender has no published signing key with id ' + header.kid);
    return importJWK(k, SIG_ALG);
  }, { algorithms: [SIG_ALG] });
  return { plaintext: payload, signedBy: protectedHeader.kid ?? '' };
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
