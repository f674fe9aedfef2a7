/**
 * Runs SpamAssassin (Debian's `spamassassin`, local rules only) on a message and returns the rules
 * that fired. Offline and side-effect free: network tests off (-L), no Bayes, a throwaway HOME so
 * nothing is learnt or written to the user's profile. The rule list comes from a header we ask
 * SpamAssassin to add (`X-Spam-Rules`), not from its human-readable report.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpamReport {
  rules: string[];
  isSpam: boolean;
  score: number;
}

let home: string | undefined;

/** Removes the throwaway HOME; call it once the file's checks are done. */
export function cleanUpSpamAssassin(): void {
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
  home = undefined;
}

/**
 * Asynchronous on purpose: a blocked event loop lets `wrangler dev` close idle keep-alive sockets
 * unnoticed, and the next fetch then fails on one of them.
 */
export async function spamAssassin(message: Uint8Array | string): Promise<SpamReport> {
  home ??= mkdtempSync(join(tmpdir(), 'edgemail-sa-'));
  const args = ['-L', '-t', '-x', '-p', '/dev/null', '--cf', 'use_bayes 0', '--cf', 'bayes_auto_learn 0', '--cf', 'add_header all Rules _TESTS(,)_'];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('spamassassin', args, { env: { ...process.env, HOME: home }, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new Error(`spamassassin did not run (${e.message}); install it: apt-get install -y spamassassin`)));
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    child.stdin.end(message);
  });
  if (code !== 0) throw new Error(`spamassassin exited with ${code}: ${stderr}`);
  // SpamAssassin prepends its headers to the message; they may be folded.
  const head = stdout.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const rules = /^X-Spam-Rules:[ \t]*(.*)$/m.exec(head);
  const status = /^X-Spam-Status:[ \t]*(Yes|No), score=(-?\d+(?:\.\d+)?)/m.exec(head);
  if (!rules || !status) throw new Error(`spamassassin output has no X-Spam-Rules/X-Spam-Status header:\n${head}`);
  return {
    rules: rules[1]!.split(',').map((r) => r.trim()).filter((r) => r !== '' && r !== 'none'),
    isSpam: status[1] === 'Yes',
    score: Number(status[2]),
  };
}
