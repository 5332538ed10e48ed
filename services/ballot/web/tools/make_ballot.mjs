// Reads {fingerprint, joint_key, code, election_id, choices, option_counts} as JSON on stdin,
// writes {ballot, tracker, credential} as JSON on stdout. Used by the Python interop test.
import * as bc from '../src/crypto.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const p = JSON.parse(input);
await bc.ready();
const credential = bc.deriveCredential(p.code, p.election_id);
const ballots = [];
for (const choices of p.choices) {
  const ballot = bc.makeBallot({
    fingerprint: p.fingerprint,
    jointKey: p.joint_key,
    credential,
    choices,
    optionCounts: p.option_counts,
  });
  ballots.push({ ballot, tracker: bc.tracker(ballot) });
}
process.stdout.write(JSON.stringify({ credential: bc.toHex(credential.public), ballots }));
