// The voter page (server-rendered by ballot.entrypoints.web): reads the election's public data
// from the page, checks the code, makes the ballot in this browser with ./crypto.js (derive the
// credential, encrypt, prove, sign, self-check), sends it, and shows the tracker.
//
// One ES module, no inline script, no eval: works under the page's strict CSP
// (script-src 'self' 'wasm-unsafe-eval' for libsodium's WebAssembly).
// The code, the credential secret and the choices never leave this page except as the ballot.

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
  let busy = false;
  let lastTracker = null;
  // After a network failure or a 5xx, the same inputs resend the very same ballot: if the
  // first attempt did arrive, the server answers ballot.replay and nothing is stored twice.
  let pending = null;
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

  async function cast(event) {
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
    busy = true;
    submit.disabled = true;
    try {
      let ballot;
      let tracker;
      const key = `${code}|${out.join(',')}`;
      if (pending && pending.key === key) {
        ({ ballot, tracker } = pending);
      } else {
        pending = null;
        setStatus('Đang mã hóa phiếu trên máy của bạn…');
        await nextFrame();
        const credential = bc.deriveCredential(code, data.election_id);
        try {
          ballot = bc.makeBallot({ ...params, credential, choices: out });
          bc.verifyBallot(ballot, params);
          tracker = bc.tracker(ballot);
        } catch {
          fail(m.SELF_CHECK_FAILED);
          return;
        } finally {
          credential.secret.fill(0);
        }
      }
      lastTracker = tracker;
      setStatus('Đang gửi phiếu…');
      let response;
      try {
        response = await fetch(data.cast_url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(ballot),
          credentials: 'omit',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
        });
      } catch {
        pending = { key, ballot, tracker };
        fail(m.networkMessage(m.groupHex(tracker)));
        return;
      }
      pending = response.status >= 500 ? { key, ballot, tracker } : null;
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
      submit.disabled = false;
    }
  }

  function done(body, tracker, note) {
    pending = null;
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

  form.addEventListener('submit', cast);
  $('tra-cuu').addEventListener('click', lookup);
  $('bo-phieu-lai').addEventListener('click', again);
  document.documentElement.dataset.pageReady = 'yes';
}

start();
