// npm run bench:receiver — the unknown-tenant flood (long random ids), then the Redis outage, in
// normal mode, one after the other; each writes its bench/results/receiver-*.json. Each stops
// the receiver and the redis-server it started, also on Ctrl-C. Arguments are passed on to both
// (e.g. `npm run bench:receiver -- --smoke`).
import { runInTurn } from '../run-in-turn.js';

await runInTurn(
  ['bench/receiver/unknown-tenant-flood.ts', 'bench/receiver/redis-outage.ts'],
  process.argv.slice(2),
);
