/**
 * Any SMTP submission server as the outbound provider (host, port, STARTTLS / implicit TLS / none,
 * AUTH PLAIN or LOGIN). One transaction per message with a RCPT per recipient, so each recipient
 * gets the relay's own answer: 2xx accepted (once DATA is accepted), 4xx deferred, 5xx bounced.
 *
 * Why not worker-mailer: it runs in workerd, but it aborts the whole transaction at the first
 * refused RCPT (no per-recipient result) and renders its own MIME with a `BCC:` header, which
 * would disclose Bcc recipients. Here the message goes byte for byte as our builder made it.
 */
import { SmtpConnection, type SmtpReply, type SmtpSecurity } from './smtp/connection';
import { smtpDataBytes } from './smtp/data';
import { enhancedCode, type DeliveryOutcome, type OutboundMessage, type OutboundProvider, type RecipientResult } from './types';

export interface SmtpRelayOptions {
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string;
  password?: string;
  /** The name we greet with (EHLO); the sending domain is a good one. */
  heloName?: string;
  timeoutMs?: number;
}

type Settled = Map<string, RecipientResult>;

export function smtpRelayProvider(options: SmtpRelayOptions): OutboundProvider {
  return {
    name: 'smtp',
    async send(message: OutboundMessage): Promise<RecipientResult[]> {
      const settled: Settled = new Map();
      let connection: SmtpConnection | null = null;
      try {
        connection = await SmtpConnection.open(options.host, options.port, options.security, options.timeoutMs ?? 30_000);
        await transaction(connection, options, message, settled);
      } catch (err) {
        // Network trouble or a timeout: whoever has no answer yet is retried later.
        const response = `SMTP relay ${options.host}:${options.port}: ${err instanceof Error ? err.message : String(err)}`;
        for (const address of message.recipients) if (!settled.has(address)) settled.set(address, result(address, 'deferred', { response }));
      } finally {
        await connection?.close();
      }
      return message.recipients.map((address) => settled.get(address)!);
    },
  };
}

async function transaction(conn: SmtpConnection, options: SmtpRelayOptions, message: OutboundMessage, settled: Settled): Promise<void> {
  const everyone = (reply: SmtpReply, step: string) => {
    for (const address of message.recipients) if (!settled.has(address)) settled.set(address, fromReply(address, reply, step, 'failed'));
  };
  const greeting = await conn.read();
  if (greeting.code !== 220) return everyone(greeting, 'greeting');
  let capabilities = await hello(conn, options);
  if (!capabilities) return everyone({ code: 421, text: 'EHLO and HELO refused', lines: [] }, 'EHLO');
  if (options.security === 'starttls') {
    // Credentials and mail never go in clear text to a relay configured for STARTTLS.
    if (!capabilities.has('STARTTLS')) return everyone({ code: 530, text: 'the relay does not offer STARTTLS', lines: [] }, 'STARTTLS');
    const reply = await conn.command('STARTTLS');
    if (reply.code !== 220) return everyone(reply, 'STARTTLS');
    conn.startTls();
    capabilities = await hello(conn, options);
    if (!capabilities) return everyone({ code: 421, text: 'EHLO refused after STARTTLS', lines: [] }, 'EHLO');
  }
  if (options.username) {
    const reply = await authenticate(conn, capabilities, options.username, options.password ?? '');
    if (reply.code !== 235) return everyone(reply, 'AUTH');
  }
  const eightBit = capabilities.has('8BITMIME') ? ' BODY=8BITMIME' : '';
  const mailFrom = await conn.command(`MAIL FROM:<${message.from}>${eightBit}`);
  if (mailFrom.code >= 300) return everyone(mailFrom, 'MAIL FROM');

  const accepted: string[] = [];
  for (const address of message.recipients) {
    const reply = await conn.command(`RCPT TO:<${address}>`);
    if (reply.code < 300) accepted.push(address);
    else settled.set(address, fromReply(address, reply, 'RCPT TO', 'bounced'));
  }
  if (accepted.length === 0) {
    await conn.command('RSET');
    return;
  }
  const data = await conn.command('DATA');
  if (data.code !== 354) return everyone(data, 'DATA');
  await conn.write(smtpDataBytes(message.raw));
  const final = await conn.read();
  for (const address of accepted) {
    settled.set(address, final.code < 300 ? result(address, 'accepted', replyFields(final)) : fromReply(address, final, 'end of DATA', 'failed'));
  }
}

/** EHLO (HELO if refused); the capability keywords, or null when the server greets neither. */
async function hello(conn: SmtpConnection, options: SmtpRelayOptions): Promise<Set<string> | null> {
  const name = options.heloName ?? 'localhost';
  const ehlo = await conn.command(`EHLO ${name}`);
  if (ehlo.code === 250) return new Set(ehlo.lines.slice(1).flatMap((l) => l.toUpperCase().split(/[\s=]+/)));
  const helo = await conn.command(`HELO ${name}`);
  return helo.code === 250 ? new Set() : null;
}

async function authenticate(conn: SmtpConnection, capabilities: Set<string>, username: string, password: string): Promise<SmtpReply> {
  if (capabilities.has('PLAIN') || !capabilities.has('LOGIN')) {
    return conn.command(`AUTH PLAIN ${utf8Base64(`\0${username}\0${password}`)}`);
  }
  const start = await conn.command('AUTH LOGIN');
  if (start.code !== 334) return start;
  const user = await conn.command(utf8Base64(username));
  if (user.code !== 334) return user;
  return conn.command(utf8Base64(password));
}

/** 4xx is transient whatever the step; a 5xx is the recipient's bounce at RCPT, else `permanent`. */
function fromReply(address: string, reply: SmtpReply, step: string, permanent: Exclude<DeliveryOutcome, 'accepted' | 'deferred'>): RecipientResult {
  const outcome: DeliveryOutcome = reply.code >= 400 && reply.code < 500 ? 'deferred' : permanent;
  return result(address, outcome, { ...replyFields(reply), response: `${step}: ${reply.code} ${reply.text}` });
}

function replyFields(reply: SmtpReply): Pick<RecipientResult, 'smtpCode' | 'dsnCode' | 'response'> {
  return { smtpCode: reply.code, dsnCode: enhancedCode(reply.text), response: `${reply.code} ${reply.text}` };
}

function result(address: string, outcome: DeliveryOutcome, fields: Partial<RecipientResult>): RecipientResult {
  return { address, outcome, via: 'smtp', ...fields };
}

function utf8Base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
