// The scheduler role: exactly one active across all processes (a Redis lease, renewed; another
// process takes over when it lapses). The leader keeps BullMQ's job schedulers in place (cron in
// Asia/Shanghai) and runs the reconciler at once on taking over.
import { redisAway } from '../core/config/redis';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type Redis from 'ioredis';
import type { WorkflowDeps } from './deps';
import type { JobName } from './job-queues';
import { listJobs } from './registry';

const LEASE_MS = 15_000;

/**
 * Holds the scheduler lease while this process is the leader. Never two active at once, also when
 * Redis restarts or fails over (issue #25): a leader counts itself active only until its last
 * successful renewal plus the lease (a leader that cannot reach Redis steps down on its own clock),
 * and a standby that takes over from a holder it saw waits one lease before acting, so a lease the
 * old master granted but never passed to its replica has run out on the old leader's clock too.
 */
export class Scheduler {
  private readonly id = randomUUID();
  private timer?: NodeJS.Timeout;
  private leader = false;
  /** When this process's lease runs out by its own clock (last successful renewal + lease). */
  private leaseUntil = 0;
  /** When a takeover may start acting. */
  private activeFrom = 0;
  private installed = false;
  /** Another process's lease was seen: taking over from it waits one lease. */
  private sawHolder = false;
  private ticking = false;
  /** The last tick failed (Redis away): reconcile once it works again. */
  private failed = false;
  private closed = false;

  constructor(
    private readonly deps: WorkflowDeps,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly leaseMs = LEASE_MS,
  ) {}

  private get key(): string {
    return `${this.keyPrefix}scheduler:leader`;
  }

  /** True while this process holds the lease and acts as the scheduler. */
  isLeader(): boolean {
    const now = Date.now();
    return this.leader && now >= this.activeFrom && now < this.leaseUntil;
  }

  async start(): Promise<void> {
    if (this.redis.status !== 'ready')
      await Promise.race([once(this.redis, 'ready'), new Promise((r) => setTimeout(r, 5000).unref())]);
    await this.tick().catch((err) => this.deps.logger.warn({ err }, '调度器续约失败'));
    this.timer = setInterval(() => void this.tick().catch((err) => this.onTickError(err)), this.leaseMs / 3);
  }

  private onTickError(err: unknown): void {
    this.failed = true;
    if (this.leader && Date.now() >= this.leaseUntil) {
      this.leader = false;
      this.installed = false;
      this.deps.logger.warn({ err }, '调度器无法续约（Redis 不可用），租约已到期，转为备用');
    } else this.deps.logger.warn({ err }, '调度器续约失败');
  }

  private async tick(): Promise<void> {
    if (this.closed || this.ticking) return;
    // Redis (re)connecting: commands would wait in the offline queue; skip this round.
    if (redisAway(this.redis)) throw new Error(`Redis not ready (${this.redis.status})`);
    this.ticking = true;
    try {
      await this.round();
    } finally {
      this.ticking = false;
    }
  }

  private async round(): Promise<void> {
    const started = Date.now();
    const recovered = this.failed;
    this.failed = false;
    if (this.leader) {
      // Renew only our own lease (compare-and-extend).
      const renewed = await this.redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
        1,
        this.key,
        this.id,
        String(this.leaseMs),
      );
      if (renewed !== 1) {
        this.leader = false;
        this.installed = false;
        this.deps.logger.warn('调度器租约丢失，转为备用');
        return;
      }
      this.leaseUntil = started + this.leaseMs;
      if (Date.now() < this.activeFrom) return;
      if (!this.installed) {
        this.installed = true;
        this.deps.logger.info('本进程成为调度器');
        await this.installSchedules();
        return;
      }
      // Redis may have lost everything (FLUSHALL, failover without persistence): put the
      // schedules back and reconcile at once, so nothing pending is forgotten.
      if (!(await this.deps.queues.byName.system.getJobScheduler('notify.reconcile'))) {
        this.deps.logger.warn('定时任务丢失（Redis 数据被清空？），正在恢复并对账');
        await this.installSchedules();
      } else if (recovered) {
        // Back after Redis was away: whatever was written meanwhile is queued now, not at the next pass.
        await this.deps.queues.enqueue('notify.reconcile', {});
      }
      return;
    }
    const got = await this.redis.set(this.key, this.id, 'PX', this.leaseMs, 'NX');
    if (got !== 'OK') {
      this.sawHolder = true;
      return;
    }
    this.leader = true;
    this.leaseUntil = started + this.leaseMs;
    this.activeFrom = this.sawHolder ? started + this.leaseMs : started;
    if (this.sawHolder) {
      this.deps.logger.info({ waitMs: this.leaseMs }, '已取得调度器租约，等待原调度器的租约到期后接管');
      return;
    }
    this.installed = true;
    this.deps.logger.info('本进程成为调度器');
    await this.installSchedules();
  }

  /**
   * One job scheduler per job that declares a schedule (workflows/registry.ts); upserts are
   * idempotent. Jobs marked runAtInstall (the reconciler, the to-do sweep) also run once right away.
   */
  private async installSchedules(): Promise<void> {
    const { queues, config } = this.deps;
    const scheduled = listJobs().filter((def) => def.schedule);
    for (const def of scheduled) {
      const queue = queues.byName[def.queue];
      const repeat = def.schedule!.repeat(config);
      if (!repeat) {
        await queue.removeJobScheduler(def.name);
        continue;
      }
      // Frequent runs keep fewer finished jobs than daily ones.
      const removeOnComplete = 'every' in repeat ? 10 : 50;
      await queue.upsertJobScheduler(def.name, repeat, {
        name: def.name,
        data: {},
        opts: { removeOnComplete, removeOnFail: 50 },
      });
    }
    for (const def of scheduled) {
      if (def.schedule!.runAtInstall && def.schedule!.repeat(config)) await queues.enqueue(def.name as JobName, {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.leader && this.redis.status === 'ready') {
      await this.redis
        .eval(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
          1,
          this.key,
          this.id,
        )
        .catch(() => undefined);
    }
    this.leader = false;
  }
}
