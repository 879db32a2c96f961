// What every benchmark shares: smoke mode, correctness checks, writing bench/results/.
// (Starting and stopping processes: lifecycle.ts.)
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/**
 * Smoke mode (`--smoke` or BENCH_SMOKE=1): the same code paths and checks on a few seconds of
 * work, for CI. Its figures are printed but mean little, and bench/results/ is left alone.
 */
export const SMOKE =
  process.argv.includes('--smoke') || /^(1|true|yes)$/i.test(process.env.BENCH_SMOKE ?? '');

/** A correctness check inside a benchmark: a wrong result fails the run, in every mode. */
export function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(`benchmark check failed: ${message}`);
}

/** Writes bench/results/<name>.json, except in smoke mode. */
export function writeResults(name: string, results: unknown): void {
  if (SMOKE) {
    console.log(`smoke mode: bench/results/${name}.json left as it was`);
    return;
  }
  writeFileSync(
    new URL(`results/${name}.json`, import.meta.url),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(`wrote bench/results/${name}.json`);
}

/** `n` rounded to two decimals. */
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** When and where a run was measured, for its results file (others' work shows in the load). */
export function aboutTheRun(loadAtStart: number) {
  return {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    // 1-minute load average of the machine: on 2 cores, 2.0 means both busy.
    loadAverage: { atStart: round2(loadAtStart), atEnd: round2(loadavg()[0]!) },
  };
}
