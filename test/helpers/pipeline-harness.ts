// The in-process service for the integration tests: pipeline-core.ts (vitest-free, shared with
// the benchmarks) on a fresh key prefix of the test Redis.
import { startPipelineOn, type PipelineOptions } from './pipeline-core.js';
import { useTestRedis } from './redis.js';

export * from './pipeline-core.js';

/** The whole service in-process: receiver, queue, workers, real Redis, a fake Zendesk. */
export async function startPipeline(options: PipelineOptions = {}) {
  return startPipelineOn(await useTestRedis(), options);
}
