// Builds the browser bundles with esbuild (pinned in package-lock.json):
//   dist/crypto.bundle.js  the voter-side crypto alone (benchmarks, other pages)
//   dist/voter.bundle.js   the voter page: crypto + form logic, served by ballot.entrypoints.web
// Usage: node tools/build.mjs [outdir]    (npm run build)
// Deterministic: the same sources and lockfile give the same bytes. Each file is written to a
// temporary name and renamed, so a server reading the directory never sees half a bundle.
// Prints {"<file>": {"sha256": ..., "bytes": ...}} on stdout.

import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] || join(root, 'dist'));
const entries = { 'crypto.bundle.js': 'src/crypto.js', 'voter.bundle.js': 'src/voter.js' };

mkdirSync(outdir, { recursive: true });
const report = {};
for (const [name, entry] of Object.entries(entries)) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    legalComments: 'eof',
    charset: 'utf8',
    write: false,
    logLevel: 'error',
  });
  const bytes = result.outputFiles[0].contents;
  const target = join(outdir, name);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, target);
  report[name] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}
process.stdout.write(`${JSON.stringify(report)}\n`);
