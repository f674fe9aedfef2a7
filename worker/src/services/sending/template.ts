/** Batch templates: one message, `{{name}}` placeholders filled per recipient (HTML-escaped in html). */
import type { ItemError } from '../../lib/errors';
import type { EmailDraft, Mailbox } from './types';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fill(text: string, vars: Record<string, string>, missing: Set<string>, escape = false): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return escape ? escapeHtml(value) : value;
  });
}

/** One draft per recipient; a recipient whose variables miss a placeholder is an item error. */
export function expandTemplate(
  base: Omit<EmailDraft, 'to' | 'cc' | 'bcc'>,
  recipients: { to: Mailbox[]; variables: Record<string, string> }[],
): (EmailDraft | ItemError)[] {
  return recipients.map((r, index) => {
    const missing = new Set<string>();
    const draft: EmailDraft = {
      ...base,
      to: r.to,
      cc: [],
      bcc: [],
      subject: fill(base.subject, r.variables, missing),
      text: base.text === undefined ? undefined : fill(base.text, r.variables, missing),
      html: base.html === undefined ? undefined : fill(base.html, r.variables, missing, true),
    };
    if (missing.size === 0) return draft;
    return {
      index,
      code: 'validation_failed' as const,
      message: `recipients.${index}.variables: no value for ${[...missing].map((m) => `{{${m}}}`).join(', ')}`,
      param: `recipients.${index}.variables`,
    };
  });
}
