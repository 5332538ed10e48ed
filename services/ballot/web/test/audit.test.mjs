// Benaloh challenge (SPEC.md §9.4): src/audit.js against ../testvectors/audit.json, the same
// vectors the Python core passes (tests/unit/ballot/crypto/test_crypto_audit.py).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as bc from '../src/crypto.js';
import {
  auditDocument,
  makeAuditableBallot,
  makeAuditableBallotWithSeed,
  openAudit,
} from '../src/audit.js';

const here = dirname(fileURLToPath(import.meta.url));
const v = JSON.parse(readFileSync(join(here, '..', '..', 'testvectors', 'audit.json'), 'utf8'));
const election = { fingerprint: v.fingerprint, jointKey: v.joint_key, optionCounts: v.option_counts };

before(async () => {
  await bc.ready();
});

test('the seeded ballot, its nonces and its audit document match the Python vectors', () => {
  const credential = bc.deriveCredential(v.code, v.election_id);
  const { ballot, randomness } = makeAuditableBallotWithSeed(bc.fromHex(v.seed), {
    ...election,
    credential,
    choices: v.choices,
  });
  assert.deepEqual(ballot, v.ballot);
  assert.equal(bc.tracker(ballot), v.tracker);
  assert.deepEqual(randomness.map((row) => row.map(bc.toHex)), v.randomness);
  assert.deepEqual(auditDocument(ballot, randomness, v.choices), v.audit);
});

test('the audit opens to the choices shown', () => {
  assert.deepEqual(openAudit(v.audit, election), v.choices);
});

test('each refused variant fails with its code', () => {
  for (const c of v.negative) {
    assert.throws(() => openAudit(c.audit, election), (e) => e.code === c.error, c.name);
  }
});

test('a device that encrypts another choice than it shows is caught', () => {
  const credential = bc.deriveCredential(v.code, v.election_id);
  const { ballot, randomness } = makeAuditableBallot({ ...election, credential, choices: [0, 3] });
  assert.ok(bc.verifyBallot(ballot, election));
  assert.throws(
    () => openAudit(auditDocument(ballot, randomness, [2, 3]), election),
    (e) => e.code === 'ballot.audit_invalid',
  );
  assert.deepEqual(openAudit(auditDocument(ballot, randomness, [0, 3]), election), [0, 3]);
});
