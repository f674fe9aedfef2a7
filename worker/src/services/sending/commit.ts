/**
 * Loading what a set of attempts needs and writing what they produced, a batch at a time: a queue
 * batch of messages costs a few D1 round trips instead of several per message (D1 also counts
 * queries per invocation). If the combined write fails, each attempt is written on its own, so one
 * bad write cannot take the others' recorded outcomes with it.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { findAddressesByIds } from '../../db/addresses';
import { recipientsOf } from '../../db/email-recipients';
import type { EmailRow } from '../../db/schema-sending';
import type { Deps } from '../deps';
import { emitEvents } from '../webhooks/emit';
import { runAttempt, type Attempt, type AttemptContext, type AttemptReport } from './dispatch';

export async function loadContexts(deps: Deps, emails: EmailRow[]): Promise<Map<number, AttemptContext>> {
  const [senders, recipients] = await Promise.all([
    findAddressesByIds(deps.db, [...new Set(emails.map((e) => e.addressId))]),
    recipientsOf(deps.db, emails.map((e) => e.id)),
  ]);
  const contexts = new Map<number, AttemptContext>();
  for (const email of emails) {
    const sender = senders.find((s) => s.id === email.addressId);
    if (!sender) throw new Error(`email ${email.publicId} has no sending address`);
    contexts.set(email.id, { sender, recipients: recipients.filter((r) => r.emailId === email.id) });
  }
  return contexts;
}

/** Writes the attempts' results, then reports them as events; returns the attempts whose results could not be written. */
export async function commitAttempts(deps: Deps, attempts: Attempt[]): Promise<Set<Attempt>> {
  const failed = new Set<Attempt>();
  if (!(await tryBatch(deps, attempts.flatMap((a) => a.writes)))) {
    for (const attempt of attempts) if (!(await tryBatch(deps, attempt.writes))) failed.add(attempt);
  }
  await emitEvents(deps, attempts.filter((a) => !failed.has(a)).flatMap((a) => a.events));
  return failed;
}

async function tryBatch(deps: Deps, writes: BatchItem<'sqlite'>[]): Promise<boolean> {
  const [first, ...rest] = writes;
  if (!first) return true;
  try {
    await deps.db.batch([first, ...rest]);
    return true;
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'outcome_write_failed', statements: writes.length, error: String(err) }));
    return false;
  }
}

/** One message, start to finish (the synchronous doors). */
export async function dispatchAttempt(deps: Deps, email: EmailRow, opts: { final: boolean }): Promise<AttemptReport> {
  const contexts = await loadContexts(deps, [email]);
  const attempt = await runAttempt(deps, email, contexts.get(email.id)!, opts);
  if ((await commitAttempts(deps, [attempt])).size) throw new Error(`could not record the outcome of ${email.publicId}`);
  return attempt.report;
}
