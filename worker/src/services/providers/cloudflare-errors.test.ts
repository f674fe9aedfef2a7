import { describe, expect, it } from 'vitest';
import { classifyBindingError } from './cloudflare-errors';

/** An error as the binding throws it: a message, and (from Email Service) an `E_…` code. */
const thrown = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('what a send_email binding refusal means', () => {
  it('fails at once on refusals that the same message would meet again', () => {
    for (const code of ['E_VALIDATION_ERROR', 'E_FIELD_MISSING', 'E_TOO_MANY_RECIPIENTS', 'E_TOO_MANY_ATTACHMENTS', 'E_CONTENT_TOO_LARGE', 'E_SENDER_NOT_VERIFIED', 'E_SENDER_DOMAIN_NOT_AVAILABLE', 'E_RECIPIENT_NOT_ALLOWED', 'E_DELIVERY_FAILED']) {
      expect(classifyBindingError(thrown('refused', code)).outcome, code).toBe('failed');
    }
  });

  it('bounces a recipient Cloudflare suppresses, so ours suppresses it too', () => {
    expect(classifyBindingError(thrown('Recipient is suppressed', 'E_RECIPIENT_SUPPRESSED')).outcome).toBe('bounced');
  });

  it('retries rate limits, internal errors, unknown codes and anything it does not recognise', () => {
    for (const code of ['E_RATE_LIMIT_EXCEEDED', 'E_DAILY_LIMIT_EXCEEDED', 'E_INTERNAL_SERVER_ERROR', 'E_SOMETHING_NEW']) {
      expect(classifyBindingError(thrown('try later', code)).outcome, code).toBe('deferred');
    }
    expect(classifyBindingError(new Error('network connection lost')).outcome).toBe('deferred');
    expect(classifyBindingError('a string').outcome).toBe('deferred');
    expect(classifyBindingError(undefined).outcome).toBe('deferred');
  });

  it('reads the code from the message when the error has no code property, and only from its own property', () => {
    expect(classifyBindingError(new Error('E_SENDER_NOT_VERIFIED: sender domain not onboarded'))).toEqual({ outcome: 'failed', response: 'E_SENDER_NOT_VERIFIED: sender domain not onboarded' });
    expect(classifyBindingError({ code: 'E_RECIPIENT_SUPPRESSED', message: '' })).toEqual({ outcome: 'bounced', response: 'E_RECIPIENT_SUPPRESSED' });
    // A code inherited through the prototype is not the error's.
    expect(classifyBindingError(Object.create({ code: 'E_VALIDATION_ERROR' })).outcome).toBe('deferred');
  });

  it('records the code with the words when the message does not hold it', () => {
    expect(classifyBindingError(thrown('Sender is not verified', 'E_SENDER_NOT_VERIFIED')).response).toBe('E_SENDER_NOT_VERIFIED: Sender is not verified');
  });

  it('fails on the local simulator\'s final refusals, in its own words', () => {
    for (const message of ['email to x@far.test not allowed', 'email from a@example.com not allowed', 'could not parse email: Unexpected end', 'invalid message-id', 'From: header does not match mail from', 'invalid headers set']) {
      expect(classifyBindingError(new Error(message))).toEqual({ outcome: 'failed', response: message });
    }
  });
});
