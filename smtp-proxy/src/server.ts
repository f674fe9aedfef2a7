/**
 * The SMTP submission server: AUTH PLAIN/LOGIN with the address JWT as password, MAIL FROM bound
 * to that address, each message read to its final "." and then submitted to the Worker. Stateless:
 * every decision is the Worker's, so any number of proxies can run side by side.
 */
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { ProxyConfig } from './config.js';
import { receiveMessage } from './receive.js';
import { checkRecipient } from './recipients.js';
import { withTrace } from './trace.js';
import { authReply, dataReply, INVALID_CREDENTIALS, isPlausibleCredential, oneLine, type SmtpReply } from './replies.js';
import { WorkerClient } from './worker-client.js';

interface SessionState {
  jwt?: string;
  address?: string;
  startedAt: number;
  remote: string;
  replies: number[];
  messages: number;
  bytes: number;
  failedLogins: number;
}

/** Wrong passwords a connection may try before it is closed (a client with a stale token gives up sooner). */
const MAX_FAILED_LOGINS = 3;
const TOO_MANY_FAILED_LOGINS: SmtpReply = { code: 421, message: '4.7.0 Too many failed logins, closing the connection' };

/**
 * The MAIL FROM parameters of the extensions this server offers: SIZE (RFC 1870), BODY (8BITMIME,
 * RFC 6152) and AUTH (RFC 4954). Anything else belongs to an extension it does not offer (SMTPUTF8,
 * DSN, REQUIRETLS) and is refused rather than silently ignored. RCPT TO takes none.
 */
const MAIL_PARAMETERS = new Set(['SIZE', 'BODY', 'AUTH']);
const UNSUPPORTED_PARAMETER = (names: string[]): SmtpReply => ({ code: 555, message: `5.5.4 Unsupported parameter ${names.join(', ')}` });

function smtpError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

const UNEXPECTED: SmtpReply = { code: 451, message: '4.3.0 Local error, try again later' };

/**
 * smtp-server calls handlers without awaiting them: a rejected promise would be unhandled. Every
 * async handler runs through this, so an unexpected failure becomes a 451 for that client only.
 */
function answered(run: () => Promise<void>, callback: (err?: Error | null) => void, session: SMTPServerSession): void {
  run().catch((err: unknown) => {
    console.error(JSON.stringify({ event: 'smtp_handler_error', session: session.id, error: err instanceof Error ? err.message : String(err) }));
    callback(smtpError(UNEXPECTED));
  });
}

/**
 * AUTH PLAIN's authorization identity (RFC 4616) asks to act as someone: only the token's own
 * address may be named. Many clients put their user name there and leave the authentication
 * identity empty, or repeat it in both, so either of those is still just a user name.
 */
function mayActAs(auth: SMTPServerAuthentication, address: string): boolean {
  const authzid = (auth.authzid ?? '').toLowerCase();
  const authcid = (auth.authcid ?? '').toLowerCase();
  return !authzid || !authcid || authzid === authcid || authzid === address;
}

