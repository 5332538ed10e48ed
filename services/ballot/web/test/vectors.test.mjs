// Checks src/crypto.js against the shared JSON vectors in ../testvectors, byte for byte.
// Run: cd services/ballot/web && node --test test/

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as bc from '../src/crypto.js';

const here = dirname(fileURLToPath(import.meta.url));
const load = (name) => JSON.parse(readFileSync(join(here, '..', '..', 'testvectors', `${name}.json`), 'utf8'));
const hex = (b) => bc.toHex(b);
const unhex = (h) => bc.fromHex(h);

before(async () => {
  await bc.ready();
});

test('RFC 9496 multiples, invalid encodings and one-way map', () => {
  const v = load('ristretto255_rfc9496');
  let p = new Uint8Array(32);
  const g = unhex(bc.GENERATOR_HEX);
  v.multiples_of_generator.forEach((h, k) => {
    assert.equal(hex(p), h);
    assert.equal(hex(bc.baseMul(bc.scalarFromInt(k))), h);
    assert.ok(bc.isValidPoint(unhex(h)));
    p = bc.add(p, g);
  });
  for (const h of v.invalid_encodings) assert.equal(bc.isValidPoint(unhex(h)), false, h);
  for (const c of v.from_uniform_bytes) {
    assert.equal(hex(bc.S_fromHash(unhex(c.input))), c.output);
  }
});

test('extra non-canonical points (top bit)', () => {
  const v = load('points');
  for (const h of v.non_canonical_points) assert.throws(() => bc.parsePoint(h));
  for (const h of v.canonical_points) assert.equal(hex(bc.parsePoint(h)), h);
});

test('transcripts, SHA-2, Hs and Hp', () => {
  for (const c of load('transcript').cases) {
    const fields = c.fields.map(unhex);
    const t = bc.transcript(c.tag, ...fields);
    assert.equal(hex(t), c.transcript);
    assert.equal(hex(bc.sha256(t)), c.sha256);
    assert.equal(hex(bc.sha512(t)), c.sha512);
    assert.equal(hex(bc.challenge(c.tag, ...fields)), c.challenge);
    assert.equal(hex(bc.hashToPoint(c.tag, ...fields)), c.hash_to_point);
  }
});

test('wide reduction and scalar canonicity', () => {
  const v = load('hash_to_scalar');
  for (const c of v.wide_reduction) {
    assert.equal(hex(bc.S_reduce(unhex(c.input))), c.scalar);
  }
  for (const s of v.canonical_scalars) assert.equal(hex(bc.parseScalar(s)), s);
  for (const s of v.non_canonical_scalars) assert.throws(() => bc.parseScalar(s));
});

test('credential codes and key derivation', () => {
  const v = load('credential');
  for (const c of v.cases) {
    const kp = bc.deriveCredential(c.code, c.election_id);
    assert.equal(hex(kp.secret), c.secret);
    assert.equal(hex(kp.public), c.public);
    assert.equal(bc.formatCode(c.code), c.formatted);
    assert.equal(hex(bc.deriveCredential(c.formatted, c.election_id).public), c.public);
    assert.equal(hex(bc.transcript(bc.TAGS.credSalt, bc.text(c.election_id))), c.hkdf_salt);
  }
  for (const bad of v.invalid_codes) {
    assert.throws(() => bc.normalizeCode(bad.code), (e) => e.code === 'ballot.credential_code_invalid');
  }
});

test('Schnorr signatures', () => {
  for (const c of load('schnorr').cases) {
    const kp = { secret: unhex(c.secret), public: unhex(c.public) };
    const sig = bc.sign(kp, unhex(c.fingerprint), unhex(c.message), bc.seededNonces(unhex(c.seed)));
    assert.deepEqual({ c: hex(sig.c), z: hex(sig.z) }, c.signature);
    assert.ok(bc.verifySignature(kp.public, unhex(c.fingerprint), unhex(c.message), sig));
  }
});

test('ElGamal encryption', () => {
  const v = load('elgamal');
  const K = unhex(v.public_key);
  for (const c of v.cases) {
    const ct = bc.encrypt(K, c.m, unhex(c.r));
    assert.equal(hex(ct.alpha), c.alpha);
    assert.equal(hex(ct.beta), c.beta);
  }
});

test('0/1 (CDS) proofs', () => {
  for (const c of load('cds').cases) {
    const ct = { alpha: unhex(c.ciphertext.alpha), beta: unhex(c.ciphertext.beta) };
    const pf = bc.proveZeroOrOne(
      unhex(c.fingerprint), unhex(c.credential), c.question, c.option, unhex(c.joint_key),
      ct, c.m, unhex(c.r), bc.seededNonces(unhex(c.seed)),
    );
    const got = { c0: hex(pf.c0), c1: hex(pf.c1), z0: hex(pf.z0), z1: hex(pf.z1) };
    assert.deepEqual(got, c.proof);
    assert.ok(bc.verifyZeroOrOne(unhex(c.fingerprint), unhex(c.credential), c.question, c.option,
      unhex(c.joint_key), ct, pf));
  }
});

test('sum proof', () => {
  const v = load('sum_proof');
  const ctx = [unhex(v.fingerprint), unhex(v.credential), bc.u32(v.question), bc.u32(v.ciphertexts.length)];
  const G = unhex(bc.GENERATOR_HEX);
  const pf = bc.proveDleq(bc.TAGS.sum, ctx, G, unhex(v.A), unhex(v.joint_key), unhex(v.B_minus_G),
    unhex(v.r_sum), unhex(v.w));
  assert.deepEqual({ c: hex(pf.c), z: hex(pf.z) }, v.proof);
});

test('complete ballots: same JSON, body, canonical bytes and tracker', () => {
  const v = load('ballot');
  for (const c of v.cases) {
    const credential = bc.deriveCredential(c.code, v.election_id);
    const ballot = bc.makeBallotWithSeed(unhex(c.seed), {
      fingerprint: v.fingerprint, jointKey: v.joint_key, credential,
      choices: c.choices, optionCounts: v.option_counts,
    });
    assert.deepEqual(ballot, c.ballot);
    assert.equal(hex(bc.ballotBody(ballot)), c.body);
    assert.equal(hex(bc.canonicalBytes(ballot)), c.canonical);
    assert.equal(bc.tracker(ballot), c.tracker);
    assert.ok(bc.verifyBallot(ballot, { fingerprint: v.fingerprint, jointKey: v.joint_key, optionCounts: v.option_counts }));
  }
});

test('negative ballots are rejected with their code', () => {
  const v = load('ballot');
  const params = { fingerprint: v.fingerprint, jointKey: v.joint_key, optionCounts: v.option_counts };
  for (const c of v.negative) {
    assert.throws(() => bc.verifyBallot(c.ballot, params), (e) => e.code === c.expected_error, c.name);
  }
});

test('random ballots verify and differ', () => {
  const v = load('ballot');
  const credential = bc.deriveCredential(v.cases[0].code, v.election_id);
  const p = { fingerprint: v.fingerprint, jointKey: v.joint_key, credential, choices: [1, 2], optionCounts: v.option_counts };
  const a = bc.makeBallot(p);
  const b = bc.makeBallot(p);
  assert.notEqual(bc.tracker(a), bc.tracker(b));
  assert.ok(bc.verifyBallot(a, p));
});
