// Cast-as-intended: the Benaloh challenge (SPEC.md §9.4). After encrypting, the voter may
// audit the ballot instead of casting it: the page reveals every ElGamal nonce r, and anyone
// with the election's joint key K checks  α = r·G  and  β = r·K + m·G  (m one-hot of the
// choice shown). The audit document holds no credential, proof or signature.

import {
  _makeBallotWith,
  CryptoError,
  encrypt,
  fromHex,
  parsePoint,
  parseScalar,
  randomNonces,
  seededNonces,
  toHex,
  tracker,
} from './crypto.js';

export const AUDIT_FORMAT = 'congvu/v1/audit';

/** Wraps a nonce source and keeps the ElGamal nonces r[q][o] it hands out (SPEC.md §9.4). */
function recording(nonces) {
  const kept = new Map();
  return {
    nonces: {
      scalar(label, ...idx) {
        const s = nonces.scalar(label, ...idx);
        if (label === 'elgamal-r') kept.set(`${idx[0]},${idx[1]}`, s);
        return s;
      },
    },
    randomness: (counts) =>
      counts.map((n, q) => Array.from({ length: n }, (_, o) => kept.get(`${q},${o}`))),
  };
}

/**
 * makeBallot that also returns the ElGamal nonces, so the voter may audit the ballot instead
 * of casting it (Benaloh challenge, SPEC.md §9.4): `{ballot, randomness: [[Uint8Array]]}`.
 * The nonces are as secret as the choices until the voter decides; wipe them after a cast.
 */
export function makeAuditableBallot(params) {
  const rec = recording(randomNonces());
  const ballot = _makeBallotWith(rec.nonces, params);
  return { ballot, randomness: rec.randomness(params.optionCounts) };
}

/** Deterministic variant for test vectors only (SPEC.md §12). */
export function makeAuditableBallotWithSeed(seed, params) {
  const rec = recording(seededNonces(seed));
  const ballot = _makeBallotWith(rec.nonces, params);
  return { ballot, randomness: rec.randomness(params.optionCounts) };
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The audit document of a ballot (SPEC §9.4) from its nonces and the choices shown. */
export function auditDocument(ballot, randomness, choices) {
  if (randomness.length !== ballot.answers.length || choices.length !== ballot.answers.length) {
    throw new CryptoError('ballot.wrong_question_count');
  }
  return {
    format: AUDIT_FORMAT,
    election: ballot.election,
    tracker: tracker(ballot),
    answers: ballot.answers.map((a, q) => {
      if (randomness[q].length !== a.options.length) {
        throw new CryptoError('ballot.wrong_option_count', `question ${q}`);
      }
      return {
        choice: choices[q],
        options: a.options.map((o, i) => ({
          alpha: o.alpha,
          beta: o.beta,
          r: toHex(randomness[q][i]),
        })),
      };
    }),
  };
}

function exactKeys(obj, keys) {
  return (
    obj !== null &&
    typeof obj === 'object' &&
    !Array.isArray(obj) &&
    same(Object.keys(obj).sort(), [...keys].sort())
  );
}

/**
 * Check an audit document against the election; return the choices it provably encrypts.
 * Throws CryptoError('ballot.audit_invalid', 'question q, option o') at the first ciphertext
 * that does not open to the choice shown (or the parse / shape error codes of SPEC §14).
 */
export function openAudit(doc, { fingerprint, jointKey, optionCounts }) {
  if (!exactKeys(doc, ['format', 'election', 'tracker', 'answers']) || doc.format !== AUDIT_FORMAT) {
    throw new CryptoError('ballot.malformed', 'audit document');
  }
  if (typeof doc.tracker !== 'string' || !/^[0-9a-f]{64}$/.test(doc.tracker)) {
    throw new CryptoError('ballot.malformed', 'tracker');
  }
  const fp = typeof fingerprint === 'string' ? fromHex(fingerprint, 32) : fingerprint;
  const K = typeof jointKey === 'string' ? parsePoint(jointKey) : jointKey;
  if (!same([...fromHex(doc.election, 32)], [...fp])) throw new CryptoError('ballot.wrong_election');
  if (!Array.isArray(doc.answers) || doc.answers.length !== optionCounts.length) {
    throw new CryptoError('ballot.wrong_question_count');
  }
  return doc.answers.map((a, q) => {
    if (!exactKeys(a, ['choice', 'options']) || !Array.isArray(a.options)) {
      throw new CryptoError('ballot.malformed', `question ${q}`);
    }
    if (a.options.length !== optionCounts[q]) {
      throw new CryptoError('ballot.wrong_option_count', `question ${q}`);
    }
    if (!Number.isInteger(a.choice) || a.choice < 0 || a.choice >= optionCounts[q]) {
      throw new CryptoError('ballot.audit_invalid', `question ${q}`);
    }
    a.options.forEach((o, i) => {
      if (!exactKeys(o, ['alpha', 'beta', 'r'])) {
        throw new CryptoError('ballot.malformed', `question ${q}, option ${i}`);
      }
      const alpha = parsePoint(o.alpha);
      const beta = parsePoint(o.beta);
      const r = parseScalar(o.r);
      if (r.every((x) => x === 0)) {
        throw new CryptoError('ballot.audit_invalid', `question ${q}, option ${i}: zero nonce`);
      }
      const ct = encrypt(K, i === a.choice ? 1 : 0, r);
      if (!same([...ct.alpha], [...alpha]) || !same([...ct.beta], [...beta])) {
        throw new CryptoError('ballot.audit_invalid', `question ${q}, option ${i}`);
      }
    });
    return a.choice;
  });
}
