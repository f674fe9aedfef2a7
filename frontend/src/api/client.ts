/** Typed client for the Edgemail HTTP API, the only way the UI talks to the server. */
import type {
  AddressInfo,
  AdminConfig,
  AdminStats,
  ApiError,
  FullMail,
  ListResponse,
  MailSummary,
  NewAddressResponse,
  PublicConfig,
  SendResponse,
  SentMail,
  SentSummary,
  V1AcceptedEmail,
  V1Email,
  V1Envelope,
} from '../../../worker/src/routes/api-types';

export type * from '../../../worker/src/routes/api-types';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
    /** Seconds the server asked to wait (Retry-After), on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/**
 * Runs one call of a long series (a folder emptied or a mailbox exported part by part) again after
 * the wait a rate limit names, so the series finishes instead of failing halfway; a few times, a
 * minute at most each.
 */
async function patiently<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ApiFailure) || err.status !== 429 || attempt === attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(60, err.retryAfter ?? 1) * 1000));
    }
  }
}

export interface Credentials {
  /** Address token (Bearer). */
  jwt?: string;
  /** Admin session token. */
  adminToken?: string;
  /** Admin password: only for exchanging it for a session. */
  adminPassword?: string;
  /** Site password (x-custom-auth), when the server has one. */
  sitePassword?: string;
  /** With a user's session token as `jwt`: the mailbox to act on (X-Mailbox). */
  mailbox?: string;
}

