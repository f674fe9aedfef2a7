import { describe, expect, it } from 'vitest';
import type { EmailRecipientRow } from '../../../db/schema-sending';
import { resendErrorBody } from './errors';
import { AppError } from '../../../lib/errors';
import { lastEvent } from './presenters';

const rcpt = (status: EmailRecipientRow['status']) => ({ status }) as EmailRecipientRow;

describe('lastEvent', () => {
  it('maps every status to the Resend event a client would check for', () => {
    expect(lastEvent('scheduled', [rcpt('queued')])).toBe('scheduled');
    expect(lastEvent('queued', [rcpt('queued')])).toBe('queued');
    expect(lastEvent('sending', [rcpt('sent'), rcpt('queued')])).toBe('queued');
    expect(lastEvent('sent', [rcpt('sent')])).toBe('sent');
    expect(lastEvent('delivered', [rcpt('delivered')])).toBe('delivered');
    expect(lastEvent('bounced', [rcpt('bounced')])).toBe('bounced');
    expect(lastEvent('failed', [rcpt('failed')])).toBe('failed');
    expect(lastEvent('cancelled', [rcpt('cancelled')])).toBe('canceled');
  });

  it('says more when the recipients do: delayed, bounced among partial failures, all suppressed', () => {
    expect(lastEvent('sending', [rcpt('sent'), rcpt('deferred')])).toBe('delivery_delayed');
    expect(lastEvent('partially_failed', [rcpt('sent'), rcpt('bounced')])).toBe('bounced');
    expect(lastEvent('partially_failed', [rcpt('sent'), rcpt('failed')])).toBe('failed');
    expect(lastEvent('failed', [rcpt('suppressed'), rcpt('suppressed')])).toBe('suppressed');
    expect(lastEvent('failed', [rcpt('suppressed'), rcpt('failed')])).toBe('failed');
  });
});

describe('resendErrorBody', () => {
  it('renders our codes under Resend\'s names and statuses', () => {
    const body = (err: AppError) => resendErrorBody(err);
    expect(body(new AppError('validation_failed', 'bad', 'to'))).toEqual({ statusCode: 422, name: 'validation_error', message: 'bad' });
    expect(body(new AppError('validation_failed', 'too long', 'Idempotency-Key'))).toEqual({ statusCode: 400, name: 'invalid_idempotency_key', message: 'too long' });
    expect(body(new AppError('missing_token', 'm'))).toMatchObject({ statusCode: 401, name: 'missing_api_key' });
    expect(body(new AppError('token_expired', 'm'))).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
    expect(body(new AppError('email_not_found', 'm'))).toMatchObject({ statusCode: 404, name: 'not_found' });
    expect(body(new AppError('delivery_failed', 'm'))).toMatchObject({ statusCode: 502, name: 'application_error' });
    expect(body(new AppError('address_taken', 'm'))).toMatchObject({ statusCode: 409, name: 'validation_error' });
  });

  it('reports a strict batch by its first invalid email, under that email\'s name', () => {
    const err = new AppError('validation_failed', '2 of 3 invalid', undefined, undefined, [
      { index: 1, code: 'invalid_from_address', message: 'Invalid `from` field.', param: 'from' },
      { index: 2, code: 'validation_failed', message: 'other' },
    ]);
    expect(resendErrorBody(err)).toEqual({ statusCode: 422, name: 'invalid_from_address', message: 'emails[1]: Invalid `from` field.' });
  });
});
