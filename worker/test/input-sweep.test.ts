/**
 * The input sweep: every route the Worker serves, read from the Hono app itself, given bad input by a
 * caller whose valid request succeeds. "Every endpoint validates its input and answers a consistent
 * JSON error; bad input never causes a 5xx": so each answer must be below 500, and each refusal a
 * 4xx in the JSON error shape of the route's door (the original API's envelope, /api/v1's, or a
 * compatibility door's dialect) with a code and a message. A body that is not JSON, or JSON of the
 * wrong type at the top, must be refused; a field or query parameter of the wrong type or value may
 * be taken (some are coerced, clamped or free text), but never crash.
 *
 * Each route's valid request is made first and must succeed, so no case passes for a bad credential.
 * A route added to the app without an entry here (or a stated reason why it reads no input) fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from './helpers';
import { ROUTES } from './authorization/world';
import { bodyCases, QUERY_VALUES } from './input-sweep/cases';
import { JSON_ROUTES, NO_BODY, NO_QUERY, QUERY_ROUTES, RAW_ROUTES } from './input-sweep/routes';
import { type Answer, buildSweep, dialectProblem, send, type Sweep } from './input-sweep/world';

let s: Sweep;
/** /api/v1 route (`METHOD /api/v1/path/:param`) → whether the OpenAPI document gives it a body, and its query parameters. */
let v1Doc: Map<string, { body: boolean; query: string[] }>;

beforeAll(async () => {
  const doc = (await (await call('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string; name: string }[] }>> };
  v1Doc = new Map(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => [
        `${method.toUpperCase()} /api/v1${path.replace(/\{(\w+)\}/g, ':$1')}`,
        { body: op.requestBody !== undefined, query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) },
      ]),
    ),
  );
  s = await buildSweep();
}, 120_000);

const pathOf = (route: string) => route.slice(route.indexOf(' ') + 1);
const show = (a: Answer) => `${a.status} ${a.text.replace(/\s+/g, ' ').slice(0, 300)}`;
const clip = (body: string) => (body.length > 160 ? `${body.slice(0, 160)}… (${body.length} chars)` : body);

/** What is wrong with the answer to one bad input, or null. `strict`: it must be refused. */
function verdict(route: string, a: Answer, strict: boolean): string | null {
  if (a.status >= 500) return `server error ${show(a)}`;
  if (a.status >= 200 && a.status < 300) return strict ? `accepted ${show(a)}` : null;
  if (a.status < 400) return `status ${show(a)}`;
  const problem = dialectProblem(pathOf(route), a);
  return problem ? `${problem}: ${show(a)}` : null;
}

async function expectValidSucceeds(route: string, a: Answer) {
  expect(a.status >= 200 && a.status < 300, `${route}: the valid request must succeed, so the bad ones are about the input: ${show(a)}`).toBe(true);
}

