// For bench/'s own unit tests, which the root vitest.config.ts does not include.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['bench/**/*.test.ts'], environment: 'node' },
});
