/**
 * Reads a send time as people write it: ISO 8601 (`2026-08-05T11:52:01.858Z`), a delay (`in 1 min`,
 * `in 2 hours and 30 minutes`, `90 seconds from now`), or a day and a clock time with an optional
 * zone (`tomorrow at 9am`, `Friday at 3pm ET`, `next monday 10:00 Europe/Berlin`, `at 17:30`).
 * Pure: the caller passes "now". Wall-clock times are read in UTC unless a zone is named.
 */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNITS: [RegExp, keyof typeof UNIT_MS][] = [
  [/^(s|secs?|seconds?)$/, 's'],
  [/^(m|mins?|minutes?)$/, 'm'],
  [/^(h|hrs?|hours?)$/, 'h'],
  [/^(d|days?)$/, 'd'],
  [/^(w|wks?|weeks?)$/, 'w'],
];
const WORD_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, 'forty-five': 45, sixty: 60, ninety: 90,
};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Zone abbreviations people write, as the IANA zone they mean (so daylight saving is right). */
const ZONE_ALIASES: Record<string, string> = {
  utc: 'UTC', gmt: 'UTC', z: 'UTC',
  et: 'America/New_York', est: 'America/New_York', edt: 'America/New_York',
  ct: 'America/Chicago', cst: 'America/Chicago', cdt: 'America/Chicago',
  mt: 'America/Denver', mst: 'America/Denver', mdt: 'America/Denver',
  pt: 'America/Los_Angeles', pst: 'America/Los_Angeles', pdt: 'America/Los_Angeles',
  bst: 'Europe/London', cet: 'Europe/Berlin', cest: 'Europe/Berlin', eet: 'Europe/Athens', eest: 'Europe/Athens',
  ist: 'Asia/Kolkata', jst: 'Asia/Tokyo', aest: 'Australia/Sydney', aedt: 'Australia/Sydney',
};

/** Milliseconds since epoch, or null when the text is not a time this understands. */
export function parseWhen(input: string, now: number): number | null {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return isoTime(input.trim());
  if (text === 'now' || text === 'immediately') return now;
  const delay = parseDelay(text);
  if (delay !== null) return now + delay;
  return parseCalendar(text, now);
}

function isoTime(text: string): number | null {
  // A date-time without an offset is read as UTC, like the natural-language forms.
  const withZone = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(text) ? `${text}Z` : text;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : ms;
}

/** `in 5 min`, `in an hour and 30 minutes`, `10 seconds from now`, `in half an hour`. */
function parseDelay(text: string): number | null {
  let body: string;
  if (text.startsWith('in ')) body = text.slice(3);
  else if (text.endsWith(' from now')) body = text.slice(0, -' from now'.length);
  else return null;
  if (/^(half an hour|a half hour)$/.test(body)) return UNIT_MS.h! / 2;
  const tokens = body.replace(/,/g, ' ').split(' ').filter((t) => t && t !== 'and');
  let total = 0;
  let i = 0;
  if (tokens.length === 0) return null;
  while (i < tokens.length) {
    // "5min" and "5 min" alike.
    const glued = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(tokens[i]!);
    const [count, unit] = glued ? [glued[1]!, glued[2]!] : [tokens[i]!, tokens[i + 1]];
    i += glued ? 1 : 2;
    const n = /^\d+(\.\d+)?$/.test(count) ? Number(count) : WORD_NUMBERS[count];
    const u = unit === undefined ? undefined : UNITS.find(([re]) => re.test(unit))?.[1];
    if (n === undefined || u === undefined) return null;
    total += n * UNIT_MS[u]!;
  }
  return Math.round(total);
}

interface Civil {
  y: number;
  m: number;
  d: number;
  hour: number;
  minute: number;
  second: number;
}

