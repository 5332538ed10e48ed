// The election fingerprint recomputed in the browser from the published manifest
// (SPEC.md §5.2, §5.3), and the checks the voter page runs before it lets anyone vote:
// the fingerprint it shows and signs under is the one the manifest hashes to, and the joint key
// it encrypts under is the sum of the trustees' first commitments (K = Σ C_i0, §10.6).
// Trustee proofs of knowledge are left to the server and the verifier CLI.

import * as bc from './crypto.js';

const TAG_FINGERPRINT = 'congvu/v1/fingerprint01';
const TAG_CREDENTIALS = 'congvu/v1/credentials01';
const SPEC = 'congvu/v1';
const GROUP = 'ristretto255';

export class ManifestError extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

/** H256(credentials01, u32(N), P_1..P_N) over the credentials sorted by encoding, no duplicates. */
export function credentialListHash(credentials) {
  // lowercase hex of equal length sorts exactly like the bytes
  const sorted = [...credentials].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new ManifestError('duplicate credential');
  }
  const points = sorted.map((h) => {
    const p = bc.parsePoint(h);
    if (p.every((x) => x === 0)) throw new ManifestError('identity credential');
    return p;
  });
  return bc.sha256(bc.transcript(TAG_CREDENTIALS, bc.u32(points.length), ...points));
}

/** The 32-byte fingerprint of a manifest (the JSON of SPEC.md §5.1), as lowercase hex. */
export function fingerprint(m) {
  if (m.spec !== SPEC || m.group !== GROUP) throw new ManifestError('spec or group');
  const f = [bc.text(SPEC), bc.text(GROUP), bc.text(m.election_id), bc.u32(m.questions.length)];
  for (const q of m.questions) {
    f.push(bc.text(q.id), bc.text(q.label), bc.u32(q.options.length));
    for (const o of q.options) f.push(bc.text(o));
  }
  f.push(bc.u32(m.threshold), bc.u32(m.trustees.length));
  for (const t of m.trustees) {
    if (t.keys.index !== t.reveal.trustee) throw new ManifestError('trustee index');
    f.push(bc.u32(t.keys.index), bc.fromHex(t.keys.sign_key, 32), bc.fromHex(t.keys.kx_key, 32));
    for (const c of t.reveal.commitments) f.push(bc.parsePoint(c));
    for (const p of t.reveal.proofs) f.push(bc.parseScalar(p.c), bc.parseScalar(p.z));
  }
  f.push(bc.parsePoint(m.joint_key), credentialListHash(m.credentials), bc.u32(m.min_ballots));
  return bc.toHex(bc.sha256(bc.transcript(TAG_FINGERPRINT, ...f)));
}

/**
 * Everything the page is about to use must follow from the manifest: throws ManifestError
 * unless the fingerprint, election id, joint key (= Σ C_i0) and option counts all agree.
 */
export function checkManifest(m, { electionId, fingerprint: fp, jointKey, optionCounts }) {
  if (m.election_id !== electionId) throw new ManifestError('election id');
  let sum = new Uint8Array(32);
  for (const t of m.trustees) sum = bc.add(sum, bc.parsePoint(t.reveal.commitments[0]));
  if (bc.toHex(sum) !== m.joint_key || m.joint_key !== jointKey) {
    throw new ManifestError('joint key');
  }
  const counts = m.questions.map((q) => q.options.length);
  if (JSON.stringify(counts) !== JSON.stringify(optionCounts)) {
    throw new ManifestError('option counts');
  }
  if (fingerprint(m) !== fp) throw new ManifestError('fingerprint');
  return true;
}
