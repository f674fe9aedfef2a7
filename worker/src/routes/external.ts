/** Sending with the address token in the JSON body (`token`), for clients that cannot set headers. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { validate } from '../lib/validate';
import { sendComposed } from '../services/send';
import { verifyAddressToken } from '../services/tokens';
import { sendMailBody, toComposeRequest } from './send-body';
import { sendBodyLimit, sendResponse } from './send';

const externalBody = z.intersection(z.object({ token: z.string().min(1, 'token is required') }), sendMailBody);

export const externalRoutes = new Hono<AppEnv>().post('/send_mail', sendBodyLimit, validate('json', externalBody), async (c) => {
  const { token, ...body } = c.req.valid('json');
  const mailbox = await verifyAddressToken(c.var.deps, token);
  const result = await sendComposed(c.var.deps, mailbox, toComposeRequest(body));
  return c.json(sendResponse(result));
});
