// The voter page's messages: code format help, one message per cast problem, NFC text.
// Run: cd services/ballot/web && npm test

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as m from '../src/messages.js';
import * as bc from '../src/crypto.js';

const GOOD = 'ZrL3-uWqk-4PdY-ev4i-Qm2T-vZYd'; // shape only; checksum checked by crypto.js

test('code shape: empty, accented (Vietnamese keyboard), bad characters, length', () => {
  assert.match(m.codeShapeProblem('').vi, /Hãy nhập mã/);
  assert.match(m.codeShapeProblem(' - ').vi, /Hãy nhập mã/);
  const telex = m.codeShapeProblem('ZrL3-uWqk-4PdY-ev4i-Qm2T-vZYđ');
  assert.match(telex.vi, /có dấu “đ”/);
  assert.match(telex.detail, /tắt bộ gõ tiếng Việt/);
  const bad = m.codeShapeProblem('ZrL3-uWqk-4PdY-ev4i-Qm2T-vZY0');
  assert.match(bad.vi, /không hợp lệ: “0”/);
  assert.match(bad.detail, /không bao giờ có số 0/);
  const short = m.codeShapeProblem('ZrL3-uWqk-4PdY-ev4i-Qm2T-vZY');
  assert.match(short.vi, /đúng 24 ký tự .* bạn đã nhập 23/);
  assert.equal(m.codeShapeProblem(GOOD), null);
  assert.equal(m.codeShapeProblem(GOOD.replaceAll('-', ' ')), null);
  assert.equal(m.groupCode(GOOD.replaceAll('-', '')), GOOD);
});

test('checksum: a real code passes, one changed letter is caught by crypto.js', async () => {
  await bc.ready();
  const v = JSON.parse(
    readFileSync(new URL('../../testvectors/credential.json', import.meta.url), 'utf8'),
  );
  const code = v.cases[0].code;
  assert.equal(m.codeShapeProblem(code), null);
  assert.ok(bc.normalizeCode(code));
  const flipped = code.slice(0, 2) + (code[2] === 'a' ? 'b' : 'a') + code.slice(3);
  assert.equal(m.codeShapeProblem(flipped), null);
  assert.throws(() => bc.normalizeCode(flipped), { code: 'ballot.credential_code_invalid' });
});

test('every cast problem has a Vietnamese message saying whether the ballot was recorded', () => {
  const cases = [
    [403, { code: 'ballot.unknown_credential' }, /không có trong danh sách/],
    [
      409,
      {
        code: 'ballot.outside_window',
        opens_at: '2026-12-04T01:00:00+00:00',
        closes_at: '2026-12-04T05:30:00+00:00',
      },
      /Ngoài thời gian/,
    ],
    [409, { code: 'ballot.wrong_state', election_status: 'closed' }, /đã kết thúc/],
    [404, { code: 'ballot.election_not_found' }, /Không tìm thấy cuộc bỏ phiếu/],
    [409, { code: 'ballot.duplicate_ciphertext' }, /trùng bản mã/],
    [422, { code: 'ballot.proof_invalid' }, /kiểm tra mật mã/],
    [422, { code: 'ballot.signature_invalid' }, /kiểm tra mật mã/],
    [422, { code: 'request.invalid' }, /không nhận dạng được/],
    [503, { code: 'service.unavailable', instance: 'urn:request:ab' }, /tạm thời bận/],
    [500, { code: 'internal', instance: 'urn:request:cd' }, /Lỗi hệ thống/],
    [502, null, /tạm thời bận/],
    [418, { code: 'x.y', title: 'Ấm trà' }, /Ấm trà/],
  ];
  for (const [status, p, re] of cases) {
    const r = m.problemMessage(status, p);
    assert.match(r.vi, re, `${status} ${p?.code}`);
    assert.ok(r.en && r.en.length > 3);
    assert.ok(r.detail);
  }
  const w = m.problemMessage(409, cases[1][1]);
  assert.match(w.detail, /từ 08:00 ngày 04\/12\/2026 đến trước 12:30 ngày 04\/12\/2026/);
  assert.match(m.problemMessage(503, cases[8][1]).detail, /urn:request:ab/);
  assert.match(m.networkMessage('abcd ef01').detail, /phiếu sau cùng thay thế/);
  assert.match(m.networkMessage('abcd ef01').detail, /abcd ef01/);
});

test('Vietnamese text of the page scripts is NFC', () => {
  for (const f of ['../src/messages.js', '../src/voter.js', '../src/manifest.js']) {
    const s = readFileSync(fileURLToPath(new URL(f, import.meta.url)), 'utf8');
    assert.equal(s, s.normalize('NFC'), f);
  }
});

test('the page recomputes the fingerprint from the manifest (SPEC §5 vector) and checks K', async () => {
  const { fingerprint, credentialListHash, checkManifest } = await import('../src/manifest.js');
  await bc.ready();
  const v = JSON.parse(
    readFileSync(new URL('../../testvectors/fingerprint.json', import.meta.url), 'utf8'),
  );
  assert.equal(bc.toHex(credentialListHash(v.manifest.credentials)), v.credential_list_hash);
  assert.equal(fingerprint(v.manifest), v.fingerprint);
  const params = {
    electionId: v.manifest.election_id,
    fingerprint: v.fingerprint,
    jointKey: v.manifest.joint_key,
    optionCounts: v.manifest.questions.map((q) => q.options.length),
  };
  assert.ok(checkManifest(v.manifest, params));
  const edited = structuredClone(v.manifest);
  edited.questions[0].options[0] = 'Tín nhiệm rất cao';
  assert.notEqual(fingerprint(edited), v.fingerprint);
  assert.throws(() => checkManifest(edited, params), { reason: 'fingerprint' });
  const otherKey = structuredClone(v.manifest);
  otherKey.joint_key = otherKey.trustees[0].reveal.commitments[0];
  assert.throws(() => checkManifest(otherKey, { ...params, jointKey: otherKey.joint_key }), {
    reason: 'joint key',
  });
  assert.throws(() => checkManifest(v.manifest, { ...params, optionCounts: [3, 3] }), {
    reason: 'option counts',
  });
  const dup = structuredClone(v.manifest);
  dup.credentials.push(dup.credentials[0]);
  assert.throws(() => fingerprint(dup), { reason: 'duplicate credential' });
});

test('audit (Benaloh) problems and notices are Vietnamese first, each its own message', () => {
  const audited = m.problemMessage(409, { code: 'ballot.audited' });
  assert.match(audited.vi, /đã được mở để kiểm tra nên không bao giờ được bỏ/);
  assert.match(audited.detail, /Mã hóa lại/);
  const cast = m.problemMessage(409, { code: 'ballot.already_cast' });
  assert.match(cast.vi, /đã được gửi nên không thể mở để kiểm tra/);
  const invalid = m.problemMessage(422, { code: 'ballot.audit_invalid' });
  assert.match(invalid.detail, /Đừng bỏ phiếu trên thiết bị này/);
  assert.notEqual(audited.vi, cast.vi);
  for (const x of [m.AUDIT_SELF_CHECK_FAILED, m.AUDIT_AFTER_SEND, m.AUDIT_DONE, audited, cast]) {
    assert.ok(x.vi && x.en && x.vi.normalize('NFC') === x.vi);
  }
});
