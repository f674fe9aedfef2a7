/**
 * Accepting several messages at once (batch doors): each item is checked on its own, then either
 * every item must be valid (strict) or the valid ones go and the rest are reported (permissive).
 */
import { AppError, type ItemError } from '../../lib/errors';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { commitEmails, prepareEmail, type PreparedEmail, type SenderCache } from './accept';
import type { AcceptedEmail, EmailDraft } from './types';

export async function acceptMany(
  deps: Deps,
  principal: Principal,
  items: (EmailDraft | ItemError)[],
  mode: 'strict' | 'permissive',
): Promise<{ accepted: (AcceptedEmail & { index: number })[]; errors: ItemError[] }> {
  const errors: ItemError[] = [];
  const prepared: { index: number; email: PreparedEmail }[] = [];
  const senders: SenderCache = new Map();
  for (const [index, item] of items.entries()) {
    if (!('to' in item)) {
      errors.push({ ...item, index });
      continue;
    }
    try {
      prepared.push({ index, email: await prepareEmail(deps, principal, item, senders) });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      errors.push({ index, code: err.code, message: err.message, ...(err.param ? { param: err.param } : {}) });
    }
  }
  if (errors.length && (mode === 'strict' || prepared.length === 0)) {
    const what = mode === 'strict' ? 'nothing was sent (x-batch-validation: strict)' : 'nothing was valid';
    throw new AppError('validation_failed', `${errors.length} of ${items.length} messages are invalid; ${what}.`, undefined, undefined, errors);
  }
  const accepted = await commitEmails(deps, prepared.map((p) => p.email));
  return { accepted: accepted.map((a, i) => ({ ...a, index: prepared[i]!.index })), errors };
}
