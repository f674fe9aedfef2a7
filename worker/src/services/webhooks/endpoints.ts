/** Managing webhook endpoints: create (the secret is shown once), list, read, change, delete, rotate the secret. */
import { allWebhooks, deleteWebhook as deleteRow, findWebhook, insertWebhook, updateWebhook as updateRow } from '../../db/webhooks';
import type { WebhookEvent, WebhookRow } from '../../db/schema-webhooks';
import { bytesToBase64 } from '../../lib/bytes';
import { randomToken } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { filterFor, mayManageFilter, notFound } from './access';
import { webhookUrlProblem } from './url-guard';

export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  mailbox?: string | null;
  domain?: string | null;
  enabled?: boolean;
  description?: string;
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const newSecret = () => `whsec_${bytesToBase64(crypto.getRandomValues(new Uint8Array(32)))}`;

function checkUrl(deps: Deps, url: string): string {
  const problem = webhookUrlProblem(url, deps.config.webhooks.allowPrivate);
  if (problem) throw new AppError('validation_failed', problem, 'url');
  return url;
}

export async function createWebhook(deps: Deps, principal: Principal, input: WebhookInput): Promise<{ row: WebhookRow; secret: string }> {
  const filter = await filterFor(deps, principal, input);
  const now = deps.clock.now();
  const secret = newSecret();
  const row = await insertWebhook(deps.db, {
    publicId: `wh_${randomToken(24)}`,
    url: checkUrl(deps, input.url),
    description: input.description ?? '',
    eventsJson: JSON.stringify([...new Set(input.events)]),
    ...filter,
    enabled: input.enabled ?? true,
    secret,
    createdAt: now,
    updatedAt: now,
  });
  return { row, secret };
}

export async function listWebhooks(deps: Deps, principal: Principal): Promise<WebhookRow[]> {
  const rows = await allWebhooks(deps.db);
  if (principal.kind === 'admin') return rows;
  const allowed = await Promise.all(rows.map((r) => mayManageFilter(deps, principal, r)));
  return rows.filter((_, i) => allowed[i]);
}

export async function webhookFor(deps: Deps, principal: Principal, publicId: string): Promise<WebhookRow> {
  const row = await findWebhook(deps.db, publicId);
  if (!row || !(await mayManageFilter(deps, principal, row))) throw notFound();
  return row;
}

/** Changes what is given. Re-enabling clears the disabled flag and the failure clock. */
export async function updateWebhook(deps: Deps, principal: Principal, publicId: string, patch: Partial<WebhookInput>): Promise<WebhookRow> {
  const row = await webhookFor(deps, principal, publicId);
  const filter =
    patch.mailbox !== undefined || patch.domain !== undefined
      ? await filterFor(deps, principal, { mailbox: patch.mailbox === undefined ? row.mailbox : patch.mailbox, domain: patch.domain === undefined ? row.domain : patch.domain })
      : {};
  const reenable = patch.enabled === true && !row.enabled;
  const updated = await updateRow(deps.db, row.id, {
    ...(patch.url !== undefined ? { url: checkUrl(deps, patch.url) } : {}),
    ...(patch.events !== undefined ? { eventsJson: JSON.stringify([...new Set(patch.events)]) } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    ...(reenable ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
    ...filter,
    updatedAt: deps.clock.now(),
  });
  if (!updated) throw notFound();
  return updated;
}

export async function deleteWebhook(deps: Deps, principal: Principal, publicId: string): Promise<void> {
  const row = await webhookFor(deps, principal, publicId);
  await deleteRow(deps.db, row.id);
}

/** A new secret, effective for every attempt from now on (including retries of pending deliveries). */
export async function rotateSecret(deps: Deps, principal: Principal, publicId: string): Promise<{ row: WebhookRow; secret: string }> {
  const row = await webhookFor(deps, principal, publicId);
  const secret = newSecret();
  const updated = await updateRow(deps.db, row.id, { secret, updatedAt: deps.clock.now() });
  if (!updated) throw notFound();
  return { row: updated, secret };
}
