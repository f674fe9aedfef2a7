/**
 * Self-signup: a person brings their own domain. The account and its mailbox work at once (they can
 * log in); the domain is `pending` — it receives and sends nothing — until an admin approves it.
 * The new user holds `manage_domains` on it, to see its DNS records and check them.
 */
import { insertSignup, recordSignupAttempt } from '../../db/signup';
import { findUserByEmail } from '../../db/users';
import { findAddressByName } from '../../db/addresses';
import { countAnonymousCreation } from '../addresses';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import { DOMAIN_NAME, findDomainFresh, forgetDomainCache } from '../domains/registry';
import { hashPassword } from './passwords';
import { mintSession } from './sessions';
import { normaliseMailbox, validatePassword } from './users';

export const SIGNUPS_PER_DOMAIN_PER_HOUR = 3;
const HOUR_MS = 3_600_000;

export interface SignupInput {
  domain: string;
  email: string;
  password: string;
  name: string;
}

export interface SignupResult {
  token: string;
  email: string;
  name: string;
  domain: string;
  domainStatus: 'pending';
  expiresAt: number;
  /** What every door tells the new user. */
  message: string;
}

/** `client` is the caller's IP (CF-Connecting-IP): a signup makes a mailbox, counted as new addresses are. */
export async function signUp(deps: Deps, input: SignupInput, client: string | undefined): Promise<SignupResult> {
  if (!deps.config.signup) throw new AppError('signup_disabled', 'Self-signup is turned off on this server.');
  const domain = input.domain.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN_NAME.test(domain)) throw new AppError('validation_failed', 'domain must be a domain name such as example.com.', 'domain');
  const email = normaliseMailbox(input.email);
  if (!email.endsWith(`@${domain}`)) throw new AppError('validation_failed', `The email must end with @${domain}.`, 'email');
  validatePassword(input.password);
  const name = input.name.trim();

  await countAnonymousCreation(deps, client);
  // Counted before the existence check, so probing which domains exist is rate limited too.
  const now = deps.clock.now();
  const { count, oldest } = await recordSignupAttempt(deps.db, domain, now, now - HOUR_MS);
  if (count > SIGNUPS_PER_DOMAIN_PER_HOUR) {
    const retryAfter = Math.max(1, Math.ceil((oldest + HOUR_MS - now) / 1000));
    throw new AppError('rate_limited', `At most ${SIGNUPS_PER_DOMAIN_PER_HOUR} signups per hour for ${domain}; retry in ${retryAfter} s.`, 'domain', retryAfter);
  }
  if (await findDomainFresh(deps, domain)) throw new AppError('domain_exists', `The domain ${domain} is already registered here.`, 'domain');

  const session = await mintSession(deps);
  try {
    await insertSignup(deps.db, {
      domain,
      email,
      name,
      passwordHash: await hashPassword(input.password),
      sendBalance: deps.config.defaultSendBalance,
      session,
      now,
    });
  } catch (err) {
    // A concurrent signup (or a leftover address) won a unique index; the batch rolled back whole.
    if (await findDomainFresh(deps, domain)) throw new AppError('domain_exists', `The domain ${domain} is already registered here.`, 'domain');
    if (await findUserByEmail(deps.db, email)) throw new AppError('user_exists', `A user ${email} already exists.`, 'email');
    if (await findAddressByName(deps.db, email)) throw new AppError('address_taken', `The address ${email} is already taken.`, 'email');
    throw err;
  } finally {
    forgetDomainCache();
  }
  const message = `Account created! Your domain '${domain}' is pending admin approval.`;
  return { token: session.token, email, name, domain, domainStatus: 'pending', expiresAt: session.expiresAt, message };
}
