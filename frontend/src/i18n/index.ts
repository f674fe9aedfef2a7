/** English and Chinese strings; `t('key', { n: 3 })` fills `{n}`. */
import { prefs } from '../state/prefs';
import { en, type Messages } from './en';
import { zh } from './zh';

const dictionaries: Record<'en' | 'zh', Messages> = { en, zh };

/**
 * A value the server names (a status, an event type) in the user's language: the first of
 * `<prefix>_<value>` for each prefix that exists, else the value as it came (a new one still shows).
 */
export function label(value: string, ...prefixes: string[]): string {
  for (const prefix of prefixes) {
    const key = `${prefix}_${value}` as keyof Messages;
    if (key in en) return t(key);
  }
  return value;
}

export function t(key: keyof Messages, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[prefs.lang][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
