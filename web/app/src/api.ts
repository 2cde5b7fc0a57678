/** The services' REST APIs as the signed-in user calls them: bearer token, Idempotency-Key, If-Match, problems. */

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 answer, or a failure to reach the service, as the pages show it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail || title);
  }

  /** The message for one field (a JSON path such as summary.languages[1]); also matches its children. */
  forField(field: string): string | undefined {
    const hit = this.errors.find(
      (e) => e.field === field || e.field.startsWith(field + '.') || e.field.startsWith(field + '['),
    );
    return hit?.message;
  }

  get notAvailable(): boolean {
    return this.status === 404 && this.type === 'not-available';
  }
}

export interface Answer<T> {
  body: T;
  etag: string | null;
}

type Token = () => string;

export class Api {
  constructor(
    private readonly base: string,
    private readonly token: Token,
  ) {}

  async request<T>(
    method: string,
    path: string,
    opts: { body?: unknown; ifMatch?: string | null; idempotencyKey?: string; contentType?: string } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {
      Authorization: 'Bearer ' + this.token(),
      Accept: 'application/json, application/problem+json',
    };
    if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
    if (method === 'POST') headers['Idempotency-Key'] = opts.idempotencyKey ?? crypto.randomUUID();
    let r: Response;
    try {
      r = await fetch(this.base + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : opts.contentType ? String(opts.body) : JSON.stringify(opts.body),
      });
    } catch {
      throw new ApiProblem(0, 'unreachable', 'unreachable', '');
    }
    const etag = r.headers.get('ETag');
    const text = await r.text();
    if (!r.ok) {
      throw toProblem(r.status, r.headers.get('Content-Type') ?? '', text);
    }
    return { body: (text ? JSON.parse(text) : null) as T, etag };
  }

  get<T>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown, ifMatch?: string | null, idempotencyKey?: string) {
    return this.request<T>('POST', path, { body, ifMatch, idempotencyKey });
  }

  /** A POST whose body is text of another type than JSON (a compact JWS as application/jose). */
  postText<T>(path: string, body: string, contentType: string) {
    return this.request<T>('POST', path, { body, contentType });
  }

  put<T>(path: string, body: unknown, ifMatch: string | null) {
    return this.request<T>('PUT', path, { body, ifMatch });
  }

  del<T>(path: string, ifMatch?: string | null) {
    return this.request<T>('DELETE', path, { ifMatch });
  }
}

function toProblem(status: number, contentType: string, text: string): ApiProblem {
  if (contentType.includes('json') && text) {
    try {
      const p = JSON.parse(text) as { type?: string; title?: string; detail?: string; errors?: FieldError[] };
      const type = (p.type ?? '').replace('urn:problem-type:tandem:', '');
      return new ApiProblem(status, type, p.title ?? '', p.detail ?? '', Array.isArray(p.errors) ? p.errors : []);
    } catch {
      /* fall through */
    }
  }
  // A path the service does not know yet (an older server): the page says the feature is not there.
  if (status === 404 || status === 405) return new ApiProblem(404, 'not-available', 'not available', '');
  return new ApiProblem(status, 'http-' + status, 'HTTP ' + status, '');
}

/** 'POST /a/{id}/b' and 'POST /a/{endpointId}/b' are the same operation: path parameters lose their names. */
export function opKey(op: string): string {
  return op.replace(/\{[^}]*\}/g, '{}');
}

/** The three services, for one signed-in user. */
export interface Apis {
  registry: Api;
  referral: Api;
  notification: Api;
}

/**
 * Which endpoints a service offers, read from its OpenAPI document, so that a page can say clearly that
 * a feature is not on this server yet instead of failing. Maps 'METHOD /path' to the service's base URL.
 */
export async function capabilities(bases: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    bases.map(async (base) => {
      try {
        const r = await fetch(base + '/q/openapi?format=json');
        if (!r.ok) return;
        const doc = (await r.json()) as { paths?: Record<string, Record<string, unknown>> };
        for (const [path, ops] of Object.entries(doc.paths ?? {})) {
          for (const m of Object.keys(ops)) out.set(opKey(m.toUpperCase() + ' ' + path), base);
        }
      } catch {
        /* service down: its features show as unavailable */
      }
    }),
  );
  return out;
}
