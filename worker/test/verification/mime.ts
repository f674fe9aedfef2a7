/** Builds RFC 5322 messages from a test case, encoded the way real senders do (RFC 2047 subjects, base64 and QP bodies). */
import type { Case } from './corpus';

const b64 = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/.{76}/g, '$&\r\n');
};

/** Quoted-printable with soft line breaks, as many mailers send HTML. */
function qp(text: string): string {
  const bytes = new TextEncoder().encode(text.replace(/\r?\n/g, '\r\n'));
  let out = '';
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 13 && bytes[i + 1] === 10) {
      out += `${line}\r\n`;
      line = '';
      i++;
      continue;
    }
    const ch = (b >= 33 && b <= 126 && b !== 61) || b === 32 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + ch.length > 75) {
      out += `${line}=\r\n`;
      line = '';
    }
    line += ch;
  }
  return out + line;
}

const ascii = (s: string) => /^[\x20-\x7e\r\n\t]*$/.test(s);
const header = (s: string) => (ascii(s) ? s : `=?UTF-8?B?${b64(s).replace(/\r\n/g, '')}?=`);

function part(type: 'plain' | 'html', body: string, index: number): string {
  // Alternate encodings across cases so both decoders are exercised.
  const useQp = ascii(body) ? index % 2 === 0 : index % 3 === 0;
  return [
    `Content-Type: text/${type}; charset=UTF-8`,
    `Content-Transfer-Encoding: ${useQp ? 'quoted-printable' : 'base64'}`,
    '',
    useQp ? qp(body) : b64(body),
  ].join('\r\n');
}

export function caseToMime(c: Case, index: number): Uint8Array<ArrayBuffer> {
  const head = [
    `From: "Notifications" <no-reply@sender${index}.example>`,
    'To: bob@example.com',
    `Subject: ${header(c.subject)}`,
    'Date: Tue, 12 May 2026 10:00:00 +0000',
    `Message-ID: <case-${index}@sender${index}.example>`,
    'MIME-Version: 1.0',
  ];
  let body: string;
  if (c.text !== undefined && c.html !== undefined) {
    const boundary = `alt-${index}`;
    body = [
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      part('plain', c.text, index),
      `--${boundary}`,
      part('html', c.html, index + 1),
      `--${boundary}--`,
      '',
    ].join('\r\n');
  } else {
    body = part(c.html !== undefined ? 'html' : 'plain', c.html ?? c.text ?? '', index);
  }
  return new TextEncoder().encode(`${head.join('\r\n')}\r\n${body}\r\n`) as Uint8Array<ArrayBuffer>;
}
