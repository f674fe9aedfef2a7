/** Display helpers: sizes, dates, address lists. */
import { parseMailbox, splitMailboxList } from '../../../worker/src/lib/address';
import type { MailboxAddress } from '../api/client';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDate(iso: string | null, lang: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatMailbox(m: MailboxAddress | null): string {
  if (!m) return '';
  return m.name ? `${m.name} <${m.address}>` : m.address;
}

export function formatList(list: MailboxAddress[]): string {
  return list.map(formatMailbox).join(', ');
}

/** Reads a File as base64 for the send API. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/**
 * Recipients as typed: "Bob <bob@example.com>, \"Doe, Jane\" <jane@example.com>; carol@example.com
 * dave@example.com", split as the server splits address lists, names kept; bare addresses may also
 * be separated by spaces. What is not an address is passed on as typed, for the server to name.
 */
export function parseRecipients(text: string): { name?: string; address: string }[] {
  return splitMailboxList(text).flatMap((entry) => {
    const mailbox = parseMailbox(entry);
    return mailbox ? [mailbox] : entry.split(/\s+/).filter(Boolean).map((address) => ({ address }));
  });
}
