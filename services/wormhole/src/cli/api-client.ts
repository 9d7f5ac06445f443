/** A thin client of the Wormhole REST API for the CLI. Errors carry the API's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  readonly baseUrl: string;
  readonly tenant: string;
  readonly apiKey?: string;
}

export class ApiClient {
  constructor(private readonly options: ClientOptions) {}

  /** `path` is relative to the tenant: "/workflows" → /api/v1/<tenant>/workflows. */
  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/api/v1/${encodeURIComponent(this.options.tenant)}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = contentType;
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload });
    } catch (e) {
      const reason = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
      throw new ApiError(0, 'UNREACHABLE', `cannot reach ${this.options.baseUrl}: ${reason}`);
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const error = (parsed ?? {}) as { error?: string; message?: string; details?: unknown };
      throw new ApiError(
        response.status,
        error.error ?? `HTTP_${response.status}`,
        error.message ?? text,
        error.details,
      );
    }
    return parsed as T;
  }

  /** Server-Sent Events from `path`; calls `onEvent` per event until the stream ends. */
  async stream(path: string, onEvent: (event: string, data: unknown) => void, signal?: AbortSignal): Promise<void> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/api/v1/${encodeURIComponent(this.options.tenant)}${path}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const response = await fetch(url, { headers, signal });
    if (!response.ok || !response.body) {
      const error = (safeJson(await response.text()) ?? {}) as { error?: string; message?: string };
      throw new ApiError(response.status, error.error ?? `HTTP_${response.status}`, error.message ?? 'stream failed');
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (data) onEvent(event, safeJson(data) ?? data);
      }
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
