// The voter page (server-rendered by ballot.entrypoints.web): reads the election's public data
// from the page, checks the code, makes the ballot in this browser with ./crypto.js (derive the
// credential, encrypt, prove, sign, self-check), shows its tracker, then either sends it and
// shows the receipt, or — the voter's choice — audits it (Benaloh challenge): reveals its
// nonces, has them checked here and by the server, shows what it encrypts, and spoils it.
//
// One ES module, no inline script, no eval: works under the page's strict CSP
// (script-src 'self' 'wasm-unsafe-eval' for libsodium's WebAssembly).
// The code, the credential secret and the choices never leave this page except as the ballot.

import { auditDocument, makeAuditableBallot, openAudit } from './audit.js';
import * as bc from './crypto.js';
import { checkManifest } from './manifest.js';
import * as m from './messages.js';

const $ = (id) => document.getElementById(id);

function show(el, message) {
  el.querySelector('.vi').textContent = message.vi;
  el.querySelector('.en').textContent = message.en || '';
  const d = el.querySelector('.detail');
  if (d) d.textContent = message.detail || '';
  el.hidden = false;
}

function hide(el) {
  el.hidden = true;
}

/** 64 hex digits as two lines of eight groups of four, like the printed fingerprint. */
function setHex(el, hex) {
  const lines = [hex.slice(0, 32), hex.slice(32)].map((part) => {
    const span = document.createElement('span');
    span.className = 'dong';
    span.textContent = m.groupHex(part);
    return span;
  });
  el.replaceChildren(...lines);
}

function setStatus(text) {
  $('trang-thai').textContent = text;
}

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

