/**
 * Custom headers a sender may add, as every sending door accepts them: names and values checked by
 * the MIME builder's policy (no header the server sets, no line breaks), values at most 998 octets.
 */
// zod-openapi's z, so the v1 door can attach its documentation; to zod it is the same schema.
import { z } from '@hono/zod-openapi';
import { customHeaderProblem, customHeaderValueProblem } from '../services/mime';

export const customHeaders = z.record(
  z.string().superRefine((name, ctx) => {
    const problem = customHeaderProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  z.string().max(998).superRefine((value, ctx) => {
    const problem = customHeaderValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);
