// ESLint for the web application (flat config): ESLint's and typescript-eslint's recommended rules and React's
// rules of hooks. `npm run lint` runs it with Prettier's check; the Maven build runs `npm run lint` (docs/web.md).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['app/src/generated/', 'target/', 'e2e/output/', 'node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['app/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // every value an effect, callback or memo reads is among its dependencies: loaders are memoised with
      // useCallback, and an effect that re-runs on a reload key names that key (docs/web.md)
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // `const { d, ...pub } = jwk` drops the private part on purpose
    rules: { '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  {
    files: ['app/test/**/*.ts', 'e2e/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['e2e/**/*.mjs'],
    // the journeys run code in the page too (page.evaluate), where the browser's globals apply
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
