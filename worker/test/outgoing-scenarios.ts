/**
 * The messages every composing door must build cleanly, as `POST /api/send_mail` bodies with what
 * the built message must look like. Shared by the workerd round-trip test and the SpamAssassin
 * end-to-end test, so both judge the same mail.
 */

export interface ScenarioAttachment {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  /** Makes it an inline part, referenced from the HTML as `cid:…`. */
  contentId?: string;
}

export interface OutgoingScenario {
  name: string;
  fromName: string;
  toName: string;
  subject: string;
  text?: string;
  html?: string;
  /** Send the body the original clients' way, as `content` + `is_html`. */
  asContent?: boolean;
  /** Also send to a Cc recipient. */
  withCc?: boolean;
  headers?: Record<string, string>;
  attachments?: ScenarioAttachment[];
  /** Every Content-Type in the message, in order: the MIME tree, depth first. */
  structure: string[];
  /** The Content-Transfer-Encoding of each leaf part, in order. */
  encodings: string[];
}

/** Deterministic bytes covering every octet value, like a real binary file. */
export function binaryBytes(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state >> 16 & 0xff;
  });
}

const utf8 = (text: string) => new TextEncoder().encode(text);
// A 1×1 transparent PNG.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

const NEWSLETTER =
  '<h1>Monthly update</h1><p>Hello Bob, here is <b>what changed</b> in the product this month:</p>' +
  '<ul><li>Search is faster on large mailboxes</li><li>Filters can now match headers</li></ul>' +
  '<p>Read the details on <a href="https://example.com/blog/monthly">our blog</a>. Thanks for reading!</p>';

export const OUTGOING_SCENARIOS: OutgoingScenario[] = [
  {
    name: 'ASCII text',
    fromName: 'Alice Example',
    toName: 'Bob Receiver',
    subject: 'Quarterly report for the team',
    text: 'Hi Bob,\n\nThe quarterly report is on the shared drive now.\nLet me know what you think of the new charts.\n\nAlice',
    asContent: true,
    structure: ['text/plain'],
    encodings: ['7bit'],
  },
  {
    name: 'non-ASCII names and subject',
    fromName: 'Jürgen 山田',
    toName: 'Zoë Ångström',
    subject: 'Grüße aus Köln — 你好，世界 😀',
    text: 'Hallo Zoë,\n\nwir sehen uns im Café am Dom. こんにちは、世界。\n\nViele Grüße\nJürgen',
    withCc: true,
    structure: ['text/plain'],
    encodings: ['quoted-printable'],
  },
  {
    name: 'HTML only',
    fromName: 'Example News',
    toName: 'Bob',
    subject: 'Your monthly update',
    html: NEWSLETTER,
    asContent: true,
    headers: { 'List-Unsubscribe': '<mailto:unsubscribe@example.com?subject=unsubscribe>', 'X-Campaign': 'Frühling 2026' },
    structure: ['multipart/alternative', 'text/plain', 'text/html'],
    encodings: ['7bit', '7bit'],
  },
  {
    name: 'HTML and text',
    fromName: 'Café Team',
    toName: 'Bob',
    subject: 'Menu of the week',
    text: 'This week: crème brûlée and café au lait.\nSee you soon!',
    html: '<p>This week: <b>crème brûlée</b> and <i>café au lait</i>.</p><p>See you soon!</p>',
    structure: ['multipart/alternative', 'text/plain', 'text/html'],
    encodings: ['quoted-printable', 'quoted-printable'],
  },
  {
    name: 'attachments',
    fromName: 'Alice Example',
    toName: 'Bob',
    subject: 'Documents for the contract',
    text: 'Hi Bob,\n\nattached are the signed contract, my CV and the schedule.\n\nAlice',
    html: '<p>Hi Bob,</p><p>attached are the signed contract, my CV and the schedule.</p><p>Alice</p>',
    attachments: [
      { filename: 'contract.pdf', contentType: 'application/pdf', bytes: binaryBytes(20_000, 1) },
      { filename: 'résumé.txt', contentType: 'text/plain', bytes: utf8('Jürgen Müller\nSoftware engineer\n') },
      { filename: '2026年度スケジュール表（最終版・営業部門と開発部門の共同作成）.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: binaryBytes(3_000, 2) },
    ],
    structure: ['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'application/pdf', 'text/plain', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    encodings: ['7bit', '7bit', 'base64', 'base64', 'base64'],
  },
  {
    name: 'inline image',
    fromName: 'Example Design',
    toName: 'Bob',
    subject: 'Our new logo',
    html: '<p>Here is the new logo:</p><p><img src="cid:logo@example.com" alt="Example logo" width="1" height="1"></p><p>The brand guide is attached.</p>',
    attachments: [
      { filename: 'logo.png', contentType: 'image/png', bytes: PNG, contentId: 'logo@example.com' },
      { filename: 'brand-guide.pdf', contentType: 'application/pdf', bytes: binaryBytes(5_000, 3) },
    ],
    structure: ['multipart/mixed', 'multipart/related', 'multipart/alternative', 'text/plain', 'text/html', 'image/png', 'application/pdf'],
    encodings: ['7bit', '7bit', 'base64', 'base64'],
  },
  {
    name: 'very long lines',
    fromName: 'Alice Example',
    toName: 'Bob',
    subject: 'A subject long enough that it has to be folded over more than one header line, as RFC 5322 asks for lines over 78 characters',
    text: `${'This paragraph was typed without a single line break, as people do in a text area. '.repeat(40)}\n${'Und dieser Absatz enthält Umlaute: äöü ß. '.repeat(30)}`,
    html: `<p>${'A long line of HTML without any line break, as editors produce it. '.repeat(40)}</p>`,
    structure: ['multipart/alternative', 'text/plain', 'text/html'],
    encodings: ['quoted-printable', 'quoted-printable'],
  },
  {
    name: 'empty body',
    fromName: 'Alice Example',
    toName: 'Bob',
    subject: '',
    text: '',
    asContent: true,
    structure: ['text/plain'],
    encodings: ['7bit'],
  },
];

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The `POST /api/send_mail` body for a scenario, to the given recipients. */
export function sendMailBody(s: OutgoingScenario, to: string, cc?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { from_name: s.fromName, to_name: s.toName, to_mail: to, subject: s.subject };
  if (s.asContent) Object.assign(body, { content: s.html ?? s.text, is_html: s.html !== undefined });
  else Object.assign(body, { text: s.text, html: s.html });
  if (cc) body.cc = [cc];
  if (s.headers) body.headers = s.headers;
  if (s.attachments) {
    body.attachments = s.attachments.map((a) => ({ filename: a.filename, content_type: a.contentType, content: toBase64(a.bytes), content_id: a.contentId }));
  }
  return body;
}
