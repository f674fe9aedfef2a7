/**
 * SpamAssassin judges what the real Worker (under `wrangler dev`) sends: each outgoing scenario goes
 * through POST /api/send_mail to an internal mailbox, and the stored raw message — the exact bytes a
 * provider would have been handed — is checked. Control messages with the defects this guards
 * against prove the check can fail.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { api, apiBytes, newAddress, workerUrl } from '../../smtp-proxy/test/harness';
import { OUTGOING_SCENARIOS, sendMailBody } from '../test/outgoing-scenarios';
import { cleanUpSpamAssassin, spamAssassin } from './spamassassin';

// Rules that mean our MIME looks careless or hand-rolled: the ones issue 10 names, and every
// MIME_*, MISSING_* and INVALID_DATE* rule.
const FORBIDDEN = [/^FROM_EXCESS_BASE64$/, /^HTML_MIME_NO_HTML_TAG$/, /^MIME_/, /^MISSING_/, /^INVALID_DATE/];
const forbidden = (rules: string[]) => rules.filter((rule) => FORBIDDEN.some((re) => re.test(rule)));

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('SpamAssassin on outgoing mail', () => {
  afterAll(cleanUpSpamAssassin);

  it('flags the defects it guards against in control messages', async () => {
    // What the previous builder sent for an HTML send: base64 everywhere, a bare fragment, no text part.
    const htmlOnly = await spamAssassin(crlf([
      `From: =?utf-8?B?${b64('Alice Example')}?= <alice@example.com>`,
      'To: bob@example.net',
      `Subject: =?utf-8?B?${b64('Monthly update')}?=`,
      'Message-ID: <k2j4h5g6f7d8s9a0q1w2e3r4@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64('<p>Hello Bob, here is <b>what changed</b> this month.</p>'),
    ]));
    expect(htmlOnly.rules).toEqual(expect.arrayContaining(['FROM_EXCESS_BASE64', 'MIME_HTML_ONLY', 'HTML_MIME_NO_HTML_TAG', 'MISSING_DATE']));
    const base64Text = await spamAssassin(crlf([
      'From: Alice <alice@example.com>',
      'To: bob@example.net',
      'Subject: Hello',
      'Date: yesterday at noon',
      'Message-ID: <k2j4h5g6f7d8s9a0q1w2e3r5@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain',
      'Content-Transfer-Encoding: base64',
      '',
      b64('Hi Bob, the report is ready.\n'),
    ]));
    expect(base64Text.rules).toEqual(expect.arrayContaining(['MIME_BASE64_TEXT', 'INVALID_DATE']));
  });

  OUTGOING_SCENARIOS.forEach((scenario, i) => {
    it(`finds nothing wrong with "${scenario.name}" as POST /api/send_mail builds it`, async () => {
      const sender = await newAddress(`sa${i}-from`);
      const rcpt = await newAddress(`sa${i}-to`);
      const cc = scenario.withCc ? await newAddress(`sa${i}-cc`) : undefined;
      const res = await fetch(`${workerUrl()}/api/send_mail`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sender.jwt}`, 'content-type': 'application/json' },
        body: JSON.stringify(sendMailBody(scenario, rcpt.address, cc?.address)),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const { results } = await api<{ results: { id: number }[] }>('/api/parsed_mails?limit=5', rcpt.jwt);
      expect(results).toHaveLength(1);
      const raw = await apiBytes(`/api/mails/${results[0]!.id}/raw`, rcpt.jwt);
      expect(Buffer.from(raw).toString('latin1')).toMatch(/^From: /);

      const report = await spamAssassin(raw);
      expect(forbidden(report.rules), `rules that fired: ${report.rules.join(', ')}`).toEqual([]);
      expect(report.isSpam).toBe(false);
    });
  });
});
