// The scheduler role: exactly one active across all processes (a Redis lease, renewed; another
// process takes over when it lapses). The leader keeps BullMQ's job schedulers in place (cron in
// Asia/Shanghai) and runs the reconciler at once on taking over.
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { WorkflowDeps } from './deps';
import { READ_STATUS_INTERVAL_MS } from './notify/read-status.job';

const LEASE_MS = 15_000;

/** Holds the scheduler lease while this process is the leader. */
export class Scheduler {
  private readonly id = randomUUID();
  private timer?: NodeJS.Timeout;
  private leader = false;
  private closed = false;

  constructor(
    private readonly deps: WorkflowDeps,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private get key(): string {
    return `${this.keyPrefix}scheduler:leader`;
  }

  /** True while this process holds the lease. */
  isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(
      () => void this.tick().catch((err) => this.deps.logger.warn({ err }, '调度器续约失败')),
      LEASE_MS / 3,
    );
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (this.leader) {
      // Renew only our own lease (compare-and-extend).
      const renewed = await this.redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
        1,
        this.key,
        this.id,
        String(LEASE_MS),
      );
      if (renewed !== 1) {
        this.leader = false;
        this.deps.logger.warn('调度器租约丢失，转为备用');
        return;
      }
      // Redis may have lost everything (FLUSHALL, failover without persistence): put the
      // schedules back and reconcile at once, so nothing pending is forgotten.
      if (!(await this.deps.queues.byName.system.getJobScheduler('notify.reconcile'))) {
        this.deps.logger.warn('定时任务丢失（Redis 数据被清空？），正在恢复并对账');
        await this.installSchedules();
      }
      return;
    }
    const got = await this.redis.set(this.key, this.id, 'PX', LEASE_MS, 'NX');
    if (got === 'OK') {
      this.leader = true;
      this.deps.logger.info('本进程成为调度器');
      await this.installSchedules();
    }
  }

  /** Job schedulers are idempotent upserts; the reconciler also runs once right away. */
  private async installSchedules(): Promise<void> {
    const { queues, config } = this.deps;
    await queues.byName.system.upsertJobScheduler(
      'notify.reconcile',
      { every: config.jobs.reconcileIntervalMs },
      { name: 'notify.reconcile', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } },
    );
    await queues.byName.system.upsertJobScheduler(
      'notify.read-status',
      { every: READ_STATUS_INTERVAL_MS },
      { name: 'notify.read-status', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } },
    );
    await queues.byName.timers.upsertJobScheduler(
      'timers.pump',
      { every: config.jobs.timerPollMs },
      { name: 'timers.pump', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } },
    );
    // The leaders' digest, the periodic-test scan, the agencies' yearly credit (issue #8) and the duty
    // ranking of the last complete period (issue #6): cron in the configured time zone.
    await queues.byName.system.upsertJobScheduler(
      'digest.run',
      { pattern: config.digest.cron, tz: config.calendar.timeZone },
      { name: 'digest.run', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    // The chat self-check before the thunderstorm season (issue #7 item 6).
    await queues.byName.system.upsertJobScheduler(
      'inspection.self-check',
      { pattern: config.inspection.selfCheckCron, tz: config.calendar.timeZone },
      { name: 'inspection.self-check', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    await queues.byName.system.upsertJobScheduler(
      'test-report.due-scan',
      { pattern: config.testReport.dueCron, tz: config.calendar.timeZone },
      { name: 'test-report.due-scan', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    // Testing plans' report deadlines (issue #22), with the periodic-test scan.
    await queues.byName.system.upsertJobScheduler(
      'field-work.report-due',
      { pattern: config.testReport.dueCron, tz: config.calendar.timeZone },
      { name: 'field-work.report-due', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    await queues.byName.system.upsertJobScheduler(
      'credit.evaluate',
      { pattern: config.testReport.creditCron, tz: config.calendar.timeZone },
      { name: 'credit.evaluate', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    await queues.byName.system.upsertJobScheduler(
      'ranking.run',
      { pattern: config.ranking.cron, tz: config.calendar.timeZone },
      { name: 'ranking.run', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    // DingTalk to-dos (issue #21): follow the record closely, sweep every open task now and then.
    if (config.todo.sync) {
      await queues.byName.timers.upsertJobScheduler(
        'todos.follow',
        { every: config.todo.followMs },
        { name: 'todos.follow', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } },
      );
      await queues.byName.system.upsertJobScheduler(
        'todos.sweep',
        { every: config.todo.sweepMs },
        { name: 'todos.sweep', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } },
      );
      await queues.enqueue('todos.sweep', {});
    } else {
      await queues.byName.timers.removeJobScheduler('todos.follow');
      await queues.byName.system.removeJobScheduler('todos.sweep');
    }
    await queues.enqueue('notify.reconcile', {});
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.leader) {
      await this.redis
        .eval(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
          1,
          this.key,
          this.id,
        )
        .catch(() => undefined);
      this.leader = false;
    }
  }
}
