/**
 * Runs SpamAssassin (Debian's `spamassassin`, local rules only) on a message and returns the rules
 * that fired. Offline and side-effect free: network tests off (-L), no Bayes, a throwaway HOME so
 * nothing is learnt or written to the user's profile. The rule list comes from a header we ask
 * SpamAssassin to add (`X-Spam-Rules`), not from its human-readable report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpamReport {
  rules: string[];
  isSpam: boolean;
  score: number;
}

let home: string | undefined;

export function spamAssassin(message: Uint8Array | string): SpamReport {
  if (home === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'edgemail-sa-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    home = dir;
  }
  const result = spawnSync(
    'spamassassin',
    ['-L', '-t', '-x', '-p', '/dev/null', '--cf', 'use_bayes 0', '--cf', 'bayes_auto_learn 0', '--cf', 'add_header all Rules _TESTS(,)_'],
    { input: message, env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) throw new Error(`spamassassin did not run (${result.error.message}); install it: apt-get install -y spamassassin`);
  if (result.status !== 0) throw new Error(`spamassassin exited with ${result.status}: ${result.stderr}`);
  // SpamAssassin prepends its headers to the message; they may be folded.
  const head = result.stdout.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const rules = /^X-Spam-Rules:[ \t]*(.*)$/m.exec(head);
  const status = /^X-Spam-Status:[ \t]*(Yes|No), score=(-?\d+(?:\.\d+)?)/m.exec(head);
  if (!rules || !status) throw new Error(`spamassassin output has no X-Spam-Rules/X-Spam-Status header:\n${head}`);
  return {
    rules: rules[1]!.split(',').map((r) => r.trim()).filter((r) => r !== '' && r !== 'none'),
    isSpam: status[1] === 'Yes',
    score: Number(status[2]),
  };
}
