/**
 * The language pickers' logic without React (tested by app/test/languages.test.ts): how a language is labelled,
 * which matches a picker offers, and how codes that a service stores get their names back from referral-service's
 * ISO 639-3 list (GET /api/v1/languages, docs/web.md).
 */
import type { Api } from './api';
import type { Language } from './types';

/** "Nigerian Pidgin (pcm)"; a code whose name is not known yet is shown once: "pcm". */
export const languageLabel = (l: Language) => (l.name && l.name !== l.code ? `${l.name} (${l.code})` : l.code);

/** A code as a service stores it, before its name is known. */
export const unnamed = (code: string): Language => ({ code, name: code });

/** The search's matches that are not chosen yet, in the server's order (exact code first). */
export function offeredMatches(found: readonly Language[], chosen: readonly Language[]): Language[] {
  const codes = new Set(chosen.map((l) => l.code));
  const seen = new Set<string>();
  return found.filter((l) => !codes.has(l.code) && !seen.has(l.code) && seen.add(l.code));
}

/** The chosen languages with the names now known, in the same order; the others as they were. */
export function withNames(chosen: readonly Language[], named: readonly Language[]): Language[] {
  const names = new Map(named.filter((l) => l.name && l.name !== l.code).map((l) => [l.code, l.name]));
  return chosen.map((l) => (names.has(l.code) ? { code: l.code, name: names.get(l.code)! } : l));
}

/**
 * The names of stored codes, from the same list the picker searches: the exact code is the server's first match.
 * A code the list does not know, or a failed look-up, keeps the code as its name.
 */
export async function nameLanguages(api: Api, codes: readonly string[]): Promise<Language[]> {
  return Promise.all(
    codes.map((code) =>
      api
        .get<Language[]>('/api/v1/languages?limit=1&q=' + encodeURIComponent(code))
        .then(({ body }) => body.find((l) => l.code === code) ?? unnamed(code))
        .catch(() => unnamed(code)),
    ),
  );
}
