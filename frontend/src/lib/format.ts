/** Display helpers: sizes, dates, address lists. */
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

/** Splits "a@x, b@y; c@z" into addresses. */
/**
 * Recipients as typed: "Bob <bob@example.com>, \"Doe, Jane\" <jane@example.com>; carol@example.com
 * dave@example.com". Entries are separated by commas or semicolons outside quotes and angle
 * brackets, and bare addresses also by spaces; names are kept. Nothing is validated here: the server
 * names what is not an address.
 */
export function parseRecipients(text: string): { name?: string; address: string }[] {
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') angled = true;
    else if (!quoted && c === '>') angled = false;
    if (!quoted && !angled && (c === ',' || c === ';')) {
      entries.push(current);
      current = '';
    } else current += c;
  }
  entries.push(current);
  return entries.flatMap((entry) => {
    const named = /^(.*)<([^<>]*)>\s*$/s.exec(entry.trim());
    if (!named) return entry.split(/\s+/).filter(Boolean).map((address) => ({ address }));
    const name = named[1]!.trim().replace(/^"(.*)"$/s, '$1').replace(/\\(.)/g, '$1');
    return [name ? { name, address: named[2]!.trim() } : { address: named[2]!.trim() }];
  });
}
