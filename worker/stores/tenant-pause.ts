import type { Redis } from 'ioredis';

export interface PauseState {
  paused: boolean;
  /** When and by whom it was paused (absent when running). */
  since?: string;
  by?: string;
}

/** A job set aside while its tenant is paused: its queue and id, in receipt order. */
export interface HeldJob {
  queue: string;
  jobId: string;
}

/**
 * Per-tenant pause: a flag the workers read before each job, and the jobs they set aside while
 * it is up (a sorted set by receipt time, so resume hands them back in order). The jobs
 * themselves stay in BullMQ (delayed far into the future); only their ids are kept here.
 */
export class TenantPause {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'deskplan',
  ) {}

  private flagKey(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:paused`;
  }

  private heldKey(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:held`;
  }

  /** Pauses the tenant; false when it was paused already (the first pause's record stays). */
  async pause(tenantId: string, by: string, nowMs = Date.now()): Promise<boolean> {
    const record = JSON.stringify({ since: new Date(nowMs).toISOString(), by });
    return (await this.redis.set(this.flagKey(tenantId), record, 'NX')) === 'OK';
  }

  /** Lifts the pause; false when the tenant was not paused. */
  async resume(tenantId: string): Promise<boolean> {
    return (await this.redis.del(this.flagKey(tenantId))) === 1;
  }

  async isPaused(tenantId: string): Promise<boolean> {
    return (await this.redis.exists(this.flagKey(tenantId))) === 1;
  }

  async state(tenantId: string): Promise<PauseState> {
    const raw = await this.redis.get(this.flagKey(tenantId));
    if (!raw) return { paused: false };
    const { since, by } = JSON.parse(raw) as { since: string; by: string };
    return { paused: true, since, by };
  }

  /** Records a job set aside (idempotent: a job held twice is kept once, at its first time). */
  async hold(tenantId: string, job: HeldJob, receivedAtMs: number): Promise<void> {
    await this.redis.zadd(this.heldKey(tenantId), 'NX', String(receivedAtMs), memberOf(job));
  }

  /** The jobs set aside, oldest first. */
  async held(tenantId: string): Promise<HeldJob[]> {
    const members = await this.redis.zrange(this.heldKey(tenantId), '0', '-1');
    return members.map(jobOf);
  }

  async heldCount(tenantId: string): Promise<number> {
    return this.redis.zcard(this.heldKey(tenantId));
  }

  /** Forgets a held job once it is handed back to its queue. */
  async release(tenantId: string, job: HeldJob): Promise<void> {
    await this.redis.zrem(this.heldKey(tenantId), memberOf(job));
  }
}

const memberOf = (job: HeldJob) => `${job.queue}|${job.jobId}`;

function jobOf(member: string): HeldJob {
  const at = member.indexOf('|');
  return { queue: member.slice(0, at), jobId: member.slice(at + 1) };
}
