/** Edgemail's sending records and domains in Resend's shapes (the email, list and domain objects). */
import type { DomainRow } from '../../../db/schema-accounts';
import type { EmailRecipientRow } from '../../../db/schema-sending';
import { dnsRecords, type DnsRecord } from '../../../services/domains/dns';
import type { EmailContent, EmailView, Mailbox } from '../../../services/sending';

/** Resend's `last_event` values (the subset a server without tracking reaches). */
export type LastEvent = 'bounced' | 'canceled' | 'delivered' | 'delivery_delayed' | 'failed' | 'queued' | 'scheduled' | 'sent' | 'suppressed';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const addresses = (json: string) => (JSON.parse(json) as { address: string }[]).map((m) => m.address);
const orNull = (list: string[]) => (list.length ? list : null);
const mailboxText = (m: Mailbox) => (m.name ? `${m.name} <${m.address}>` : m.address);

/** The email's status as the last thing that happened to it, judged from its recipients where they tell more. */
export function lastEvent(status: EmailView['email']['status'], recipients: EmailRecipientRow[]): LastEvent {
  const has = (s: EmailRecipientRow['status']) => recipients.some((r) => r.status === s);
  const allSuppressed = recipients.length > 0 && recipients.every((r) => r.status === 'suppressed');
  switch (status) {
    case 'scheduled':
      return 'scheduled';
    case 'queued':
    case 'sending':
      return has('deferred') ? 'delivery_delayed' : 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'partially_failed':
      return has('bounced') ? 'bounced' : 'failed';
    case 'bounced':
      return 'bounced';
    case 'failed':
      return allSuppressed ? 'suppressed' : 'failed';
    case 'cancelled':
      return 'canceled';
  }
}

/** `name:value` back to Resend's `{ name, value }`; a tag without a value (v1 allows them) gets "". */
function tagObjects(json: string) {
  return (JSON.parse(json) as string[]).map((t) => {
    const at = t.indexOf(':');
    return at < 0 ? { name: t, value: '' } : { name: t.slice(0, at), value: t.slice(at + 1) };
  });
}

/** One item of GET /emails. */
export function listedEmail({ email, recipients }: EmailView, fromAddress: string) {
  return {
    id: email.publicId,
    message_id: email.messageId,
    from: mailboxText({ address: fromAddress, name: email.fromName || undefined }),
    to: addresses(email.toJson),
    cc: orNull(addresses(email.ccJson)),
    bcc: orNull(addresses(email.bccJson)),
    reply_to: null as string[] | null,
    subject: email.subject ?? '',
    created_at: iso(email.createdAt)!,
    scheduled_at: iso(email.scheduledAt),
    last_event: lastEvent(email.status, recipients),
  };
}

/** GET /emails/{id}: the listed fields plus bodies, Reply-To and tags. */
export function emailObject(view: EmailView, fromAddress: string, content: EmailContent) {
  return {
    object: 'email' as const,
    ...listedEmail(view, fromAddress),
    reply_to: orNull(content.replyTo.map((m) => m.address)),
    html: content.html,
    text: content.text,
    tags: tagObjects(view.email.tagsJson),
  };
}

const RECORD_KIND: Record<DnsRecord['purpose'], 'Receiving' | 'SPF' | 'DKIM' | null> = { mx: 'Receiving', spf: 'SPF', dkim: 'DKIM', dmarc: null };

/** Each record's state from the domain's last DNS check; never checked is `not_started`. */
function domainRecords(row: DomainRow) {
  const checked = row.dnsReportJson ? ((JSON.parse(row.dnsReportJson) as { records?: (DnsRecord & { ok: boolean })[] }).records ?? []) : null;
  return dnsRecords(row).flatMap((r) => {
    const record = RECORD_KIND[r.purpose];
    // Resend's record list has no DMARC entry; /api/v1/domains/{domain}/dns lists it.
    if (!record) return [];
    const check = checked?.find((c) => c.type === r.type && c.name === r.name && c.value === r.value);
    return [
      {
        record,
        name: r.name,
        type: r.type,
        ttl: 'Auto',
        status: checked === null || !check ? 'not_started' : check.ok ? 'verified' : 'failed',
        value: r.value,
        ...(r.priority === undefined ? {} : { priority: r.priority }),
      },
    ];
  });
}

/**
 * The domain's id is its name (Edgemail names domains in every path). An active domain sends and
 * receives: Resend's `verified`; one awaiting an admin's approval is `pending`.
 */
export function listedDomain(row: DomainRow) {
  const active = row.status === 'active';
  return {
    id: row.name,
    name: row.name,
    status: active ? ('verified' as const) : ('pending' as const),
    created_at: iso(row.createdAt)!,
    region: 'global',
    capabilities: { sending: active ? 'enabled' : 'disabled', receiving: active ? 'enabled' : 'disabled' },
  };
}

export function domainObject(row: DomainRow) {
  return { object: 'domain' as const, ...listedDomain(row), open_tracking: false, click_tracking: false, records: domainRecords(row) };
}
