/**
 * Custom headers a sender may add, as every sending door accepts them: names and values checked by
 * the MIME builder's policy (no header the server sets, no line breaks), values at most 998 octets.
 */
// zod-openapi's z, so the v1 door can attach its documentation; to zod it is the same schema.
import { z } from '@hono/zod-openapi';
import { customHeaderProblem, customHeaderValueProblem } from '../services/mime';

// Checked on the whole record, not on its keys: zod reports a refused key only as "Invalid key in
// record", and the sender would not learn why the header is refused or what to use instead.
export const customHeaders = z.record(z.string(), z.string().max(998)).superRefine((headers, ctx) => {
  for (const [name, value] of Object.entries(headers)) {
    const problem = customHeaderProblem(name) ?? customHeaderValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [name] });
  }
});
