import { defineConfig } from 'vitest/config';

// Unit tests of the browser code that needs no browser (crypto.ts on Node's WebCrypto, api.ts against a local
// HTTP server). The Maven build runs them after writing the tandem-client fixture (docs/web.md).
export default defineConfig({
  test: {
    include: ['app/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
