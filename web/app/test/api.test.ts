/** api.ts against a real local HTTP server: the headers it sends, and how it turns answers into problems. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Api, ApiProblem, capabilities, opKey } from '../src/api';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let seen: Seen[];
let handler: Handler;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = 'http://127.0.0.1:' + (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen = [];
  handler = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"3"' });
    res.end('{"ok":true}');
  };
});

function json(res: ServerResponse, status: number, type: string, body: unknown) {
  res.writeHead(status, { 'Content-Type': type });
  res.end(JSON.stringify(body));
}

async function problemOf(p: Promise<unknown>): Promise<ApiProblem> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiProblem);
  return e as ApiProblem;
}

describe('Api', () => {
  const api = () => new Api(base, () => 'token-1');

  it('sends the bearer token, JSON, If-Match and a fresh Idempotency-Key on every POST', async () => {
    const answer = await api().post<{ ok: boolean }>('/api/v1/referrals', { a: 1 }, '"2"');
    await api().post('/api/v1/referrals', { a: 2 });
    expect(answer).toEqual({ body: { ok: true }, etag: '"3"' });
    const [first, second] = seen;
    expect(first.method).toBe('POST');
    expect(first.headers.authorization).toBe('Bearer token-1');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['if-match']).toBe('"2"');
    expect(JSON.parse(first.body)).toEqual({ a: 1 });
    expect(first.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['idempotency-key']).not.toBe(first.headers['idempotency-key']);
  });

  it('reuses an Idempotency-Key it is given, and sends none on GET, PUT or DELETE', async () => {
    await api().post('/a', {}, null, 'key-7');
    await api().get('/b');
    await api().put('/c', { x: 1 }, '"1"');
    await api().del('/d', '"1"');
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['key-7', undefined, undefined, undefined]);
    expect(seen.map((s) => s.method)).toEqual(['POST', 'GET', 'PUT', 'DELETE']);
    expect(seen[1].headers['content-type']).toBeUndefined();
  });

  it('posts text of another type as it is', async () => {
    await api().postText('/receipt', 'aaa.bbb.ccc', 'application/jose');
    expect(seen[0].headers['content-type']).toBe('application/jose');
    expect(seen[0].body).toBe('aaa.bbb.ccc');
  });

  it('turns a problem+json answer into an ApiProblem whose fields match JSON paths and their children', async () => {
    handler = (_req, res) =>
      json(res, 400, 'application/problem+json', {
        type: 'urn:problem-type:tandem:validation',
        title: 'Invalid request',
        detail: 'One field is wrong',
        errors: [{ field: 'summary.languages[1]', message: 'must be an ISO 639-3 language code' }],
      });
    const p = await problemOf(api().post('/api/v1/referrals', {}));
    expect([p.status, p.type, p.title, p.message]).toEqual([
      400,
      'validation',
      'Invalid request',
      'One field is wrong',
    ]);
    expect(p.forField('summary.languages')).toBe('must be an ISO 639-3 language code');
    expect(p.forField('summary.languages[1]')).toBe('must be an ISO 639-3 language code');
    expect(p.forField('summary.lang')).toBeUndefined();
    expect(p.notAvailable).toBe(false);
  });

  it('says a path the server does not know is not available, and names other failures by status', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
    };
    expect((await problemOf(api().get('/api/v1/new-feature'))).notAvailable).toBe(true);
    handler = (_req, res) => {
      res.writeHead(502);
      res.end();
    };
    const p = await problemOf(api().get('/x'));
    expect([p.status, p.type]).toEqual([502, 'http-502']);
  });

  it('reports a service it cannot reach', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const p = await problemOf(new Api('http://127.0.0.1:' + port, () => 't').get('/x'));
    expect([p.status, p.type]).toEqual([0, 'unreachable']);
  });
});

describe('capabilities', () => {
  it("maps each operation of a service's OpenAPI document to its base, and skips a service that is down", async () => {
    handler = (req, res) =>
      req.url === '/q/openapi?format=json'
        ? json(res, 200, 'application/json', {
            paths: {
              '/api/v1/referrals/{id}/submission': { post: {} },
              '/api/v1/languages': { get: {} },
            },
          })
        : json(res, 404, 'application/json', {});
    const caps = await capabilities([base, 'http://127.0.0.1:1']);
    expect(caps.get('POST /api/v1/referrals/{}/submission')).toBe(base);
    expect(caps.get('GET /api/v1/languages')).toBe(base);
    expect(caps.size).toBe(2);
  });

  it('ignores the names of path parameters', () => {
    expect(opKey('POST /a/{endpointId}/b/{id}')).toBe('POST /a/{}/b/{}');
  });
});