describe('the input sweep', () => {
  it('has a sweep, or a stated reason, for every route that reads a body or query parameters', () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      const [method] = route.split(' ');
      const readsBody = route in JSON_ROUTES || route in RAW_ROUTES;
      if (['POST', 'PUT', 'PATCH', 'ALL'].includes(method!) && !readsBody && !(route in NO_BODY)) problems.push(`${route}: sweep its body (JSON_ROUTES, RAW_ROUTES) or say why it reads none (NO_BODY)`);
      const doc = v1Doc.get(route);
      if (route.startsWith('ALL ') || !route.includes(' /api/v1/')) {
        if (['GET', 'DELETE'].includes(method!) && !(route in QUERY_ROUTES) && !(route in NO_QUERY)) problems.push(`${route}: sweep its query (QUERY_ROUTES) or say why it reads none (NO_QUERY)`);
        continue;
      }
      if (!doc) {
        if (!['GET /api/v1/openapi.json', 'GET /api/v1/docs'].includes(route)) problems.push(`${route}: not in the OpenAPI document`);
        continue;
      }
      if (doc.body !== readsBody) problems.push(`${route}: the OpenAPI document says it ${doc.body ? 'takes' : 'takes no'} body`);
      if ((doc.query.length > 0) !== (route in QUERY_ROUTES)) problems.push(`${route}: the OpenAPI document says its query parameters are [${doc.query}]`);
    }
    const listed = [...Object.keys(JSON_ROUTES), ...Object.keys(RAW_ROUTES), ...Object.keys(NO_BODY), ...Object.keys(QUERY_ROUTES), ...Object.keys(NO_QUERY)];
    problems.push(...listed.filter((r) => !ROUTES.includes(r)).map((r) => `${r}: the app no longer serves it`));
    problems.push(...Object.keys(JSON_ROUTES).filter((r) => r in RAW_ROUTES || r in NO_BODY).map((r) => `${r}: listed twice`));
    expect(problems).toEqual([]);
  });

  describe('JSON bodies: not JSON, the wrong type at the top, each field of the wrong type', () => {
    it.each(Object.keys(JSON_ROUTES))('%s', async (route) => {
      const spec = JSON_ROUTES[route]!;
      const req = (body: string) => ({ params: spec.params?.(s), query: spec.query?.(s), payload: { contentType: 'application/json', body } });
      const valid = spec.json(s);
      await expectValidSucceeds(route, await send(route, spec.as, s, req(JSON.stringify(valid))));
      const failures: string[] = [];
      // Each case gets a valid body of its own (new names and domains), spoiled the same way.
      const cases = bodyCases(route, valid);
      for (const [i, c] of cases.entries()) {
        const body = c.strict ? c.body : bodyCases(route, spec.json(s))[i]!.body;
        const wrong = verdict(route, await send(route, spec.as, s, req(body)), c.strict);
        if (wrong) failures.push(`${c.name}: ${clip(body)} → ${wrong}`);
      }
      expect(failures, `${route}: ${failures.length} of ${cases.length} bad bodies\n${failures.join('\n')}\n`).toEqual([]);
    });
  });

  describe('other bodies: forms, raw messages, mbox files', () => {
    it.each(Object.keys(RAW_ROUTES))('%s', async (route) => {
      const spec = RAW_ROUTES[route]!;
      const req = (payload: { contentType?: string; body: BodyInit }) => ({ params: spec.params?.(s), query: spec.query?.(s), payload });
      await expectValidSucceeds(route, await send(route, spec.as, s, req(spec.valid(s))));
      const failures: string[] = [];
      for (const c of spec.bad(s)) {
        const wrong = verdict(route, await send(route, spec.as, s, req(c.payload)), c.expect === '4xx');
        if (wrong) failures.push(`${c.name}: ${clip(String(c.payload.body))} (${c.payload.contentType}) → ${wrong}`);
      }
      expect(failures, `${route}\n${failures.join('\n')}\n`).toEqual([]);
    });
  });

  describe('query parameters: -1, abc, 5,000 characters', () => {
    it.each(Object.keys(QUERY_ROUTES))('%s', async (route) => {
      const spec = QUERY_ROUTES[route]!;
      const names = spec.names ?? v1Doc.get(route)?.query ?? [];
      expect(names.length, `${route}: which parameters?`).toBeGreaterThan(0);
      const req = (query: Record<string, string>) => ({ params: spec.params?.(s), query, payload: spec.payload?.(s) });
      const base = spec.base?.(s) ?? {};
      await expectValidSucceeds(route, await send(route, spec.as, s, req(base)));
      const failures: string[] = [];
      for (const name of names) {
        for (const [label, value] of QUERY_VALUES) {
          const wrong = verdict(route, await send(route, spec.as, s, req({ ...base, [name]: value })), false);
          if (wrong) failures.push(`?${name}=${label} → ${wrong}`);
        }
      }
      expect(failures, `${route}\n${failures.join('\n')}\n`).toEqual([]);
    });
  });
});
