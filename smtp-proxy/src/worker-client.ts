/** The proxy's only way to the mailbox: the Worker's HTTP API, with the address JWT as Bearer. */

/** What the Worker answered, or that it could not be reached at all. */
export type WorkerResult =
  | { kind: 'ok'; body: Record<string, unknown> }
  | { kind: 'error'; status: number; code: string; message: string; retryAfter?: number }
  | { kind: 'unreachable'; message: string };

export interface WorkerClientOptions {
  workerUrl: string;
  sitePassword?: string;
  timeoutMs: number;
}

export class WorkerClient {
  constructor(private readonly options: WorkerClientOptions) {}

  /** Resolves a JWT to its address; validation is the Worker's, never done locally. */
  async whoAmI(jwt: string): Promise<WorkerResult> {
    return this.request('/api/settings', { method: 'GET', headers: this.headers(jwt) });
  }

  /**
   * Submits a complete raw message to /api/send_raw with its envelope recipients. Only whole
   * messages are ever sent (see receive.ts), so a failed client can never leave half a message here.
   */
  async sendRaw(jwt: string, recipients: string[], message: Uint8Array<ArrayBuffer>): Promise<WorkerResult> {
    // notify=failures: recipients that cannot be reached come back to the sender as a bounce, since
    // an SMTP client sees only the 250 (RFC 5321 §6.1).
    const query = [...recipients.map((r) => `to=${encodeURIComponent(r)}`), 'notify=failures'].join('&');
    return this.request(`/api/send_raw?${query}`, {
      method: 'POST',
      headers: { ...this.headers(jwt), 'content-type': 'message/rfc822' },
      body: message,
    });
  }

  private headers(jwt: string): Record<string, string> {
    return { authorization: `Bearer ${jwt}`, ...(this.options.sitePassword ? { 'x-custom-auth': this.options.sitePassword } : {}) };
  }

  private async request(path: string, init: RequestInit): Promise<WorkerResult> {
    let response: Response;
    try {
      response = await fetch(`${this.options.workerUrl}${path}`, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { kind: 'unreachable', message: `${err instanceof Error ? err.message : String(err)}${cause}` };
    }
    const body = (await response.json().catch(() => null)) as Record<string, any> | null;
    if (response.ok && body) return { kind: 'ok', body };
    const retryAfter = Number(response.headers.get('retry-after')) || undefined;
    return {
      kind: 'error',
      status: response.status,
      code: body?.error?.code ?? 'unknown',
      message: body?.error?.message ?? `HTTP ${response.status}`,
      retryAfter,
    };
  }
}
