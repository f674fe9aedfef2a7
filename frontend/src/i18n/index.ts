/** English and Chinese strings; `t('key', { n: 3 })` fills `{n}`. */
import { prefs } from '../state/prefs';
import { en, type Messages } from './en';
import { zh } from './zh';

const dictionaries: Record<'en' | 'zh', Messages> = { en, zh };

export function t(key: keyof Messages, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[prefs.lang][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
