/**
 * The authorization sweep: every route the Worker serves, read from the Hono app itself, called with
 * mailbox A's credentials (its address JWT, its mailbox API key, its owner's session) naming mailbox
 * B or B's resources. "Auth failures never leak whether a mailbox exists; one address's token can
 * never read or send as another address": so each such call must fail, with exactly the answer the
 * same call gets for a resource that does not exist, and must leave B as it was. Each probe is then
 * made by B's own credential, which must reach what A could not, so no probe passes for a typo.
 *
 * A route added to the app without a probe here (or an exemption with its reason) fails the sweep.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../src/lib/clock';
import { ADMIN_ONLY, EXEMPT, KINDS, legacySend, MAPPED, MARK, rawFrom, type Self, SINK, type Target } from './authorization/probes';
import { ACCEPTS, concerns, CREDENTIAL_REFUSED, deadCredentials, doorOf, env, expectStatus, fieldsOf, fillPath, freshTarget, latest, leaked, newColleague, newDraft, newMessage, newScheduled, newSession, newSuppression, ownerSelf, party, request, ROUTES, setWorld, shape, snapshotOfB, spare, v1, w, type World } from './authorization/world';
import { call, createAddress, searchIndexSettled, testEnv } from './helpers';
import { adminKey } from './v1/helpers';

let before: Awaited<ReturnType<typeof snapshotOfB>>;

beforeAll(async () => {
  const adminSecret = await adminKey('authorization sweep');
  setWorld({ adminSecret } as World);
  await createAddress(SINK, 'example.com', env);
  w.a = await party('asweep', adminSecret);
  w.b = await party('bsweep', adminSecret);
  const b = w.b;
  const idemKey = `sweep-${randomToken(12)}`;
  const sent = await expectStatus(
    await call('/api/send_mail', { method: 'POST', headers: { authorization: `Bearer ${b.tokens.jwt}` }, body: JSON.stringify({ ...legacySend, subject: `${MARK} sent` }) }, env),
    200,
    'legacy send',
  );
  const sentRow = await latest('SELECT public_id FROM emails WHERE id = ?', sent.sent_id);
  w.target = {
    address: b.address,
    domain: b.domain,
    userEmail: await newColleague(b),
    ...(await newMessage(b)),
    draftUid: await newDraft(b),
    sentId: String(sent.sent_id),
    sentEmailId: String(sentRow.public_id),
    emailId: await newScheduled(b, { 'idempotency-key': idemKey }),
    idemKey,
    webhookId: b.webhookId,
    deliveryId: b.deliveryId,
    keyId: b.keyId,
    sessionId: await newSession(b),
    suppressed: await newSuppression(b),
  };
  const r = randomToken(8);
  w.ghost = {
    address: `nobody-${r}@${b.domain}`,
    domain: `nodomain-${r}.test`,
    userEmail: `nouser-${r}@${b.domain}`,
    mailId: '987654321',
    mailUid: `msg_${randomToken(20)}`,
    draftUid: `msg_${randomToken(20)}`,
    sentId: '987654322',
    sentEmailId: `em_${randomToken(24)}`,
    emailId: `em_${randomToken(24)}`,
    idemKey: `sweep-${randomToken(12)}`,
    webhookId: `wh_${randomToken(24)}`,
    deliveryId: `whd_${randomToken(24)}`,
    keyId: `key_${randomToken(20)}`,
    sessionId: `ses_${randomToken(20)}`,
    suppressed: `never-${r}@elsewhere.test`,
  };
  const twin = await createAddress(`twin-${r}`, 'example.com', env);
  w.twin = { address: twin.address, addressId: twin.address_id };
  const twinMail = await newMessage(w.twin);
  w.victims = [
    { name: 'B', target: w.target, ghost: w.ghost },
    {
      name: "B's anonymous twin",
      target: { ...w.target, address: twin.address, ...twinMail },
      ghost: { ...w.ghost, address: `nobody-${r}@example.com` },
      has: ['address', 'mailId', 'mailUid'],
    },
  ];
  const t = w.target;
  const sessionIds = (await testEnv.DB.prepare('SELECT public_id FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = ?)').bind(b.userEmail).all()).results.map((s) => String(s.public_id));
  w.dead = await deadCredentials();
  await searchIndexSettled();
  w.needles = [MARK, t.address, t.domain, t.userEmail, t.mailUid, t.draftUid, t.sentEmailId, t.emailId, t.webhookId, t.deliveryId, t.keyId, t.suppressed, ...sessionIds, twin.address, twinMail.mailUid];
  before = await snapshotOfB();
}, 180_000);

describe('the authorization sweep', () => {
  it('has a probe or a stated exemption for every route the Worker serves', () => {
    const unmapped = ROUTES.filter((r) => !(r in MAPPED) && !(r in EXEMPT));
    expect(unmapped, 'routes nobody checked: add probes for them to MAPPED, or an exemption with its reason to EXEMPT').toEqual([]);
    const stale = [...Object.keys(MAPPED), ...Object.keys(EXEMPT)].filter((r) => !ROUTES.includes(r));
    expect(stale, 'entries for routes the app no longer serves').toEqual([]);
    expect(Object.keys(MAPPED).filter((r) => r in EXEMPT), 'both mapped and exempt').toEqual([]);
    expect(Object.entries(EXEMPT).filter(([, why]) => why.trim() === ''), 'exemptions without a reason').toEqual([]);
    const self: Self = { address: 'me@a.test', domain: 'a.test', userEmail: 'me@a.test', webhookId: 'wh_me' };
    const problems: string[] = [];
    for (const [route, probes] of Object.entries(MAPPED)) {
      if (probes.length === 0) problems.push(`${route}: no probe`);
      for (const probe of probes) {
        // Every path parameter must be filled with one of B's identifiers (or the caller's own).
        try {
          fillPath(route, probe.build(new Proxy({} as Target, { get: (_, k) => `${String(k)}-spy` }), self).params);
        } catch (err) {
          problems.push((err as Error).message);
        }
        if (probe.expect === 'refused' && fieldsOf(probe, self).length === 0) problems.push(`${route} [${probe.name}]: names nothing of B`);
      }
    }
    expect(problems).toEqual([]);
    expect(ROUTES.length).toBe(Object.keys(MAPPED).length + Object.keys(EXEMPT).length);
  });

  describe("A's credentials against B", () => {
    it("A's credentials are live on every door that takes them", async () => {
      const { a } = w;
      const mailbox = encodeURIComponent(a.address);
      for (const kind of KINDS) {
        const token = a.tokens[kind];
        const bearer = { authorization: `Bearer ${token}` };
        expect((await v1(token, `/mailboxes/${mailbox}/messages`)).status, `v1 ${kind}`).toBe(200);
        expect((await call('/compat/mailapi/api/v1/tokens/me', { headers: { 'x-mailapi-token': token } }, env)).status, `mailapi ${kind}`).toBe(200);
        expect((await call(`/compat/bytesmtp/api/inbox?mailbox=${mailbox}`, { headers: bearer }, env)).status, `bytesmtp ${kind}`).toBe(200);
        expect((await call('/compat/resend/emails', { headers: bearer }, env)).status, `resend ${kind}`).toBe(200);
        if (kind !== 'key') expect((await call('/api/settings', { headers: { ...bearer, 'x-mailbox': a.address } }, env)).status, `web UI API ${kind}`).toBe(200);
      }
    });

    it.each(ROUTES.filter((r) => !(r in EXEMPT)))('%s', async (route) => {
      const probes = MAPPED[route];
      if (!probes) throw new Error(`${route} has no authorization probe: map its parameters to B's identifiers in MAPPED`);
      for (const probe of probes) {
        for (const kind of probe.kinds) {
          const caller = probe.spends ? await spare(kind) : w.a;
          const self = ownerSelf(caller);
          const fields = fieldsOf(probe, self);
          const where = `${route} [${probe.name}] with A's ${kind}`;
          if (probe.expect === 'own') {
            const answer = await request(route, probe, kind, caller.tokens[kind], w.target, self);
            expect(leaked(answer.text, probe.build(w.target, self)), `${where} shows B's data: ${answer.text.slice(0, 500)}`).toEqual([]);
            continue;
          }
          for (const victim of w.victims.filter((v) => concerns(v, fields))) {
            const against = `${where}, naming ${victim.name}`;
            const onB = await request(route, probe, kind, caller.tokens[kind], victim.target, self);
            expect(leaked(onB.text, probe.build(victim.target, self)), `${against} shows B's data: ${onB.text.slice(0, 500)}`).toEqual([]);
            expect(onB.status >= 400 && onB.status < 500, `${against} must be refused, got ${onB.status}: ${onB.text.slice(0, 500)}`).toBe(true);
            // A door that takes this credential must refuse B's resource, not the (live) credential.
            if (ACCEPTS[doorOf(route.slice(route.indexOf(' ') + 1))].includes(kind)) expect(onB.text, `${against}: refused the credential itself`).not.toMatch(CREDENTIAL_REFUSED);
            const onGhost = await request(route, probe, kind, caller.tokens[kind], victim.ghost, self);
            expect(leaked(onGhost.text, probe.build(victim.ghost, self)), `${against} (ghost) shows B's data: ${onGhost.text.slice(0, 500)}`).toEqual([]);
            expect(shape(onB, victim.target, fields), `${against}: B's resource must answer exactly as one that does not exist`).toEqual(shape(onGhost, victim.ghost, fields));
          }
        }
      }
    });

    it.each(ROUTES.filter((r) => MAPPED[r]?.some((p) => p.expect === 'refused')))('%s with a failed credential', async (route) => {
      const door = doorOf(route.slice(route.indexOf(' ') + 1));
      for (const probe of MAPPED[route]!.filter((p) => p.expect === 'refused')) {
        const self = ownerSelf(w.a);
        const fields = fieldsOf(probe, self);
        for (const [how, { kind, token }] of Object.entries(w.dead)) {
          for (const victim of w.victims.filter((v) => concerns(v, fields))) {
            const where = `${route} [${probe.name}] with ${how}, naming ${victim.name}`;
            const onB = await request(route, probe, kind, token, victim.target, self);
            const onGhost = await request(route, probe, kind, token, victim.ghost, self);
            expect(onB.status >= 400 && onB.status < 500, `${where} must be refused, got ${onB.status}: ${onB.text.slice(0, 300)}`).toBe(true);
            // The external door reads its token from the body: without one, the body is what is wrong.
            if (!(door === 'external' && token === '')) expect(onB.text, `${where}: must fail on the credential`).toMatch(CREDENTIAL_REFUSED);
            expect(shape(onB, victim.target, fields), `${where}: must not tell B's resource from one that does not exist`).toEqual(shape(onGhost, victim.ghost, fields));
          }
        }
      }
    });

    it.each(Object.keys(EXEMPT).filter((r) => EXEMPT[r] === ADMIN_ONLY))('%s refuses every mailbox credential', async (route) => {
      const [method] = route.split(' ');
      const path = route.slice(route.indexOf(' ') + 1).replace(':id', String(w.b.addressId));
      for (const kind of KINDS) {
        const query = path.startsWith('/admin/mails') ? `?address=${encodeURIComponent(w.b.address)}&to=${encodeURIComponent(w.b.address)}` : '';
        const res = await call(`${path}${query}`, { method, headers: { authorization: `Bearer ${w.a.tokens[kind]}` }, body: method === 'GET' ? undefined : rawFrom(w.a.address) }, env);
        expect(res.status, `${route} with A's ${kind}`).toBe(401);
      }
    });

    it('leaves every row of B as it was', async () => {
      expect(await snapshotOfB()).toEqual(before);
    });
  });

  describe("the same requests by B's owner reach B (so no probe passes by accident)", () => {
    const controlled = Object.entries(MAPPED).flatMap(([route, probes]) => probes.filter((p) => p.control).map((p) => [`${route} [${p.name}]`, route, p] as const));
    it.each(controlled)('%s', async (_label, route, probe) => {
      const { kind, expect: outcome } = probe.control!;
      const self = ownerSelf(w.b);
      const fields = fieldsOf(probe, self);
      const target = route.startsWith('GET ') ? w.target : await freshTarget(fields);
      const res = await request(route, probe, kind, w.b.tokens[kind], target, self);
      const where = `${route} [${probe.name}] by B's ${kind}: ${res.status} ${res.text.slice(0, 500)}`;
      if (outcome === 'ok') expect(res.status >= 200 && res.status < 300, where).toBe(true);
      if (outcome === 'sees') expect(w.needles.some((n) => res.text.includes(n)), where).toBe(true);
      if (outcome === 'differs') {
        const ghost = await request(route, probe, kind, w.b.tokens[kind], w.ghost, self);
        expect(res.status, where).not.toBe(ghost.status);
      }
    });
  });
});
