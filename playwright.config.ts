import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

// Use Debian's chromium (or CHROMIUM_PATH) when present; otherwise Playwright's own browser, so the
// same config works on a laptop. Never download a browser from here.
const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
const executablePath = candidates.find((p) => fs.existsSync(p));

// E2E_PORT_BASE moves both servers (two checkouts on one machine can run their suites at once).
const portBase = Number(process.env.E2E_PORT_BASE ?? 3100);
export const FRESH_URL = `http://127.0.0.1:${portBase}`;
export const SEEDED_URL = `http://127.0.0.1:${portBase + 1}`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  // Two servers from the same build, each on its own embedded database: one empty (first-run
  // setup), one seeded through the CLI before it starts (e2e/serve.sh).
  webServer: [
    { command: `bash e2e/serve.sh fresh ${portBase}`, url: `${FRESH_URL}/api/health`, timeout: 180_000, reuseExistingServer: false, stdout: 'pipe' },
    { command: `bash e2e/serve.sh seeded ${portBase + 1}`, url: `${SEEDED_URL}/api/health`, timeout: 180_000, reuseExistingServer: false, stdout: 'pipe' },
  ],
  projects: [
    { name: 'fresh', testMatch: /first-run\.spec\.ts/, use: { baseURL: FRESH_URL } },
    { name: 'seeded', testIgnore: /first-run\.spec\.ts/, use: { baseURL: SEEDED_URL } },
  ],
});
