/** languages.ts: the pickers' labels and matches, and naming stored codes against a real local HTTP server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../src/api';
import { languageLabel, nameLanguages, offeredMatches, unnamed, withNames } from '../src/languages';

const pcm = { code: 'pcm', name: 'Nigerian Pidgin' };
const eng = { code: 'eng', name: 'English' };
const ron = { code: 'ron', name: 'Romanian' };

describe('languageLabel', () => {
  it('names the language and its code', () => {
    expect(languageLabel(pcm)).toBe('Nigerian Pidgin (pcm)');
  });

  it('shows a code whose name is not known once', () => {
    expect(languageLabel(unnamed('pcm'))).toBe('pcm');
    expect(languageLabel({ code: 'pcm', name: '' })).toBe('pcm');
  });
});

describe('offeredMatches', () => {
  it('leaves out the chosen languages and keeps the server order', () => {
    expect(offeredMatches([ron, pcm, eng], [pcm])).toEqual([ron, eng]);
  });

  it('compares codes, so a chosen code without its name is not offered again', () => {
    expect(offeredMatches([pcm, eng], [unnamed('pcm')])).toEqual([eng]);
  });

  it('offers each language once', () => {
    expect(offeredMatches([eng, pcm, eng], [])).toEqual([eng, pcm]);
  });

  it('offers nothing once everything found is chosen', () => {
    expect(offeredMatches([eng], [eng, pcm])).toEqual([]);
  });
});

describe('withNames', () => {
  it('names the chosen codes it knows, in the chosen order', () => {
    expect(withNames([unnamed('pcm'), unnamed('xyz'), unnamed('eng')], [eng, pcm])).toEqual([pcm, unnamed('xyz'), eng]);
  });

  it('does not replace a name with a bare code, nor add languages', () => {
    expect(withNames([pcm], [unnamed('pcm'), ron])).toEqual([pcm]);
  });
});

describe('nameLanguages', () => {
  let server: Server;
  let base: string;
  let asked: string[];
  let status: number;
  const list = [pcm, eng, ron, { code: 'eng', name: 'English' }];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      asked.push(url.pathname + url.search);
      const q = url.searchParams.get('q') ?? '';
      // like referral-service: the exact code first, then names containing the text
      const found = [
        ...list.filter((l) => l.code === q),
        ...list.filter((l) => l.code !== q && l.name.toLowerCase().includes(q)),
      ].slice(0, Number(url.searchParams.get('limit') ?? '20'));
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status === 200 ? JSON.stringify(found) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = 'http://127.0.0.1:' + (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    asked = [];
    status = 200;
  });

  it('asks for each code as an exact match and keeps the order of the codes', async () => {
    const named = await nameLanguages(new Api(base, () => 'token'), ['ron', 'pcm']);
    expect(named).toEqual([ron, pcm]);
    expect(asked.sort()).toEqual(['/api/v1/languages?limit=1&q=pcm', '/api/v1/languages?limit=1&q=ron']);
  });

  it('keeps a code the list does not know as its own name', async () => {
    expect(await nameLanguages(new Api(base, () => 'token'), ['zzz'])).toEqual([unnamed('zzz')]);
  });

  it('keeps the codes when the server fails', async () => {
    status = 500;
    expect(await nameLanguages(new Api(base, () => 'token'), ['pcm', 'eng'])).toEqual([unnamed('pcm'), unnamed('eng')]);
  });

  it('asks nothing for no codes', async () => {
    expect(await nameLanguages(new Api(base, () => 'token'), [])).toEqual([]);
    expect(asked).toEqual([]);
  });
});
