import { describe, expect, it } from 'vitest';
import { bearer, call, createAddress, deliverFixture, json } from '../helpers';
import { adminKey, v1 } from './helpers';

describe('v1 delivery stats', () => {
  it('counts inbound accepted/rejected and outbound sent/failed, grouped and by domain', async () => {
    const key = await adminKey();
    const alice = await createAddress('stats-alice');
    await deliverFixture('multipart-alternative.eml', alice.address);
    await deliverFixture('no-message-id.eml', alice.address);
    await deliverFixture('no-message-id.eml', 'nobody@example.com');
    await call('/api/send_mail', { method: 'POST', headers: bearer(alice.jwt), body: JSON.stringify({ to_mail: ['friend@far.test', 'ghost@example.com'], subject: 's', content: 'x' }) });

    const all = (await json(await v1(key, '/stats/delivery?group_by=domain'))).data;
    expect(all.totals).toEqual({ inbound_accepted: 2, inbound_rejected: 1, outbound_sent: 1, outbound_failed: 1 });
    expect(all.groups).toEqual(
      expect.arrayContaining([
        { key: 'sender.test', inbound_accepted: 2, inbound_rejected: 1, outbound_sent: 0, outbound_failed: 0 },
        { key: 'far.test', inbound_accepted: 0, inbound_rejected: 0, outbound_sent: 1, outbound_failed: 0 },
      ]),
    );
    expect(all.top_sender_domains[0]).toEqual({ domain: 'sender.test', count: 3 });

    const byDay = (await json(await v1(key, '/stats/delivery?group_by=day'))).data;
    expect(byDay.groups).toEqual([{ key: new Date().toISOString().slice(0, 10), inbound_accepted: 2, inbound_rejected: 1, outbound_sent: 1, outbound_failed: 1 }]);
    const bySender = (await json(await v1(key, `/stats/delivery?sender=${alice.address}`))).data;
    expect(bySender.totals).toEqual({ inbound_accepted: 0, inbound_rejected: 0, outbound_sent: 1, outbound_failed: 1 });

    const domain = (await json(await v1(key, '/stats/domain/far.test'))).data;
    expect(domain).toMatchObject({ domain: 'far.test', outbound_sent: 1, inbound_accepted: 0 });
    const past = (await json(await v1(key, '/stats/delivery?start_date=2020-01-01&end_date=2020-01-31'))).data;
    expect(past.totals.inbound_accepted).toBe(0);
    const backwards = await v1(key, '/stats/delivery?start_date=2026-02-01&end_date=2026-01-01');
    expect((await json(backwards)).error).toMatchObject({ code: 'validation_failed', param: 'start_date' });
    // Only the two shapes named: Date.parse alone would read "-1" as 2001 and "Jan 5" as some year's.
    for (const bad of ['-1', 'Jan 5 2026', '2026-01-05T10:00', '1735689600']) {
      const res = await v1(key, `/stats/delivery?start_date=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'start_date' });
    }
    expect((await v1(key, '/stats/delivery?start_date=2026-01-05T10:00:00.5%2B01:00')).status).toBe(200);
  });
});
