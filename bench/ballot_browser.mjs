// The JavaScript half of bench/ballot_browser.py: one timing loop, run unchanged in headless
// Chromium (with the esbuild bundle, under the voter page's CSP) and in Node (baseline, the
// same services/ballot/web/src/crypto.js unbundled).
//
//   node bench/ballot_browser.mjs '<config JSON>'    → prints the results as JSON
//
// Config: {fingerprint, jointKey, code, electionId, warmup, rounds, batch, singles,
//          shapes: [{name, counts, choices}]}.
// Per shape, two operations:
//   make: makeBallot (encrypt every option, 0/1 proofs, sum proofs, Schnorr signature);
//   cast: what one click on the voter page computes: deriveCredential + makeBallot +
//         verifyBallot (self-check) + tracker.
// Each: `warmup` unrecorded calls, then `rounds` rounds of `batch` calls (per-call mean of each
// round; robust to Chromium's coarse performance.now()), then `singles` individually timed calls.

export function runBench(bc, cfg) {
  const out = {};
  const credential = bc.deriveCredential(cfg.code, cfg.electionId);
  for (const s of cfg.shapes) {
    const params = { fingerprint: cfg.fingerprint, jointKey: cfg.jointKey, optionCounts: s.counts };
    const ops = {
      make: () => bc.makeBallot({ ...params, credential, choices: s.choices }),
      cast: () => {
        const c = bc.deriveCredential(cfg.code, cfg.electionId);
        const b = bc.makeBallot({ ...params, credential: c, choices: s.choices });
        bc.verifyBallot(b, params);
        return bc.tracker(b);
      },
    };
    for (const [op, fn] of Object.entries(ops)) {
      for (let i = 0; i < cfg.warmup; i++) fn();
      const rounds = [];
      for (let r = 0; r < cfg.rounds; r++) {
        const t0 = performance.now();
        for (let i = 0; i < cfg.batch; i++) fn();
        rounds.push((performance.now() - t0) / cfg.batch);
      }
      const singles = [];
      for (let i = 0; i < cfg.singles; i++) {
        const t0 = performance.now();
        fn();
        singles.push(performance.now() - t0);
      }
      out[`${s.name}/${op}`] = { rounds, singles };
    }
  }
  return out;
}

async function nodeMain() {
  const { pathToFileURL } = await import('node:url');
  if (!process.argv[1] || import.meta.url !== pathToFileURL(process.argv[1]).href) return;
  const cfg = JSON.parse(process.argv[2]);
  const t0 = performance.now();
  const bc = await import('../services/ballot/web/src/crypto.js');
  await bc.ready();
  const init = performance.now() - t0;
  const results = runBench(bc, cfg);
  process.stdout.write(JSON.stringify({ init_ms: init, version: process.version, results }));
}

if (typeof process !== 'undefined' && process.versions?.node) await nodeMain();
