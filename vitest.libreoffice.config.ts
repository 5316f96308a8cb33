import { defineConfig } from 'vitest/config';

// Laws that need LibreOffice (`soffice`), which a plain clone's machine may not have: their own script
// (`npm run test:libreoffice`), which .ci/run calls after installing libreoffice-calc-nogui.
export default defineConfig({
  test: {
    include: ['test/libreoffice/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
