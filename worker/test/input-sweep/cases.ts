/**
 * The input sweep's bad inputs, generated from each route's valid request: bodies that are not JSON,
 * JSON of the wrong type at the top, each field of the valid body given a value of another type (one
 * fixed value per type, and a few more drawn by fast-check with a fixed seed), and query parameters
 * set to a negative number, a word and a 5,000-character string.
 */
import fc from 'fast-check';

/** Refused (4xx) or not; `strict` cases must be refused, the others may be taken but never crash. */
export interface BodyCase {
  name: string;
  body: string;
  strict: boolean;
}

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';
const kindOf = (v: unknown): Kind => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Kind));

/** The one value of another type each field gets: a string becomes 12345, a number "x", an array {}, an object "x", a boolean "yes". */
const WRONG: Record<Kind, unknown> = { string: 12345, number: 'x', boolean: 'yes', array: {}, object: 'x', null: 12345 };

const json = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean());
const OF_KIND: Record<Exclude<Kind, 'null'>, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 12 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  array: fc.array(json, { maxLength: 3 }),
  object: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), json, { maxKeys: 3 }),
};
/** Any JSON value whose type is not `kind`. */
const otherThan = (kind: Kind) => fc.oneof(...Object.entries(OF_KIND).filter(([k]) => k !== kind).map(([, arb]) => arb));

/** A fixed seed per route, so a run is repeatable and routes do not all draw the same values. */
const seedOf = (route: string) => [...route].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 20_260_514);

/** Extra values drawn per route. */
export const DRAWN_PER_ROUTE = 3;

export function bodyCases(route: string, valid: Record<string, unknown> | Record<string, unknown>[]): BodyCase[] {
  const isArray = Array.isArray(valid);
  const cases: BodyCase[] = [{ name: 'a body that is not JSON', body: '{"a":', strict: true }];
  for (const top of isArray ? [{}, 'x', 42, null] : [[], 'x', 42, null]) {
    cases.push({ name: `${JSON.stringify(top)} where ${isArray ? 'an array' : 'an object'} is expected`, body: JSON.stringify(top), strict: true });
  }
  // An array body: the fields of its first item are spoiled (the item is what has fields).
  const item = isArray ? valid[0]! : valid;
  const put = (field: string, value: unknown) => {
    const spoiled = { ...item, [field]: value };
    return JSON.stringify(isArray ? [spoiled, ...valid.slice(1)] : spoiled);
  };
  const where = (field: string) => (isArray ? `[0].${field}` : field);
  const fields = Object.keys(item);
  for (const field of fields) {
    const value = WRONG[kindOf(item[field])];
    cases.push({ name: `${where(field)} (${kindOf(item[field])}) as ${JSON.stringify(value)}`, body: put(field, value), strict: false });
  }
  const drawn = fc.constantFrom(...fields).chain((field) => otherThan(kindOf(item[field])).map((value) => [field, value] as const));
  for (const [field, value] of fc.sample(drawn, { seed: seedOf(route), numRuns: DRAWN_PER_ROUTE })) {
    cases.push({ name: `${where(field)} (${kindOf(item[field])}) as ${JSON.stringify(value)} (drawn)`, body: put(field, value), strict: false });
  }
  return cases;
}

export const QUERY_VALUES: [string, string][] = [
  ['-1', '-1'],
  ['abc', 'abc'],
  ['5,000 characters', 'a'.repeat(5000)],
];
