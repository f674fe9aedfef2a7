/**
 * An SMTP client connection over `cloudflare:sockets`: replies parsed into code and text,
 * multi-line replies joined, a timeout on every read, and the STARTTLS upgrade. No mail logic.
 */
import { connect } from 'cloudflare:sockets';

export interface SmtpReply {
  code: number;
  /** The reply text, continuation lines joined with a space. */
  text: string;
  /** Each line's text without the code, for capability lists (EHLO). */
  lines: string[];
}

export type SmtpSecurity = 'starttls' | 'tls' | 'none';

export class SmtpConnection {
  private socket: Socket;
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private buffered = '';
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();
  /** TLS was asked for and nothing has been read through it yet: a failure now is the handshake's. */
  private handshaking: boolean;

  private constructor(
    socket: Socket,
    private readonly timeoutMs: number,
    private readonly host: string,
    tls: boolean,
  ) {
    this.socket = socket;
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
    this.handshaking = tls;
  }

  /** Opens the TCP (or, with `tls`, TLS) connection; STARTTLS is upgraded later by `startTls()`. */
  static async open(host: string, port: number, security: SmtpSecurity, timeoutMs: number): Promise<SmtpConnection> {
    const secureTransport = security === 'tls' ? 'on' : security === 'starttls' ? 'starttls' : 'off';
    const socket = connect({ hostname: host, port }, { secureTransport, allowHalfOpen: false });
    const connection = new SmtpConnection(socket, timeoutMs, host, security === 'tls');
    await connection.handshake(withTimeout(socket.opened, timeoutMs, `connecting to ${host}:${port} timed out`), 'opening');
    return connection;
  }

  /** Reads one complete reply (all of a multi-line reply's lines). */
  async read(): Promise<SmtpReply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine();
      const match = /^(\d{3})([ -])(.*)$/.exec(line);
      if (!match) throw new Error(`malformed SMTP reply: ${line.slice(0, 200)}`);
      lines.push(match[3]!);
      if (match[2] === ' ') return { code: Number(match[1]), text: lines.join(' ').trim(), lines };
    }
  }

  /** Sends one command line and reads its reply. */
  async command(line: string): Promise<SmtpReply> {
    await this.write(this.encoder.encode(`${line}\r\n`));
    return this.read();
  }

  async write(bytes: Uint8Array): Promise<void> {
    await this.handshake(withTimeout(this.writer.write(bytes), this.timeoutMs, 'writing to the SMTP server timed out'));
  }

  /** Upgrades the connection to TLS after a 220 reply to STARTTLS. */
  startTls(): void {
    this.reader.releaseLock();
    this.writer.releaseLock();
    this.socket = this.socket.startTls();
    this.reader = this.socket.readable.getReader();
    this.writer = this.socket.writable.getWriter();
    this.buffered = '';
    this.handshaking = true;
  }

  /** Says QUIT without waiting long for the answer, then closes the socket. */
  async close(): Promise<void> {
    try {
      await withTimeout(this.command('QUIT'), 2_000, 'QUIT timed out');
    } catch {
      // The message is already accepted or refused; a slow goodbye changes nothing.
    }
    await this.socket.close().catch(() => undefined);
  }

  private async readLine(): Promise<string> {
    for (;;) {
      const end = this.buffered.indexOf('\n');
      if (end >= 0) {
        const line = this.buffered.slice(0, end).replace(/\r$/, '');
        this.buffered = this.buffered.slice(end + 1);
        return line;
      }
      const { value, done } = await this.handshake(withTimeout(this.reader.read(), this.timeoutMs, 'the SMTP server did not answer in time'));
      if (done) throw new Error('the SMTP server closed the connection');
      this.handshaking = false;
      this.buffered += this.decoder.decode(value, { stream: true });
    }
  }

  /**
   * Names a failure during the TLS handshake for what it almost always is. workerd reports an
   * untrusted or misnamed certificate as "internal error; reference = …", or, with implicit TLS, as
   * a connection it could not make, which sends whoever reads the recipient's status looking in the
   * wrong place.
   */
  private async handshake<T>(step: Promise<T>, phase: 'opening' | 'upgraded' = 'upgraded'): Promise<T> {
    if (!this.handshaking) return step;
    try {
      return await step;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const unreachable = phase === 'opening' ? 'nothing answers on this port, or ' : '';
      throw new Error(`TLS with ${this.host} failed: ${unreachable}the relay's certificate is not trusted or not issued for ${this.host}, or it does not speak TLS on this port (${reason})`);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
