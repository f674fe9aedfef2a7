#!/usr/bin/env node
// `npm start`: runs Edgemail locally on embedded defaults. Creates .dev.vars (secrets) when missing,
// applies D1 migrations to the local database, starts `wrangler dev` and the SMTP proxy on 8025,
// and prints how to use them.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const port = Number(process.env.PORT ?? 8787);
const smtpPort = Number(process.env.SMTP_PORT ?? 8025);
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const wrangler = 'node_modules/.bin/wrangler';

function ensureDevVars() {
  if (!existsSync('.dev.vars')) {
    const secret = randomBytes(32).toString('base64url');
    const adminPassword = randomBytes(12).toString('base64url');
    const dkimKey = randomBytes(32).toString('base64url');
    writeFileSync(
      '.dev.vars',
      [
        '# Local secrets and overrides for `npm start` (generated; never commit this file).',
        `JWT_SECRET=${secret}`,
        `ADMIN_PASSWORDS=${adminPassword}`,
        '# Encrypts the DKIM private keys of approved domains; keep it: changing it makes them unreadable.',
        `DKIM_ENCRYPTION_KEY=${dkimKey}`,
        'PASSWORDS=',
        '# Locally, any address on DOMAINS is created on first mail so test deliveries just work.',
        'CATCH_ALL=create',
        '# Locally every new address can send right away; production defaults to 0 (admin grants).',
        'DEFAULT_SEND_BALANCE=1000',
        'SEND_RATE_PER_MINUTE=120',
        '# Locally anyone may create as many addresses as they like; production allows 30 per IP per hour.',
        'NEW_ADDRESSES_PER_HOUR=0',
        'RESEND_API_KEY=',
        '# Locally a webhook receiver on 127.0.0.1 works; production refuses private addresses.',
        'WEBHOOK_ALLOW_PRIVATE=true',
        '# AI writing is off until one of these is set (see README "Configuration"), e.g. a local Ollama:',
        '# OPENAI_BASE_URL=http://127.0.0.1:11434/v1',
        '# OPENAI_MODEL=llama3.2',
        'OPENAI_API_KEY=',
        'ANTHROPIC_API_KEY=',
        '',
      ].join('\n'),
    );
    console.log('Created .dev.vars with a fresh JWT_SECRET and admin password.');
  } else if (!/^DKIM_ENCRYPTION_KEY=/m.test(readFileSync('.dev.vars', 'utf8'))) {
    // A .dev.vars from before accounts existed: add the DKIM secret so approving a domain works.
    writeFileSync('.dev.vars', `${readFileSync('.dev.vars', 'utf8').replace(/\n?$/, '\n')}DKIM_ENCRYPTION_KEY=${randomBytes(32).toString('base64url')}\n`);
  }
  if (!/^WEBHOOK_ALLOW_PRIVATE=/m.test(readFileSync('.dev.vars', 'utf8'))) {
    // A .dev.vars from before webhooks existed: let local receivers (127.0.0.1) work out of the box.
    writeFileSync('.dev.vars', `${readFileSync('.dev.vars', 'utf8').replace(/\n?$/, '\n')}WEBHOOK_ALLOW_PRIVATE=true\n`);
  }
  const vars = Object.fromEntries(
    readFileSync('.dev.vars', 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return vars;
}

function applyMigrations() {
  const result = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local'], {
    stdio: 'inherit',
    env: { ...env, CI: 'true' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function waitForHealth(url, child) {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) return false;
    try {
      if ((await fetch(`${url}/health`)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function build() {
  for (const [cmd, args] of [
    ['node_modules/.bin/tsc', ['-p', 'smtp-proxy/tsconfig.json']],
    ['node_modules/.bin/vite', ['build', '--config', 'frontend/vite.config.ts', '--logLevel', 'warn']],
  ]) {
    const result = spawnSync(cmd, args, { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

const vars = ensureDevVars();
applyMigrations();
build();

const url = `http://127.0.0.1:${port}`;
// Own process groups, so stopping us stops workerd too (killing only npx/wrangler leaves it bound).
const children = [
  // The web UI's SMTP example names the local proxy.
  spawn(wrangler, ['dev', '--port', String(port), '--ip', '127.0.0.1', '--var', `SMTP_PROXY_ADDRESS:127.0.0.1:${smtpPort}`], { stdio: 'inherit', env, detached: true }),
  spawn('node', ['smtp-proxy/dist/main.js'], {
    stdio: 'inherit',
    detached: true,
    env: {
      ...env,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      WORKER_URL: url,
      // Plain-text AUTH is fine on localhost; a deployed proxy should have a certificate instead.
      SMTP_ALLOW_INSECURE_AUTH: 'true',
      SITE_PASSWORD: (vars.PASSWORDS ?? '').split(/[\s,]+/)[0] ?? '',
    },
  }),
];
const stop = () => {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => {
  stop();
  process.exit(code ?? 1);
});

const [worker] = children;
if (await waitForHealth(url, worker)) {
  const domain = (vars.DOMAINS ?? readFileSync('wrangler.toml', 'utf8').match(/^DOMAINS\s*=\s*"([^"]*)"/m)?.[1] ?? 'example.com').split(/[\s,]+/)[0];
  console.log(`
  Edgemail is running at ${url}  (web UI: open it in a browser)
  Admin password (x-admin-auth): ${vars.ADMIN_PASSWORDS}

  Create an address:
    curl -s -X POST ${url}/api/new_address -H 'content-type: application/json' -d '{"name":"test"}'

  Deliver a test email to it (wrangler's local Email Routing endpoint):
    printf 'From: a@sender.test\\r\\nTo: test@${domain}\\r\\nSubject: Hello\\r\\nMessage-ID: <1@sender.test>\\r\\n\\r\\nHi!\\r\\n' |
      curl -s -X POST '${url}/cdn-cgi/handler/email?from=a@sender.test&to=test@${domain}' --data-binary @-

  Read it (use the jwt from the first call):
    curl -s ${url}/api/parsed_mails -H "authorization: Bearer <jwt>"

  Send mail (HTTP; mail to @${domain} is delivered internally):
    curl -s -X POST ${url}/api/send_mail -H "authorization: Bearer <jwt>" -H 'content-type: application/json' \\
      -d '{"from_name":"Test","to_name":"","to_mail":"test@${domain}","subject":"Hi","is_html":false,"content":"Hello"}'

  Send through the queued API v1 (202 at once; GET /api/v1/emails/<id> shows each recipient's result):
    curl -s -X POST ${url}/api/v1/emails -H "authorization: Bearer <jwt>" -H 'content-type: application/json' \
      -d '{"to":"test@${domain}","subject":"Hi","html":"<p>Hello</p>"}'

  Get a webhook for mail arriving at test@${domain} (a receiver on 127.0.0.1 works locally):
    curl -s -X POST ${url}/api/v1/webhooks -H "authorization: Bearer <jwt>" -H 'content-type: application/json' \
      -d '{"url":"http://127.0.0.1:9000/hook","events":["email.received"]}'

  Send mail (SMTP on 127.0.0.1:${smtpPort}, username "jwt", password = the jwt):
    swaks --server 127.0.0.1:${smtpPort} --auth-user jwt --auth-password <jwt> --from test@${domain} --to test@${domain}
`);
}