function start() {
  const holder = $('du-lieu-phieu');
  const form = $('phieu');
  if (!holder || !form) return;
  const data = JSON.parse(holder.textContent);
  const codeInput = $('ma');
  const codeError = $('ma-loi');
  const errorBox = $('loi');
  const submit = $('gui');
  const fieldsets = [...form.querySelectorAll('fieldset.nguoi')];
  const receipt = $('bien-nhan');
  const confirmBox = $('xac-nhan');
  const auditBox = $('ket-qua-kiem-tra');
  const castButton = $('bo');
  const auditButton = $('kiem-tra');
  let busy = false;
  let lastTracker = null;
  let prepared = null;
  const params = {
    fingerprint: data.fingerprint,
    jointKey: data.joint_key,
    optionCounts: data.option_counts,
  };

  // Ready only when libsodium is loaded AND the manifest hashes to the fingerprint shown.
  const cryptoReady = bc.ready().then(
    () => {
      try {
        checkManifest(data.manifest, { electionId: data.election_id, ...params });
      } catch {
        document.documentElement.dataset.manifest = 'mismatch';
        submit.disabled = true;
        show(errorBox, m.MANIFEST_MISMATCH);
        return false;
      }
      $('van-tay-kiem-tra').hidden = false;
      return true;
    },
    () => {
      show(errorBox, m.CRYPTO_NOT_READY);
      return false;
    },
  );
  cryptoReady.then((ok) => {
    document.documentElement.dataset.cryptoReady = ok ? 'yes' : 'no';
  });

  function codeProblem(check) {
    if (check) {
      codeInput.setAttribute('aria-invalid', 'true');
      show(codeError, check);
    } else {
      codeInput.removeAttribute('aria-invalid');
      hide(codeError);
    }
  }

  codeInput.addEventListener('input', () => {
    if (!codeError.hidden) codeProblem(null);
  });
  codeInput.addEventListener('blur', () => {
    if (codeInput.value.trim() === '') return;
    const problem = m.codeShapeProblem(codeInput.value);
    codeProblem(problem);
    if (!problem) codeInput.value = m.groupCode(codeInput.value);
  });

  for (const fs of fieldsets) {
    fs.addEventListener('change', () => {
      fs.removeAttribute('aria-invalid');
      hide(fs.querySelector('.loi-nguoi'));
    });
  }

  function choices() {
    const out = [];
    let firstMissing = null;
    for (const fs of fieldsets) {
      const picked = fs.querySelector('input[type=radio]:checked');
      if (picked) {
        out.push(Number(picked.value));
      } else {
        out.push(null);
        fs.setAttribute('aria-invalid', 'true');
        show(fs.querySelector('.loi-nguoi'), m.missingChoice(fs.dataset.name));
        firstMissing ??= fs;
      }
    }
    return { out, firstMissing };
  }

  function fail(message, focus) {
    show(errorBox, message);
    setStatus('');
    (focus || errorBox).focus();
  }

  // Benaloh challenge (SPEC.md §9.4): the ballot is encrypted and its tracker shown BEFORE
  // the voter decides to cast it or to audit it, so a dishonest script cannot know which
  // ballots will be checked. `prepared` holds the encrypted ballot and its nonces until then.
  function discard() {
    if (prepared && !prepared.sent) {
      for (const row of prepared.randomness) for (const r of row) r.fill(0);
      prepared = null;
    }
    hide(confirmBox);
  }

  async function prepare(event) {
    event.preventDefault();
    if (busy) return;
    hide(errorBox);
    const shape = m.codeShapeProblem(codeInput.value);
    codeProblem(shape);
    const { out, firstMissing } = choices();
    if (shape) {
      codeInput.focus();
      return;
    }
    if (firstMissing) {
      firstMissing.querySelector('input[type=radio]').focus();
      return;
    }
    if (!(await cryptoReady)) {
      fail(document.documentElement.dataset.manifest ? m.MANIFEST_MISMATCH : m.CRYPTO_NOT_READY);
      return;
    }
    let code;
    try {
      code = bc.normalizeCode(codeInput.value);
    } catch {
      codeProblem(m.CODE_CHECKSUM);
      codeInput.focus();
      return;
    }
    const key = `${code}|${out.join(',')}`;
    // After a network failure or a 5xx, the same inputs give back the very same ballot: if
    // the first attempt did arrive, the server answers ballot.replay, nothing is stored twice.
    if (!prepared || prepared.key !== key) {
      discard();
      busy = true;
      submit.disabled = true;
      setStatus('Đang mã hóa phiếu trên máy của bạn…');
      await nextFrame();
      const credential = bc.deriveCredential(code, data.election_id);
      try {
        const made = makeAuditableBallot({ ...params, credential, choices: out });
        bc.verifyBallot(made.ballot, params);
        prepared = { key, choices: out, tracker: bc.tracker(made.ballot), sent: false, ...made };
      } catch {
        fail(m.SELF_CHECK_FAILED);
        return;
      } finally {
        credential.secret.fill(0);
        busy = false;
        submit.disabled = false;
      }
    }
    setStatus('');
    setHex($('ma-xac-nhan'), prepared.tracker);
    $('ma-xac-nhan').dataset.tracker = prepared.tracker;
    confirmBox.hidden = false;
    $('bo').focus();
  }

  async function post(url, body) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  }

  async function cast() {
    if (busy || !prepared) return;
    const { ballot, tracker } = prepared;
    hide(errorBox);
    busy = true;
    castButton.disabled = true;
    auditButton.disabled = true;
    try {
      lastTracker = tracker;
      prepared.sent = true; // from now on it may be on the board: never audit it
      setStatus('Đang gửi phiếu…');
      let response;
      try {
        response = await post(data.cast_url, ballot);
      } catch {
        fail(m.networkMessage(m.groupHex(tracker)));
        return;
      }
      let body = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      if (response.status === 409 && body?.code === 'ballot.replay' && body.tracker === tracker) {
        done({ tracker, fingerprint: data.fingerprint }, tracker, m.ARRIVED_EARLIER);
        return;
      }
      if (response.status !== 201 || !body || typeof body.tracker !== 'string') {
        if (response.status < 500) {
          prepared = null; // refused as sent: a new attempt makes a new ballot
          hide(confirmBox);
        }
        const message = m.problemMessage(response.status, body);
        if (body && body.code === 'ballot.unknown_credential') {
          codeInput.setAttribute('aria-invalid', 'true');
          fail(message, codeInput);
        } else {
          fail(message);
        }
        return;
      }
      done(body, tracker);
    } finally {
      busy = false;
      castButton.disabled = false;
      auditButton.disabled = false;
    }
  }

  async function audit() {
    if (busy || !prepared) return;
    hide(errorBox);
    if (prepared.sent) {
      fail(m.AUDIT_AFTER_SEND);
      return;
    }
    const { ballot, randomness, choices: shown, tracker } = prepared;
    let doc;
    try {
      doc = auditDocument(ballot, randomness, shown);
      const opened = openAudit(doc, params);
      if (opened.join(',') !== shown.join(',')) throw new Error('mismatch');
    } catch {
      fail(m.AUDIT_SELF_CHECK_FAILED);
      return;
    }
    busy = true;
    castButton.disabled = true;
    auditButton.disabled = true;
    try {
      setStatus('Đang gửi phiếu kiểm tra…');
      let response;
      try {
        response = await post(data.audit_url, { ballot, audit: doc });
      } catch {
        fail(m.networkMessage(''));
        return;
      }
      const body = await response.json().catch(() => null);
      if (response.status !== 201 || !body || body.tracker !== tracker) {
        fail(m.problemMessage(response.status, body));
        return;
      }
      // spoiled for good: forget it, the next "encrypt" makes a new ballot with new nonces
      prepared = null;
      showAudit(doc, shown);
    } finally {
      busy = false;
      castButton.disabled = false;
      auditButton.disabled = false;
    }
  }

  function showAudit(doc, shown) {
    setStatus('');
    hide(confirmBox);
    const list = $('lua-chon-kiem-tra');
    list.replaceChildren(
      ...fieldsets.map((fs, q) => {
        const li = document.createElement('li');
        const label = fs.querySelectorAll('label.muc .vi')[shown[q]];
        li.textContent = `${fs.dataset.name}: ${label ? label.textContent : shown[q]}`;
        return li;
      }),
    );
    setHex($('ma-kiem-tra'), doc.tracker);
    $('ma-kiem-tra').dataset.tracker = doc.tracker;
    const text = JSON.stringify(doc, null, 1);
    $('du-lieu-kiem-tra').textContent = text;
    const link = $('tai-kiem-tra');
    if (link.dataset.url) URL.revokeObjectURL(link.dataset.url);
    link.dataset.url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.href = link.dataset.url;
    show($('ghi-chu-kiem-tra'), m.AUDIT_DONE);
    form.hidden = true;
    auditBox.hidden = false;
    $('kiem-tra-tieu-de').focus();
  }

  function encryptAgain() {
    auditBox.hidden = true;
    form.hidden = false;
    submit.focus();
  }

  function done(body, tracker, note) {
    prepared = null;
    hide(confirmBox);
    codeInput.value = '';
    form.reset();
    hide(errorBox);
    setStatus('');
    setHex($('ma-theo-doi'), body.tracker);
    $('ma-theo-doi').dataset.tracker = body.tracker;
    setHex($('van-tay-bien-nhan'), body.fingerprint);
    const warn = $('canh-bao-bien-nhan');
    if (body.tracker !== tracker || body.fingerprint !== data.fingerprint) {
      show(warn, m.TRACKER_MISMATCH);
    } else {
      hide(warn);
    }
    hide($('ket-qua-tra-cuu'));
    if (note) show($('ghi-chu-bien-nhan'), note);
    else hide($('ghi-chu-bien-nhan'));
    form.hidden = true;
    receipt.hidden = false;
    $('bien-nhan-tieu-de').focus();
  }

  async function lookup() {
    const t = $('ma-theo-doi').dataset.tracker || lastTracker;
    const out = $('ket-qua-tra-cuu');
    if (!t) return;
    try {
      const r = await fetch(data.tracker_url + t, {
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
      if (r.status === 200) show(out, m.lookupMessage(await r.json()));
      else if (r.status === 404) show(out, m.LOOKUP_NOT_FOUND);
      else show(out, m.problemMessage(r.status, await r.json().catch(() => null)));
    } catch {
      show(out, m.networkMessage(''));
    }
  }

  function again() {
    receipt.hidden = true;
    form.hidden = false;
    codeInput.focus();
  }

  form.addEventListener('submit', prepare);
  // any change of code or choice after encrypting drops that ballot (unless already sent)
  form.addEventListener('input', () => {
    if (prepared && !prepared.sent) discard();
  });
  castButton.addEventListener('click', cast);
  auditButton.addEventListener('click', audit);
  $('ma-hoa-lai').addEventListener('click', encryptAgain);
  $('tra-cuu').addEventListener('click', lookup);
  $('bo-phieu-lai').addEventListener('click', again);
  document.documentElement.dataset.pageReady = 'yes';
}

start();
