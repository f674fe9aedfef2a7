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
export function splitAddresses(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}
