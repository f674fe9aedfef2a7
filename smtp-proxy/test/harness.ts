/** e2e helpers: run the built proxy as its own process, real SMTP clients, and Worker API calls. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { inject } from 'vitest';
import { freePort } from '../../scripts/local-worker.mjs';

export const workerUrl = () => inject('workerUrl');

export interface RunningProxy {
  port: number;
  logs: string[];
  /** What the process wrote to stderr (errors, guard reports). */
  errors(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts `node smtp-proxy/dist/main.js` in its own process group, as a deployment would run it. */
export async function startProxy(env: Record<string, string> = {}): Promise<RunningProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn('node', ['smtp-proxy/dist/main.js'], {
    env: { ...process.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), WORKER_URL: workerUrl(), SMTP_ALLOW_INSECURE_AUTH: 'true', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        logs.push(line);
        if (line.includes('"smtp_listening"')) resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`proxy exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    logs,
    errors: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

export async function newAddress(name: string): Promise<{ address: string; jwt: string; address_id: number }> {
  const res = await fetch(`${workerUrl()}/api/new_address`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!res.ok) throw new Error(`new_address ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { address: string; jwt: string; address_id: number };
}

export async function api<T = any>(path: string, jwt: string): Promise<T> {
  const res = await fetch(`${workerUrl()}${path}`, { headers: { authorization: `Bearer ${jwt}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function apiBytes(path: string, jwt: string): Promise<Uint8Array> {
  const res = await fetch(`${workerUrl()}${path}`, { headers: { authorization: `Bearer ${jwt}` } });
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Python smtplib that reports the SMTP code of whatever step fails, instead of crashing. MESSAGE, when
 * set, is sent as the whole message; otherwise a small one is built from FROM, TO and BODY_SIZE.
 */
export const PYTHON_PROBE = `
import json, os, smtplib
port = int(os.environ['PORT'])
try:
    smtp = smtplib.SMTP('127.0.0.1', port)
    smtp.login(os.environ.get('USER', 'jwt'), os.environ['JWT'])
    body = os.environ.get('MESSAGE') or 'From: %s\\r\\nTo: %s\\r\\nSubject: probe\\r\\n\\r\\n%s\\r\\n' % (os.environ['FROM'], os.environ['TO'], 'x' * int(os.environ.get('BODY_SIZE', '10')))
    rcpts = os.environ['TO'].split(',')
    refused = smtp.sendmail(os.environ.get('MAIL_FROM', os.environ['FROM']), rcpts, body)
    smtp.quit()
    print(json.dumps({"ok": True, "refused": {k: [v[0], v[1].decode()] for k, v in refused.items()}}))
except smtplib.SMTPAuthenticationError as e:
    print(json.dumps({"ok": False, "step": "auth", "code": e.smtp_code, "message": e.smtp_error.decode()}))
except smtplib.SMTPSenderRefused as e:
    print(json.dumps({"ok": False, "step": "mail", "code": e.smtp_code, "message": e.smtp_error.decode()}))
except smtplib.SMTPRecipientsRefused as e:
    code, message = list(e.recipients.values())[0]
    print(json.dumps({"ok": False, "step": "rcpt", "code": code, "message": message.decode()}))
except smtplib.SMTPDataError as e:
    print(json.dumps({"ok": False, "step": "data", "code": e.smtp_code, "message": e.smtp_error.decode()}))
except smtplib.SMTPResponseException as e:
    print(json.dumps({"ok": False, "step": "other", "code": e.smtp_code, "message": e.smtp_error.decode()}))
`;

/** Runs a Python snippet; it prints one JSON line, which is returned parsed. */
export function python(code: string, env: Record<string, string>): any {
  const result = spawnSync('python3', ['-c', code], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

/** Runs swaks; returns its exit code and full transcript. */
export function swaks(args: string[]): { status: number; output: string } {
  const result = spawnSync('swaks', args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** One SMTP reply: its code and every line of text. */
export interface Reply {
  code: number;
  lines: string[];
}

/**
 * A raw SMTP session over a TCP socket, for what polite clients never do: stop mid-DATA, stall,
 * send malformed AUTH payloads.
 */
export class RawSmtp {
  private buffer = '';
  private waiting: (() => void) | null = null;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.waiting?.();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.waiting?.());
  }

  static async connect(port: number): Promise<RawSmtp> {
    const socket = createConnection({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const session = new RawSmtp(socket);
    await session.reply(); // greeting
    return session;
  }

  /** The next complete reply (multi-line replies joined); rejects if the server hangs up first. */
  async reply(timeoutMs = 30_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.buffer.split('\r\n');
      const last = lines.findIndex((l) => /^\d{3} /.test(l));
      if (last >= 0) {
        const taken = lines.slice(0, last + 1);
        this.buffer = lines.slice(last + 1).join('\r\n');
        return { code: Number(taken[last]!.slice(0, 3)), lines: taken.map((l) => l.slice(4)) };
      }
      if (this.socket.destroyed || this.socket.readableEnded) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer)}`);
      if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 100);
      });
      this.waiting = null;
    }
  }

  async command(line: string): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** EHLO, AUTH PLAIN, MAIL FROM and one RCPT TO per recipient, then DATA: ready for the message. */
  async startData(jwt: string, from: string, to: string[]): Promise<void> {
    const steps = [
      ['EHLO raw.test', 250],
      [`AUTH PLAIN ${Buffer.from(`\0jwt\0${jwt}`).toString('base64')}`, 235],
      [`MAIL FROM:<${from}>`, 250],
      ...to.map((r) => [`RCPT TO:<${r}>`, 250] as const),
      ['DATA', 354],
    ] as const;
    for (const [line, expected] of steps) {
      const { code, lines } = await this.command(line);
      if (code !== expected) throw new Error(`${line.split(' ')[0]} answered ${code} ${lines.join(' ')}`);
    }
  }

  write(data: string): void {
    this.socket.write(data);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
