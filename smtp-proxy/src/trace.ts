/**
 * The Received: trace field a relay adds (RFC 5321 §4.4), on top of the message. The client's IP
 * address is left out on purpose: the message goes to its recipients, and who sent it from where is
 * the sender's business (the proxy's session log has it).
 */
export interface TraceInfo {
  /** What the client said in EHLO/HELO. */
  helo: string;
  /** This proxy's name (SMTP_HOSTNAME). */
  by: string;
  secure: boolean;
  /** smtp-server's session id. */
  id: string;
  at: Date;
}

export function traceField(info: TraceInfo): string {
  const helo = info.helo.replace(/[^\x21-\x7e]/g, '') || 'unknown';
  // ESMTPA / ESMTPSA: authenticated submission, without and with TLS (RFC 3848).
  const protocol = info.secure ? 'ESMTPSA' : 'ESMTPA';
  return `Received: from ${helo}\r\n\tby ${info.by} (Edgemail SMTP proxy) with ${protocol} id ${info.id};\r\n\t${rfc5322Date(info.at)}\r\n`;
}

export function withTrace(message: Uint8Array<ArrayBuffer>, info: TraceInfo): Uint8Array<ArrayBuffer> {
  const field = new TextEncoder().encode(traceField(info));
  const out = new Uint8Array(field.byteLength + message.byteLength);
  out.set(field, 0);
  out.set(message, field.byteLength);
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** "Sun, 29 Nov 2026 09:41:07 +0000" */
export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
