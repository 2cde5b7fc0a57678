/**
 * The dictionaries of i18n.ts: every English word has a German one and the other way round (a missing key would
 * silently fall back to English), the German is a translation rather than a copy, both fill in the same
 * placeholders, and nothing says "victim" in either language ("survivor", docs/web.md).
 */
import { describe, expect, it } from 'vitest';
import { DICTS } from '../src/i18n';

/** Words that are the same in both languages: the product's name, age bands in figures, loan words. */
const SAME_IN_GERMAN = new Set([
  'app.name',
  'nav.webhooks',
  'ref.col.status',
  'profile.name',
  'AGE_18_24',
  'AGE_25_34',
  'AGE_35_44',
  'AGE_45_54',
  'AGE_1_5',
  'AGE_6_11',
  'AGE_12_17',
]);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the dictionaries', () => {
  const en = DICTS.en;
  const de = DICTS.de;

  it('have the same keys in English and German', () => {
    expect(Object.keys(de).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(en).filter((k) => !(k in de))).toEqual([]);
  });

  it('translate every word into German, except the few that are the same', () => {
    expect(Object.keys(en).filter((k) => de[k] === en[k] && !SAME_IN_GERMAN.has(k))).toEqual([]);
    expect([...SAME_IN_GERMAN].filter((k) => de[k] !== en[k])).toEqual([]);
  });

  it('fill in the same placeholders in both languages', () => {
    expect(Object.keys(en).filter((k) => placeholders(en[k]).join() !== placeholders(de[k] ?? '').join())).toEqual([]);
  });

  it('say survivor, never victim', () => {
    for (const dict of [en, de]) {
      expect(Object.entries(dict).filter(([, v]) => /victim|opfer/i.test(v))).toEqual([]);
    }
  });

  it('word the pathway features in German', () => {
    // the stages, her pathway, the onward referral, the return and passing her file on: each has its own German
    const pathway = Object.keys(en).filter((k) =>
      /^(path\.|ref\.onward|ref\.stage|ref\.reflection|ref\.assessment|file\.passOn\.|problem\.)/.test(k),
    );
    expect(pathway.length).toBeGreaterThan(25);
    for (const code of [
      'IDENTITY',
      'FIRST_ASSISTANCE',
      'LONG_TERM_ASSISTANCE',
      'RETURN_AND_REINTEGRATION',
      'PROCEEDINGS',
    ])
      pathway.push(code);
    for (const k of pathway) {
      expect(de[k], k).toBeTruthy();
      expect(de[k], k).not.toBe(en[k]);
    }
  });
});
