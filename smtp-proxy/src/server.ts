/**
 * The SMTP submission server: AUTH PLAIN/LOGIN with the address JWT as password, MAIL FROM bound
 * to that address, DATA streamed to the Worker. Stateless: every decision is the Worker's, so any
 * number of proxies can run side by side.
 */
import { once } from 'node:events';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { ProxyConfig } from './config.js';
import { authReply, dataReply, type SmtpReply } from './replies.js';
import { WorkerClient } from './worker-client.js';

interface SessionState {
  jwt?: string;
  address?: string;
  startedAt: number;
  remote: string;
  replies: number[];
  messages: number;
  bytes: number;
}

function smtpError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export function createSmtpProxy(config: ProxyConfig, client = new WorkerClient({ ...config, timeoutMs: config.workerTimeoutMs })): SMTPServer {
  const sessions = new Map<string, SessionState>();
  const state = (session: SMTPServerSession): SessionState => {
    let s = sessions.get(session.id);
    if (!s) {
      s = { startedAt: Date.now(), remote: session.remoteAddress, replies: [], messages: 0, bytes: 0 };
      sessions.set(session.id, s);
    }
    return s;
  };
  const fail = (session: SMTPServerSession, reply: SmtpReply) => {
    state(session).replies.push(reply.code);
    return smtpError(reply);
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
    logger: false,

    async onAuth(auth, session, callback) {
      // smtp-server only enforces this when STARTTLS is on offer; without TLS it is ours to refuse.
      if (!session.secure && !config.allowInsecureAuth) {
        return callback(fail(session, { code: 538, message: '5.7.11 Encryption required: use STARTTLS or a TLS port' }));
      }
      // The username is ignored: clients pass "jwt" or the address; the token alone decides.
      const reply = authReply(await client.whoAmI(auth.password ?? ''));
      if (reply.code !== 235 || !reply.address) return callback(fail(session, reply));
      const s = state(session);
      s.jwt = auth.password ?? undefined;
      s.address = reply.address;
      s.replies.push(235);
      callback(null, { user: reply.address });
    },

    onMailFrom(address, session, callback) {
      const owner = state(session).address;
      if (!owner || address.address.toLowerCase() !== owner) {
        return callback(fail(session, { code: 553, message: `5.7.1 Sender must be ${owner ?? 'the authenticated address'}` }));
      }
      callback();
    },

    onRcptTo(_address, session, callback) {
      if (session.envelope.rcptTo.length >= config.maxRecipients) {
        return callback(fail(session, { code: 452, message: `4.5.3 Too many recipients (at most ${config.maxRecipients})` }));
      }
      callback();
    },

    async onData(stream: SMTPServerDataStream, session, callback) {
      const s = state(session);
      const recipients = session.envelope.rcptTo.map((r) => r.address);
      const result = await client.sendRaw(s.jwt ?? '', recipients, stream);
      // The Worker may answer before reading everything; smtp-server needs the stream drained.
      if (!stream.readableEnded) {
        stream.resume();
        await once(stream, 'end');
      }
      s.bytes += stream.byteLength;
      if (stream.sizeExceeded) {
        return callback(fail(session, { code: 552, message: `5.3.4 Message exceeds the ${config.maxMessageBytes}-byte limit` }));
      }
      const reply = dataReply(result);
      if (reply.code !== 250) return callback(fail(session, reply));
      s.messages++;
      s.replies.push(250);
      callback(null, reply.message.replace(/^2\.0\.0 /, ''));
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
