// npm run bench:smoke — every benchmark in smoke mode, one after the other (CI runs this after
// the tests): stops at the first that fails, and passes SIGINT/SIGTERM on to the one running.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['bench/rules/run.ts', 'bench/pipeline/run.ts'];
const root = fileURLToPath(new URL('../', import.meta.url));

let current: ChildProcess | null = null;
let stopped = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopped = true;
    current?.kill(signal);
  });
}

const started = performance.now();
for (const bench of BENCHES) {
  if (stopped) break;
  console.log(`\n== ${bench} --smoke`);
  const t = performance.now();
  current = spawn(process.execPath, ['--import', 'tsx', bench, '--smoke'], {
    cwd: root,
    stdio: 'inherit',
  });
  const code = await new Promise<number>((done) =>
    current!.once('exit', (c, signal) => done(c ?? (signal ? 128 : 1))),
  );
  current = null;
  console.log(
    `== ${bench}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  if (code !== 0) process.exit(code);
}
if (stopped) process.exit(130);
console.log(
  `\nall benchmarks passed in smoke mode in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