export function createSmtpProxy(config: ProxyConfig, client = new WorkerClient({ ...config, timeoutMs: config.workerTimeoutMs })): SMTPServer {
  const sessions = new Map<string, SessionState>();
  const state = (session: SMTPServerSession): SessionState => {
    let s = sessions.get(session.id);
    if (!s) {
      s = { startedAt: Date.now(), remote: session.remoteAddress, replies: [], messages: 0, bytes: 0, failedLogins: 0 };
      sessions.set(session.id, s);
    }
    return s;
  };
  const fail = (session: SMTPServerSession, reply: SmtpReply) => {
    state(session).replies.push(reply.code);
    return smtpError(reply);
  };
  /** A refused credential; the last one allowed closes the connection (smtp-server does on 421). */
  const refuseLogin = (session: SMTPServerSession, reply: SmtpReply) => {
    const counted = reply.code === 535 && ++state(session).failedLogins >= MAX_FAILED_LOGINS;
    return fail(session, counted ? TOO_MANY_FAILED_LOGINS : reply);
  };

  return new SMTPServer({
    name: config.hostname,
    banner: 'Edgemail SMTP submission: log in with your address token (JWT) as the password',
    secure: config.tls?.implicit ?? false,
    key: config.tls?.key,
    cert: config.tls?.cert,
    disabledCommands: config.tls ? [] : ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: config.allowInsecureAuth,
    size: config.maxMessageBytes,
    // Addresses with UTF-8 local parts cannot be delivered (see recipients.ts), so it is not offered.
    hideSMTPUTF8: true,
    // Delivery status notifications are not produced, so their parameters are not offered either.
    hideDSN: true,
    // It promises TLS on every onward hop, which the Worker's providers cannot guarantee.
    hideREQUIRETLS: true,
    socketTimeout: config.idleTimeoutMs,
    logger: false,

    onAuth(auth, session, callback) {
      answered(
        async () => {
          // smtp-server only enforces this when STARTTLS is on offer; without TLS it is ours to refuse.
          if (!session.secure && !config.allowInsecureAuth) {
            return callback(fail(session, { code: 538, message: '5.7.11 Encryption required: use STARTTLS or a TLS port' }));
          }
          // The username is ignored: clients pass "jwt" or the address; the token alone decides.
          const password = auth.password ?? '';
          if (!isPlausibleCredential(password)) return callback(refuseLogin(session, INVALID_CREDENTIALS));
          const reply = authReply(await client.whoAmI(password));
          if (reply.code !== 235 || !reply.address) return callback(refuseLogin(session, reply));
          if (!mayActAs(auth, reply.address)) {
            return callback(fail(session, { code: 535, message: `5.7.8 This token cannot act as ${oneLine(auth.authzid ?? '')}` }));
          }
          const s = state(session);
          s.jwt = password;
          s.address = reply.address;
          s.replies.push(235);
          callback(null, { user: reply.address });
        },
        callback,
        session,
      );
    },

    onMailFrom(address, session, callback) {
      const unsupported = Object.keys(address.args || {}).filter((name) => !MAIL_PARAMETERS.has(name));
      if (unsupported.length) return callback(fail(session, UNSUPPORTED_PARAMETER(unsupported)));
      const owner = state(session).address;
      if (!owner || address.address.toLowerCase() !== owner) {
        return callback(fail(session, { code: 553, message: `5.7.1 Sender must be ${owner ?? 'the authenticated address'}` }));
      }
      callback();
    },

    onRcptTo(address, session, callback) {
      const parameters = Object.keys(address.args || {});
      if (parameters.length) return callback(fail(session, UNSUPPORTED_PARAMETER(parameters)));
      if (session.envelope.rcptTo.length >= config.maxRecipients) {
        return callback(fail(session, { code: 452, message: `4.5.3 Too many recipients (at most ${config.maxRecipients})` }));
      }
      const checked = checkRecipient(address.address);
      if (!checked.ok) return callback(fail(session, checked.reply));
      // smtp-server keeps this object as the envelope recipient: it holds the ASCII form from here on.
      address.address = checked.address;
      callback();
    },

    onData(stream: SMTPServerDataStream, session, callback) {
      answered(
        async () => {
          const s = state(session);
          const received = await receiveMessage(stream, config.maxMessageBytes);
          s.bytes += received.bytes;
          if (received.kind === 'aborted') {
            // The connection is gone: this reply reaches no one, but the session log records it.
            return callback(fail(session, { code: 451, message: `4.4.2 Message incomplete (${received.reason}); nothing was sent` }));
          }
          if (received.kind === 'oversized') {
            return callback(fail(session, { code: 552, message: `5.3.4 Message exceeds the ${config.maxMessageBytes}-byte limit` }));
          }
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          const message = withTrace(received.message, { helo: session.hostNameAppearsAs, by: config.hostname, secure: session.secure, id: session.id, at: new Date() });
          const reply = dataReply(await client.sendRaw(s.jwt ?? '', recipients, message));
          if (reply.code !== 250) return callback(fail(session, reply));
          s.messages++;
          s.replies.push(250);
          callback(null, reply.message.replace(/^2\.0\.0 /, ''));
        },
        callback,
        session,
      );
    },

    onClose(session) {
      const s = sessions.get(session.id);
      sessions.delete(session.id);
      if (!s) return;
      // One structured line per session: who, how much, and every reply code that was not routine.
      console.log(
        JSON.stringify({
          event: 'smtp_session',
          session: session.id,
          remote: s.remote,
          user: s.address ?? null,
          messages: s.messages,
          bytes: s.bytes,
          replies: s.replies,
          duration_ms: Date.now() - s.startedAt,
        }),
      );
    },
  });
}
