// npm run bench:smoke — every benchmark in smoke mode, one after the other (CI runs this after
// the tests): stops at the first that fails, and passes SIGINT/SIGTERM on to the one running.
import { runInTurn } from './run-in-turn.js';

/** Each entry: a bench, from the repository root, and its arguments; `--smoke` is added. */
const BENCHES = [
  'bench/rules/run.ts',
  'bench/pipeline/run.ts',
  'bench/receiver/unknown-tenant-flood.ts',
  'bench/receiver/unknown-tenant-flood.ts --short',
  'bench/receiver/redis-outage.ts',
];

await runInTurn(BENCHES, ['--smoke']);
