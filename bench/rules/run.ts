// npm run bench:rules — routing, business-hours deadlines and whole decisions, each next to a
// naive baseline measured in the same run; writes bench/results/rules.json.
// `--smoke` (or BENCH_SMOKE=1): the same steps and checks in about two seconds, nothing written.
import { loadavg } from 'node:os';
import { aboutTheRun, SMOKE, writeResults } from '../mode.js';
import { benchDeadline } from './deadline.js';
import { benchDecision } from './decision.js';
import { benchRouting } from './routing.js';

if (SMOKE) console.log('smoke mode: a few milliseconds per figure, not results');
const loadAtStart = loadavg()[0]!;
const routing = await benchRouting();
console.table(routing);
const deadline = await benchDeadline();
console.table([deadline]);
const decision = await benchDecision();
console.table([decision]);

const results = {
  ...aboutTheRun(loadAtStart),
  routing,
  deadline,
  decision: {
    ...decision,
    inDeadlines: Math.round((decision.wholeDecisionMicros / deadline.compiledMicros) * 10) / 10,
  },
};
writeResults('rules', results);
