// Runs benchmarks one after the other, each in its own process (bench:smoke, bench:receiver):
// stops at the first that fails, and passes SIGINT/SIGTERM on to the one running.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * Runs each of `benches` ('path/to/bench.ts [args…]', from the repository root) with `extraArgs`,
 * in turn; exits the process with the first failure's code (130 after a signal), else returns.
 */
export async function runInTurn(benches: string[], extraArgs: string[] = []): Promise<void> {
  let current: ChildProcess | null = null;
  let stopped = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopped = true;
      current?.kill(signal);
    });
  }
  const label = extraArgs.join(' ');
  const started = performance.now();
  for (const bench of benches) {
    if (stopped) break;
    const args = [...bench.split(' ').filter(Boolean), ...extraArgs];
    const name = args.join(' ');
    console.log(`\n== ${name}`);
    const t = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root,
      stdio: 'inherit',
    });
    current = child;
    const code = await new Promise<number>((done) =>
      child.once('exit', (c, signal) => done(c ?? (signal ? 128 : 1))),
    );
    current = null;
    console.log(
      `== ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    if (code !== 0) process.exit(code);
  }
  if (stopped) process.exit(130);
  console.log(
    `\nall ${benches.length} benchmarks passed${label ? ` (${label})` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
