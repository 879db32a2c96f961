// npm run bench:rules — routing, business-hours deadlines and whole decisions, each next to a
// naive baseline measured in the same run; writes bench/results/rules.json.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchDeadline } from './deadline.js';
import { benchDecision } from './decision.js';
import { benchRouting } from './routing.js';

const routing = await benchRouting();
console.table(routing);
const deadline = await benchDeadline();
console.table([deadline]);
const decision = await benchDecision();
console.table([decision]);

const results = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  routing,
  deadline,
  decision: {
    ...decision,
    inDeadlines: Math.round((decision.wholeDecisionMicros / deadline.compiledMicros) * 10) / 10,
  },
};
writeFileSync(
  new URL('../results/rules.json', import.meta.url),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log('wrote bench/results/rules.json');