export async function request<T>(path: string, init: RequestInit & { creds?: Credentials } = {}): Promise<T> {
  const { creds = {}, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (creds.jwt) headers.set('authorization', `Bearer ${creds.jwt}`);
  if (creds.adminToken) headers.set('x-admin-token', creds.adminToken);
  if (creds.adminPassword) headers.set('x-admin-auth', creds.adminPassword);
  if (creds.sitePassword) headers.set('x-custom-auth', creds.sitePassword);
  if (creds.mailbox) headers.set('x-mailbox', creds.mailbox);
  if (rest.body && !(rest.body instanceof FormData) && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(path, { ...rest, headers });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as T;
}

const json = (body: unknown) => JSON.stringify(body);
const page = (limit: number, offset: number) => `limit=${limit}&offset=${offset}`;

export interface SendInput {
  from_name?: string;
  /** One address (which `to_name` may name) or several. */
  to_mail: string | string[];
  to_name?: string;
  cc?: string[];
  bcc?: string[];
  subject: string;
  text?: string;
  html?: string;
  attachments?: { filename: string; content: string; content_type: string }[];
  in_reply_to?: number;
}

export const api = {
  publicConfig: (creds: Credentials) => request<PublicConfig>('/api/public_config', { creds }),
  newAddress: (creds: Credentials, body: { name?: string; domain?: string }) =>
    request<NewAddressResponse>('/api/new_address', { method: 'POST', body: json(body), creds }),
  settings: (creds: Credentials) => request<AddressInfo>('/api/settings', { creds }),
  listMails: (creds: Credentials, limit: number, offset: number, q?: string) =>
    request<ListResponse<MailSummary>>(`/api/parsed_mails?${page(limit, offset)}${q ? `&q=${encodeURIComponent(q)}` : ''}`, { creds }),
  getMail: (creds: Credentials, id: number) => request<FullMail>(`/api/parsed_mail/${id}`, { creds }),
  deleteMail: (creds: Credentials, id: number) => request<{ ok: true }>(`/api/mails/${id}`, { method: 'DELETE', creds }),
  rawMail: async (creds: Credentials, id: number) => {
    const response = await fetch(`/api/mails/${id}/raw`, { headers: authHeaders(creds) });
    if (!response.ok) throw new ApiFailure(response.status, 'http_error', `HTTP ${response.status}`);
    return response.text();
  },
  /** Downloads through fetch (the token is a header, not a cookie) and hands the browser a Blob URL. */
  attachment: async (creds: Credentials, id: number, index: number) => {
    const response = await fetch(`/api/mails/${id}/attachments/${index}`, { headers: authHeaders(creds) });
    if (!response.ok) throw new ApiFailure(response.status, 'http_error', `HTTP ${response.status}`);
    return response.blob();
  },
  /** Deletes the address with all its mail, for good (its own token may). */
  deleteAddress: (creds: Credentials, address: string) => request(`/api/v1/mailboxes/${encodeURIComponent(address)}`, { method: 'DELETE', creds }),
  /** Marks a message unread again (v1's -FLAGS), keeping its other flags. */
  markUnread: (creds: Credentials, address: string, uid: string) =>
    request(`/api/v1/mailboxes/${encodeURIComponent(address)}/messages/${encodeURIComponent(uid)}`, { method: 'PATCH', body: json({ remove_flags: ['\\Seen'] }), creds }),
  /** Deletes every message of a folder for good, a part per call, until none is left; answers how many went. */
  emptyFolder: async (creds: Credentials, address: string, folder: string) => {
    let deleted = 0;
    for (let more = true; more; ) {
      const { data } = await patiently(() =>
        request<{ data: { deleted: number; more: boolean } }>(`/api/v1/mailboxes/${encodeURIComponent(address)}/folders/${folder}/messages`, { method: 'DELETE', creds }),
      );
      deleted += data.deleted;
      // A call that deleted nothing cannot make progress by being repeated.
      more = data.more && data.deleted > 0;
    }
    return deleted;
  },
  /** The whole mailbox as one mbox file, fetched part by part (GET /api/v1/mailboxes/{address}/export). */
  exportMailbox: async (creds: Credentials, address: string) => {
    const parts: Blob[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const response = await patiently(async () => {
        const answer = await fetch(`/api/v1/mailboxes/${encodeURIComponent(address)}/export${query}`, { headers: authHeaders(creds) });
        if (!answer.ok) throw await failureOf(answer);
        return answer;
      });
      parts.push(await response.blob());
      cursor = response.headers.get('edgemail-next-cursor');
    } while (cursor);
    return new Blob(parts, { type: 'application/mbox' });
  },
  send: (creds: Credentials, body: SendInput) => request<SendResponse>('/api/send_mail', { method: 'POST', body: json(body), creds }),
  sentList: (creds: Credentials, limit: number, offset: number) => request<ListResponse<SentSummary>>(`/api/sendbox?${page(limit, offset)}`, { creds }),
  sentMail: (creds: Credentials, id: number) => request<SentMail>(`/api/sendbox/${id}`, { creds }),
  /** Queued sending through /api/v1 (the address token is a key for its own mailbox); files go as multipart. */
  queueEmail: (creds: Credentials, form: FormData) =>
    request<V1Envelope<V1AcceptedEmail>>('/api/v1/emails/send/multipart', { method: 'POST', body: form, creds }),
  emails: (creds: Credentials, limit: number, cursor?: string) =>
    request<V1Envelope<V1Email[]>>(`/api/v1/emails?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { creds }),
  email: (creds: Credentials, id: string) => request<V1Envelope<V1Email>>(`/api/v1/emails/${encodeURIComponent(id)}`, { creds }),
  cancelEmail: (creds: Credentials, id: string) =>
    request<V1Envelope<V1Email>>(`/api/v1/emails/${encodeURIComponent(id)}/cancel`, { method: 'POST', creds }),

  adminSession: (creds: Credentials) => request<{ token: string; expires_at: string }>('/admin/session', { method: 'POST', creds }),
  adminStats: (creds: Credentials) => request<AdminStats>('/admin/stats', { creds }),
  adminConfig: (creds: Credentials) => request<AdminConfig>('/admin/config', { creds }),
  adminAddresses: (creds: Credentials, query: string, limit: number, offset: number) =>
    request<ListResponse<AddressInfo>>(`/admin/addresses?${page(limit, offset)}&query=${encodeURIComponent(query)}`, { creds }),
  adminNewAddress: (creds: Credentials, body: { name?: string; domain?: string }) =>
    request<NewAddressResponse>('/admin/new_address', { method: 'POST', body: json(body), creds }),
  adminDeleteAddress: (creds: Credentials, id: number) => request<{ ok: true }>(`/admin/addresses/${id}`, { method: 'DELETE', creds }),
  adminSetBalance: (creds: Credentials, id: number, balance: number) =>
    request<AddressInfo>(`/admin/addresses/${id}/send_balance`, { method: 'PUT', body: json({ balance }), creds }),
  adminToken: (creds: Credentials, id: number) => request<NewAddressResponse>(`/admin/addresses/${id}/token`, { method: 'POST', creds }),
};

/** The error an answer carries: its JSON error's code and message when it has one. */
async function failureOf(response: Response): Promise<ApiFailure> {
  const body = (await response.json().catch(() => null)) as ApiError | null;
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  return new ApiFailure(response.status, body?.error.code ?? 'http_error', body?.error.message ?? `HTTP ${response.status}`, body?.error.param, retryAfter);
}

function authHeaders(creds: Credentials): Record<string, string> {
  return {
    ...(creds.jwt ? { authorization: `Bearer ${creds.jwt}` } : {}),
    ...(creds.mailbox ? { 'x-mailbox': creds.mailbox } : {}),
    ...(creds.sitePassword ? { 'x-custom-auth': creds.sitePassword } : {}),
  };
}