/** `[day] [at] [time] [zone]`, at least a day or a time. */
function parseCalendar(text: string, now: number): number | null {
  const { rest, zone } = splitZone(text);
  if (zone === null) return null;
  let words = rest.replace(/\bat\b/g, ' ').replace(/\bon\b/g, ' ').replace(/\s+/g, ' ').trim();

  let day: { kind: 'today' | 'tomorrow' } | { kind: 'weekday'; index: number; next: boolean } | null = null;
  const dayMatch = /^(today|tomorrow|(?:(next|this) )?(sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)(?:day)?)\b/.exec(words);
  if (dayMatch) {
    if (dayMatch[1] === 'today' || dayMatch[1] === 'tomorrow') day = { kind: dayMatch[1] };
    else day = { kind: 'weekday', index: WEEKDAYS.findIndex((w) => w.startsWith(dayMatch[3]!.slice(0, 3))), next: dayMatch[2] === 'next' };
    words = words.slice(dayMatch[0].length).trim();
  }
  const time = words === '' ? null : parseClock(words);
  if (words !== '' && time === null) return null;
  if (day === null && time === null) return null;

  const today = civilIn(zone, now);
  let date = { y: today.y, m: today.m, d: today.d };
  if (day?.kind === 'tomorrow') date = addDays(date, 1);
  if (day?.kind === 'weekday') {
    const current = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
    let ahead = (day.index - current + 7) % 7;
    if (ahead === 0 && day.next) ahead = 7;
    date = addDays(date, ahead);
  }
  // A day without a time keeps the current time of day; a time without a day, or a weekday whose
  // time has passed, means its next occurrence.
  const clock = time ?? { hour: today.hour, minute: today.minute, second: today.second };
  let at = zonedToInstant(zone, { ...date, ...clock });
  if (day === null && at <= now) at = zonedToInstant(zone, { ...addDays(date, 1), ...clock });
  if (day?.kind === 'weekday' && !day.next && at <= now) at = zonedToInstant(zone, { ...addDays(date, 7), ...clock });
  return at;
}

/** `9`, `9am`, `9:30 pm`, `21:00`, `noon`, `midnight`, `9 a.m.`. */
function parseClock(text: string): { hour: number; minute: number; second: number } | null {
  if (text === 'noon' || text === 'midday') return { hour: 12, minute: 0, second: 0 };
  if (text === 'midnight') return { hour: 0, minute: 0, second: 0 };
  const m = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))? ?(a\.?m\.?|p\.?m\.?)?$/.exec(text);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  const meridiem = m[4]?.[0];
  if (minute > 59 || second > 59) return null;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  } else if (hour > 23) return null;
  return { hour, minute, second };
}

/** Takes a trailing zone off: an abbreviation, an IANA name, or an offset (`+02:00`, `utc-5`). */
function splitZone(text: string): { rest: string; zone: Zone | null } {
  // `utc+2`, `gmt-05:00`, or a bare `+02:00` / `-0500`.
  const offset = /\s*(?:(?:utc|gmt) ?([+-])(\d{1,2})(?::?(\d{2}))?|([+-])(\d{2}):?(\d{2}))$/.exec(text);
  if (offset) {
    const [sign, hours, mins] = offset[1] ? [offset[1], offset[2]!, offset[3]] : [offset[4]!, offset[5]!, offset[6]];
    const minutes = (Number(hours) * 60 + Number(mins ?? 0)) * (sign === '-' ? -1 : 1);
    return { rest: text.slice(0, offset.index).trim(), zone: Math.abs(minutes) <= 14 * 60 ? { offsetMinutes: minutes } : null };
  }
  const last = text.split(' ').pop()!;
  const alias = ZONE_ALIASES[last];
  if (alias) return { rest: text.slice(0, -last.length).trim(), zone: { iana: alias } };
  if (last.includes('/')) {
    const iana = canonicalZone(last);
    return { rest: text.slice(0, -last.length).trim(), zone: iana ? { iana } : null };
  }
  return { rest: text, zone: { iana: 'UTC' } };
}

type Zone = { iana: string } | { offsetMinutes: number };

function canonicalZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The wall-clock reading of an instant in a zone. */
function civilIn(zone: Zone, at: number): Civil {
  if ('offsetMinutes' in zone) {
    const d = new Date(at + zone.offsetMinutes * 60_000);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone.iana,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), m: get('month'), d: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The instant a zone's clocks show `civil` (the later reading when a DST change repeats it). */
function zonedToInstant(zone: Zone, civil: Civil): number {
  const asUtc = Date.UTC(civil.y, civil.m - 1, civil.d, civil.hour, civil.minute, civil.second);
  if ('offsetMinutes' in zone) return asUtc - zone.offsetMinutes * 60_000;
  // The zone's offset at a guess, then at the corrected guess: two steps settle on DST boundaries.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) guess = asUtc - offsetAt(zone, guess);
  return guess;
}

function offsetAt(zone: Zone, at: number): number {
  const c = civilIn(zone, at);
  return Date.UTC(c.y, c.m - 1, c.d, c.hour, c.minute, c.second) - Math.floor(at / 1000) * 1000;
}

function addDays(date: { y: number; m: number; d: number }, days: number) {
  const d = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
