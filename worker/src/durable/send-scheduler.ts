/**
 * One global alarm for scheduled sending: it fires at the earliest `scheduled_at`, moves due
 * messages onto SEND_QUEUE (services/sending/schedule.ts) and re-arms for the next one. D1 holds
 * the schedule; the alarm only holds "when to look next", and Durable Object alarms survive
 * restarts and deploys and are retried if a run fails.
 */
import { DurableObject } from 'cloudflare:workers';
import { createDeps } from '../services/deps';
import { releaseDueEmails } from '../services/sending/schedule';

export class SendScheduler extends DurableObject<Env> {
  /** Makes sure the alarm fires no later than `at`. */
  async wake(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(Math.max(at, Date.now()));
  }

  override async alarm(): Promise<void> {
    const next = await releaseDueEmails(createDeps(this.env));
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }
}
