/**
 * Resend's /emails endpoints over the sending service: send, batch, list, get, reschedule, cancel.
 * Answers are Resend's (200 with `{ id }`, `{ data }`, the email and list objects); the queue,
 * idempotency, schedule and permissions are the service's, exactly as for /api/v1.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../../env';
import { AppError, type ItemError } from '../../../lib/errors';
import {
  acceptEmail,
  acceptMany,
  cancelEmail,
  emailFor,
  fetchRemoteAttachments,
  getEmailContent,
  getSentEmail,
  listSentEmails,
  rescheduleEmail,
  senderAddresses,
  type EmailDraft,
} from '../../../services/sending';
import type { Deps } from '../../../services/deps';
import { idempotency } from '../../v1/idempotency';
import { methodNotAllowed } from './errors';
import { invalid, readEmail, readPage, readWhen, type DoorEmail } from './input';
import { emailObject, listedEmail } from './presenters';

const MAX_BATCH = 100;

/** Any sendable message as base64 JSON, plus room for the other fields. */
const jsonLimit = createMiddleware<AppEnv>((c, next) => {
  const maxSize = Math.ceil((c.var.deps.config.maxMessageBytes * 4) / 3) + 1024 * 1024;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError('payload_too_large', `Request bodies are limited to ${maxSize} bytes (MAX_MESSAGE_BYTES as base64); send attachment content as base64.`);
    },
  })(c, next);
});

async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw invalid('validation_failed', 'The request body must be JSON.');
  }
}

/** The draft with its `path` attachments fetched (in their places among the others). */
async function withRemoteFiles(deps: Deps, email: DoorEmail): Promise<EmailDraft> {
  if (email.remote.length === 0) return email.draft;
  const fetched = await fetchRemoteAttachments(deps, email.remote.map((r) => r.ref));
  const attachments = [...email.draft.attachments];
  email.remote.forEach((r, i) => (attachments[r.index] = fetched[i]!));
  return { ...email.draft, attachments };
}

const itemError = (index: number, err: unknown): ItemError => {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  return { index, code: err.code, message: err.message, ...(err.param ? { param: err.param } : {}) };
};

export const emailRoutes = new Hono<AppEnv>()
  .post('/emails/batch', jsonLimit, idempotency, async (c) => {
    const { deps, principal } = c.var;
    const header = (c.req.header('x-batch-validation') ?? 'strict').toLowerCase();
    if (header !== 'strict' && header !== 'permissive') {
      throw invalid('validation_failed', 'Invalid `x-batch-validation` header. Use `strict` or `permissive`.', 'x-batch-validation');
    }
    const body = await jsonBody(c);
    if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
      throw invalid('validation_failed', `The body must be an array of 1 to ${MAX_BATCH} emails.`);
    }
    const now = deps.clock.now();
    const read = body.map((raw, index) => {
      try {
        return readEmail(raw, now);
      } catch (err) {
        return itemError(index, err);
      }
    });
    const firstBad = read.find((r): r is ItemError => !('draft' in r));
    // Strict: nothing is fetched or sent once one email is invalid; the answer names it.
    if (header === 'strict' && firstBad) throw new AppError(firstBad.code, firstBad.message, firstBad.param, undefined, [firstBad]);
    const items: (EmailDraft | ItemError)[] = [];
    for (const [index, r] of read.entries()) items.push('draft' in r ? await withRemoteFiles(deps, r).catch((err) => itemError(index, err)) : r);
    let outcome: Awaited<ReturnType<typeof acceptMany>>;
    try {
      outcome = await acceptMany(deps, principal, items, header);
    } catch (err) {
      // Permissive with nothing sendable: Resend still answers 200, listing every email's error.
      if (header === 'permissive' && err instanceof AppError && err.errors) outcome = { accepted: [], errors: err.errors };
      else throw err;
    }
    const data = outcome.accepted.map((a) => ({ id: a.id }));
    if (header === 'strict') return c.json({ data }, 200);
    return c.json({ data, errors: outcome.errors.map((e) => ({ index: e.index ?? 0, message: e.message })) }, 200);
  })
  .all('/emails/batch', methodNotAllowed('POST'))
  .post('/emails', jsonLimit, idempotency, async (c) => {
    const { deps, principal } = c.var;
    const draft = await withRemoteFiles(deps, readEmail(await jsonBody(c), deps.clock.now()));
    const accepted = await acceptEmail(deps, principal, draft);
    return c.json({ id: accepted.id }, 200);
  })
  .get('/emails', async (c) => {
    const { deps, principal } = c.var;
    const { limit, after, before } = readPage(c.req.query());
    // Resend's cursors are email ids: `after` pages on to older emails, `before` back to newer ones.
    const cursor = after ?? before;
    const cursorId = cursor === undefined ? undefined : (await emailFor(deps, principal, cursor)).id;
    const page = await listSentEmails(deps, principal, {
      limit,
      ...(after !== undefined ? { beforeId: cursorId } : {}),
      ...(before !== undefined ? { afterId: cursorId } : {}),
    });
    const senders = await senderAddresses(deps, page.items);
    return c.json({ object: 'list' as const, has_more: page.hasMore, data: page.items.map((v) => listedEmail(v, senders.get(v.email.addressId) ?? '')) }, 200);
  })
  .all('/emails', methodNotAllowed('GET, POST'))
  .get('/emails/:id', async (c) => {
    const { deps, principal } = c.var;
    const id = c.req.param('id');
    const [view, content] = await Promise.all([getSentEmail(deps, principal, id), getEmailContent(deps, principal, id)]);
    const senders = await senderAddresses(deps, [view]);
    return c.json(emailObject(view, senders.get(view.email.addressId) ?? '', content), 200);
  })
  .patch('/emails/:id', jsonLimit, async (c) => {
    const { deps, principal } = c.var;
    const body = await jsonBody(c);
    const when = typeof body === 'object' && body !== null ? (body as { scheduled_at?: unknown }).scheduled_at : undefined;
    if (when === undefined || when === null) throw invalid('missing_required_field', 'Missing `scheduled_at` field.', 'scheduled_at');
    if (typeof when !== 'string') throw invalid('validation_failed', 'Invalid `scheduled_at` field: expected a string.', 'scheduled_at');
    const updated = await rescheduleEmail(deps, principal, c.req.param('id'), readWhen(when, deps.clock.now()));
    return c.json({ object: 'email' as const, id: updated.publicId }, 200);
  })
  .all('/emails/:id', methodNotAllowed('GET, PATCH'))
  .post('/emails/:id/cancel', async (c) => {
    const cancelled = await cancelEmail(c.var.deps, c.var.principal, c.req.param('id'));
    return c.json({ object: 'email' as const, id: cancelled.publicId }, 200);
  })
  .all('/emails/:id/cancel', methodNotAllowed('POST'));
