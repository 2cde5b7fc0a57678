import { defineConfig } from 'vite';

// The bundle goes straight into the Quarkus module's static resources.
export default defineConfig({
  root: 'app',
  base: '/',
  build: {
    outDir: '../target/classes/META-INF/resources',
    emptyOutDir: true,
    sourcemap: false,
  },
});
