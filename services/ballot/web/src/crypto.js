// Voter-side ballot cryptography, congvu/v1 — an independent implementation of ../SPEC.md
// on libsodium-wrappers-sumo. Covers: one-time code -> credential key, one-hot ElGamal
// encryption, 0/1 (CDS) and sum proofs, Schnorr signature, canonical bytes and tracker.
//
// Usage:
//   import * as bc from './crypto.js';
//   await bc.ready();
//   const cred = bc.deriveCredential(code, electionId);
//   const ballot = bc.makeBallot({ fingerprint, jointKey, credential: cred, choices, optionCounts });
//   bc.tracker(ballot)  // 64 hex digits, the voter's receipt
//
// Secrets (code, credential secret, nonces) never leave this module's return values and are
// never logged.

import sodiumModule from 'libsodium-wrappers-sumo';

let sodium = null;

export async function ready() {
  await sodiumModule.ready;
  sodium = sodiumModule;
  return sodium;
}

function S() {
  if (sodium === null) throw new Error('call await ready() first');
  return sodium;
}

// ------------------------------------------------------------------------------------------
// Errors (codes as in SPEC.md §14)
// ------------------------------------------------------------------------------------------

export class CryptoError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

// ------------------------------------------------------------------------------------------
// Bytes, hex, text
// ------------------------------------------------------------------------------------------

const te = new TextEncoder();

export function toHex(b) {
  return S().to_hex(b);
}

export function fromHex(h, length) {
  if (typeof h !== 'string' || (length !== undefined && h.length !== 2 * length)) {
    throw new CryptoError('ballot.non_canonical_encoding', 'bad hex length');
  }
  if (!/^[0-9a-f]*$/.test(h) || h.length % 2 !== 0) {
    throw new CryptoError('ballot.non_canonical_encoding', 'hex must be lowercase');
  }
  return S().from_hex(h);
}

export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u32(n) {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new CryptoError('ballot.invalid_parameter', 'u32 out of range');
  }
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

export function text(s) {
  if (typeof s !== 'string') throw new CryptoError('ballot.invalid_parameter', 'text');
  if (s.normalize('NFC') !== s) {
    throw new CryptoError('ballot.non_canonical_encoding', 'text must be NFC');
  }
  return te.encode(s);
}

function ascii(s) {
  return te.encode(s);
}

// ------------------------------------------------------------------------------------------
// Transcript and hashes (SPEC.md §3)
// ------------------------------------------------------------------------------------------

export function lp(x) {
  return concat(u32(x.length), x);
}

export function transcript(tag, ...fields) {
  const t = typeof tag === 'string' ? ascii(tag) : tag;
  return concat(lp(t), ...fields.map(lp));
}

/** Raw RFC 9496 one-way map (64 bytes -> point). */
export function S_fromHash(b) {
  return S().crypto_core_ristretto255_from_hash(b);
}

/** Raw wide reduction (64 bytes -> scalar mod l). */
export function S_reduce(b) {
  return S().crypto_core_ristretto255_scalar_reduce(b);
}

export function sha512(b) {
  return S().crypto_hash_sha512(b);
}

export function sha256(b) {
  return S().crypto_hash_sha256(b);
}

/** Hs: SHA-512 of the transcript, wide-reduced mod l. */
export function challenge(tag, ...fields) {
  return S().crypto_core_ristretto255_scalar_reduce(sha512(transcript(tag, ...fields)));
}

/** Hp: RFC 9496 one-way map of SHA-512 of the transcript. */
export function hashToPoint(tag, ...fields) {
  return S().crypto_core_ristretto255_from_hash(sha512(transcript(tag, ...fields)));
}

export const TAGS = Object.freeze({
  cds: 'congvu/v1/cds01',
  sum: 'congvu/v1/sum01',
  sig: 'congvu/v1/sig01',
  ballotBody: 'congvu/v1/ballot-body01',
  ballot: 'congvu/v1/ballot01',
  credSalt: 'congvu/v1/cred-salt01',
  credInfo: 'congvu/v1/cred-key01',
  codeCheck: 'congvu/v1/code-check01',
  testNonce: 'congvu/v1/test-nonce01',
});

// ------------------------------------------------------------------------------------------
// Group (SPEC.md §2)
// ------------------------------------------------------------------------------------------

const L = (1n << 252n) + 27742317777372353535851937790883648493n;
export const IDENTITY = new Uint8Array(32);
export const GENERATOR_HEX = 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76';
let G = null;
function gen() {
  if (G === null) G = fromHex(GENERATOR_HEX, 32);
  return G;
}

function isZero(b) {
  let acc = 0;
  for (const x of b) acc |= x;
  return acc === 0;
}

function leToBigInt(b) {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

export function isCanonicalScalar(b) {
  return b instanceof Uint8Array && b.length === 32 && leToBigInt(b) < L;
}

export function isValidPoint(b) {
  return (
    b instanceof Uint8Array &&
    b.length === 32 &&
    b[31] < 0x80 &&
    S().crypto_core_ristretto255_is_valid_point(b)
  );
}

export function parsePoint(h) {
  const b = fromHex(h, 32);
  if (!isValidPoint(b)) throw new CryptoError('ballot.non_canonical_encoding', 'bad point');
  return b;
}

export function parseScalar(h) {
  const b = fromHex(h, 32);
  if (!isCanonicalScalar(b)) throw new CryptoError('ballot.non_canonical_encoding', 'bad scalar');
  return b;
}

/** s·G; the identity for s = 0 (libsodium throws there). */
export function baseMul(s) {
  if (isZero(s)) return new Uint8Array(32);
  return S().crypto_scalarmult_ristretto255_base(s);
}

/** s·P; the identity for s = 0 or P = O. */
export function mul(s, p) {
  if (isZero(s) || isZero(p)) return new Uint8Array(32);
  return S().crypto_scalarmult_ristretto255(s, p);
}

export function add(p, q) {
  return S().crypto_core_ristretto255_add(p, q);
}

export function sub(p, q) {
  return S().crypto_core_ristretto255_sub(p, q);
}

export const sadd = (a, b) => S().crypto_core_ristretto255_scalar_add(a, b);
export const ssub = (a, b) => S().crypto_core_ristretto255_scalar_sub(a, b);
export const smul = (a, b) => S().crypto_core_ristretto255_scalar_mul(a, b);

export function scalarFromInt(n) {
  let v = ((BigInt(n) % L) + L) % L;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 255n);
    v >>= 8n;
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Nonces: random (production) or seeded (test vectors, SPEC.md §12)
// ------------------------------------------------------------------------------------------

/** 64 bytes from the platform CSPRNG, wide-reduced mod l (SPEC §8: production nonces). */
function randomScalar() {
  const b = new Uint8Array(64);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(b);
  else b.set(S().randombytes_buf(64));
  const s = S().crypto_core_ristretto255_scalar_reduce(b);
  b.fill(0);
  return s;
}

// crypto.getRandomValues directly: libsodium.js's own randombytes (behind scalar_random) costs
// ~110 µs per call from WebAssembly, which was most of the time to make a ballot.
export function randomNonces() {
  return { scalar: randomScalar };
}

export function seededNonces(seed) {
  return {
    scalar: (label, ...idx) =>
      challenge(TAGS.testNonce, seed, text(label), ...idx.map((i) => u32(i))),
  };
}

// ------------------------------------------------------------------------------------------
// Credentials (SPEC.md §6)
// ------------------------------------------------------------------------------------------

export const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function checksum(payload) {
  const d = sha256(transcript(TAGS.codeCheck, ascii(payload)));
  const n = (((d[0] << 24) >>> 0) + (d[1] << 16) + (d[2] << 8) + d[3]) % (58 * 58);
  return BASE58[Math.floor(n / 58)] + BASE58[n % 58];
}

export function normalizeCode(code) {
  if (typeof code !== 'string') throw new CryptoError('ballot.credential_code_invalid');
  const c = code.replace(/[-\s]/g, '');
  if (c.length !== 24) throw new CryptoError('ballot.credential_code_invalid', 'length');
  for (const ch of c) {
    if (!BASE58.includes(ch)) throw new CryptoError('ballot.credential_code_invalid', 'alphabet');
  }
  if (!S().memcmp(ascii(checksum(c.slice(0, 22))), ascii(c.slice(22)))) {
    throw new CryptoError('ballot.credential_code_invalid', 'checksum');
  }
  return c;
}

export function formatCode(code) {
  const c = normalizeCode(code);
  return c.match(/.{4}/g).join('-');
}

function hmacSha512(key, msg) {
  const block = 128;
  let k = key.length > block ? sha512(key) : key;
  const k0 = new Uint8Array(block);
  k0.set(k);
  const ipad = k0.map((x) => x ^ 0x36);
  const opad = k0.map((x) => x ^ 0x5c);
  k = null;
  return sha512(concat(opad, sha512(concat(ipad, msg))));
}

/** HKDF-SHA512 with L = 64 (RFC 5869): one expansion block. */
function hkdfSha512_64(ikm, salt, info) {
  const prk = hmacSha512(salt, ikm);
  return hmacSha512(prk, concat(info, new Uint8Array([1])));
}

export function deriveCredential(code, electionId) {
  const c = normalizeCode(code);
  const salt = transcript(TAGS.credSalt, text(electionId));
  const okm = hkdfSha512_64(ascii(c), salt, ascii(TAGS.credInfo));
  const secret = S().crypto_core_ristretto255_scalar_reduce(okm);
  if (isZero(secret)) throw new CryptoError('ballot.credential_code_invalid', 'zero key');
  return { secret, public: baseMul(secret) };
}

// ------------------------------------------------------------------------------------------
// ElGamal and proofs (SPEC.md §7, §8)
// ------------------------------------------------------------------------------------------

export function encrypt(K, m, r) {
  // m·G without a multiplication for the one-hot values 0 and 1 (same bytes as the general case)
  const rK = mul(r, K);
  const beta = m === 0 ? rK : m === 1 ? add(rK, gen()) : add(rK, baseMul(scalarFromInt(m)));
  return { alpha: baseMul(r), beta };
}

export function proveZeroOrOne(fp, cred, q, o, K, ct, m, r, nonces) {
  const w = nonces.scalar('cds-w', q, o);
  const cs = nonces.scalar('cds-c', q, o);
  const zs = nonces.scalar('cds-z', q, o);
  // Simulated branch j = 1 − m. The prover knows r, so with t = z_s − c_s·r:
  //   a_j = z_s·G − c_s·α         = t·G
  //   b_j = z_s·K − c_s·(β − j·G) = t·K − c_s·(2m − 1)·G
  // the same points as SPEC §8.1 computes, with two fixed-base and one variable-base
  // multiplication instead of one and three (the browser's cost is mostly variable-base).
  if (m !== 0 && m !== 1) throw new CryptoError('ballot.invalid_parameter', 'm must be 0 or 1');
  const t = ssub(zs, smul(cs, r));
  const csG = baseMul(cs);
  const aSim = baseMul(t);
  const bSim = m === 1 ? sub(mul(t, K), csG) : add(mul(t, K), csG);
  const aReal = baseMul(w);
  const bReal = mul(w, K);
  const [a0, b0, a1, b1] = m === 0 ? [aReal, bReal, aSim, bSim] : [aSim, bSim, aReal, bReal];
  const c = challenge(TAGS.cds, fp, cred, u32(q), u32(o), K, ct.alpha, ct.beta, a0, b0, a1, b1);
  const cReal = ssub(c, cs);
  const zReal = sadd(w, smul(cReal, r));
  return m === 0
    ? { c0: cReal, c1: cs, z0: zReal, z1: zs }
    : { c0: cs, c1: cReal, z0: zs, z1: zReal };
}

export function verifyZeroOrOne(fp, cred, q, o, K, ct, pf) {
  const a0 = sub(baseMul(pf.z0), mul(pf.c0, ct.alpha));
  const b0 = sub(mul(pf.z0, K), mul(pf.c0, ct.beta));
  const a1 = sub(baseMul(pf.z1), mul(pf.c1, ct.alpha));
  const b1 = sub(mul(pf.z1, K), mul(pf.c1, sub(ct.beta, gen())));
  const c = challenge(TAGS.cds, fp, cred, u32(q), u32(o), K, ct.alpha, ct.beta, a0, b0, a1, b1);
  return S().memcmp(c, sadd(pf.c0, pf.c1));
}

function mulBase(g1, s) {
  return S().memcmp(g1, gen()) ? baseMul(s) : mul(s, g1);
}

export function proveDleq(tag, ctx, g1, x1, g2, x2, secret, w) {
  const a1 = mulBase(g1, w);
  const a2 = mulBase(g2, w);
  const c = challenge(tag, ...ctx, g1, x1, g2, x2, a1, a2);
  return { c, z: sadd(w, smul(c, secret)) };
}

export function verifyDleq(tag, ctx, g1, x1, g2, x2, pf) {
  const a1 = sub(mulBase(g1, pf.z), mul(pf.c, x1));
  const a2 = sub(mulBase(g2, pf.z), mul(pf.c, x2));
  return S().memcmp(challenge(tag, ...ctx, g1, x1, g2, x2, a1, a2), pf.c);
}

export function sign(keypair, fp, message, nonces = randomNonces()) {
  const w = nonces.scalar('sig-w');
  const R = baseMul(w);
  const c = challenge(TAGS.sig, fp, message, keypair.public, R);
  return { c, z: sadd(w, smul(c, keypair.secret)) };
}

export function verifySignature(pub, fp, message, sig) {
  if (isZero(pub)) return false;
  const R = sub(baseMul(sig.z), mul(sig.c, pub));
  return S().memcmp(challenge(TAGS.sig, fp, message, pub, R), sig.c);
}

// ------------------------------------------------------------------------------------------
// Ballots (SPEC.md §9)
// ------------------------------------------------------------------------------------------

export const BALLOT_FORMAT = 'congvu/v1/ballot';

function bodyBytes(fp, cred, answers) {
  const f = [fp, cred, u32(answers.length)];
  for (const a of answers) {
    f.push(u32(a.options.length));
    for (const o of a.options) f.push(o.alpha, o.beta, o.c0, o.c1, o.z0, o.z1);
    f.push(a.sum.c, a.sum.z);
  }
  return transcript(TAGS.ballotBody, ...f);
}

/** Internal form -> canonical JSON-able dict. */
function toDict(b) {
  return {
    format: BALLOT_FORMAT,
    election: toHex(b.fp),
    credential: toHex(b.cred),
    answers: b.answers.map((a) => ({
      options: a.options.map((o) => ({
        alpha: toHex(o.alpha),
        beta: toHex(o.beta),
        c0: toHex(o.c0),
        c1: toHex(o.c1),
        z0: toHex(o.z0),
        z1: toHex(o.z1),
      })),
      sum_proof: { c: toHex(a.sum.c), z: toHex(a.sum.z) },
    })),
    signature: { c: toHex(b.sig.c), z: toHex(b.sig.z) },
  };
}

/** JSON-able dict -> internal form, with strict canonical parsing. */
export function parseBallot(d) {
  const keys = ['answers', 'credential', 'election', 'format', 'signature'];
  if (JSON.stringify(Object.keys(d).sort()) !== JSON.stringify(keys)) {
    throw new CryptoError('ballot.malformed');
  }
  if (d.format !== BALLOT_FORMAT) throw new CryptoError('ballot.malformed', 'format');
  return {
    fp: fromHex(d.election, 32),
    cred: parsePoint(d.credential),
    answers: d.answers.map((a) => ({
      options: a.options.map((o) => ({
        alpha: parsePoint(o.alpha),
        beta: parsePoint(o.beta),
        c0: parseScalar(o.c0),
        c1: parseScalar(o.c1),
        z0: parseScalar(o.z0),
        z1: parseScalar(o.z1),
      })),
      sum: { c: parseScalar(a.sum_proof.c), z: parseScalar(a.sum_proof.z) },
    })),
    sig: { c: parseScalar(d.signature.c), z: parseScalar(d.signature.z) },
  };
}

function makeBallotWith(nonces, { fingerprint, jointKey, credential, choices, optionCounts }) {
  const fp = typeof fingerprint === 'string' ? fromHex(fingerprint, 32) : fingerprint;
  const K = typeof jointKey === 'string' ? parsePoint(jointKey) : jointKey;
  if (fp.length !== 32) throw new CryptoError('ballot.invalid_parameter', 'fingerprint');
  if (isZero(K)) throw new CryptoError('ballot.identity_point', 'joint key');
  if (choices.length !== optionCounts.length) {
    throw new CryptoError('ballot.wrong_question_count');
  }
  const cred = credential.public;
  const answers = choices.map((choice, q) => {
    const n = optionCounts[q];
    if (!Number.isInteger(n) || n < 2 || n > 64) {
      throw new CryptoError('ballot.invalid_parameter', 'option count');
    }
    if (!Number.isInteger(choice) || choice < 0 || choice >= n) {
      throw new CryptoError('ballot.invalid_parameter', 'choice');
    }
    const options = [];
    let rSum = new Uint8Array(32);
    let A = new Uint8Array(32);
    let B = new Uint8Array(32);
    for (let o = 0; o < n; o++) {
      const m = o === choice ? 1 : 0;
      const r = nonces.scalar('elgamal-r', q, o);
      const ct = encrypt(K, m, r);
      const pf = proveZeroOrOne(fp, cred, q, o, K, ct, m, r, nonces);
      options.push({ ...ct, ...pf });
      rSum = sadd(rSum, r);
      A = add(A, ct.alpha);
      B = add(B, ct.beta);
    }
    const sum = proveDleq(
      TAGS.sum,
      [fp, cred, u32(q), u32(n)],
      gen(),
      A,
      K,
      sub(B, gen()),
      rSum,
      nonces.scalar('sum-w', q),
    );
    return { options, sum };
  });
  const body = bodyBytes(fp, cred, answers);
  const sig = sign(credential, fp, body, nonces);
  return toDict({ fp, cred, answers, sig });
}

/** Make a ballot with fresh random nonces (the production path). */
export function makeBallot(params) {
  return makeBallotWith(randomNonces(), params);
}

/** Deterministic variant for test vectors only (SPEC.md §12). */
export function makeBallotWithSeed(seed, params) {
  return makeBallotWith(seededNonces(seed), params);
}

/** For ./audit.js only (auditable ballots keep their nonces, SPEC.md §9.4). */
export const _makeBallotWith = makeBallotWith;

export function ballotBody(ballotDict) {
  const b = parseBallot(ballotDict);
  return bodyBytes(b.fp, b.cred, b.answers);
}

export function canonicalBytes(ballotDict) {
  const b = parseBallot(ballotDict);
  return transcript(TAGS.ballot, bodyBytes(b.fp, b.cred, b.answers), b.sig.c, b.sig.z);
}

export function tracker(ballotDict) {
  return toHex(sha256(canonicalBytes(ballotDict)));
}

/** Self-check before sending (the server verifies again). Returns true or throws. */
export function verifyBallot(ballotDict, { fingerprint, jointKey, optionCounts }) {
  const b = parseBallot(ballotDict);
  const fp = typeof fingerprint === 'string' ? fromHex(fingerprint, 32) : fingerprint;
  const K = typeof jointKey === 'string' ? parsePoint(jointKey) : jointKey;
  if (!S().memcmp(b.fp, fp)) throw new CryptoError('ballot.wrong_election');
  if (b.answers.length !== optionCounts.length) throw new CryptoError('ballot.wrong_question_count');
  b.answers.forEach((a, q) => {
    if (a.options.length !== optionCounts[q]) throw new CryptoError('ballot.wrong_option_count');
    for (const o of a.options) {
      if (isZero(o.alpha)) throw new CryptoError('ballot.identity_point');
    }
  });
  if (!verifySignature(b.cred, fp, bodyBytes(b.fp, b.cred, b.answers), b.sig)) {
    throw new CryptoError('ballot.signature_invalid');
  }
  b.answers.forEach((a, q) => {
    let A = new Uint8Array(32);
    let B = new Uint8Array(32);
    a.options.forEach((o, i) => {
      if (!verifyZeroOrOne(fp, b.cred, q, i, K, o, o)) throw new CryptoError('ballot.proof_invalid');
      A = add(A, o.alpha);
      B = add(B, o.beta);
    });
    const ctx = [fp, b.cred, u32(q), u32(a.options.length)];
    if (!verifyDleq(TAGS.sum, ctx, gen(), A, K, sub(B, gen()), a.sum)) {
      throw new CryptoError('ballot.proof_invalid');
    }
  });
  return true;
}
