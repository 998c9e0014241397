import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium; .ci/run installs it when missing). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * A skip reason when Chromium is not installed, or null. Under CI=true a missing browser throws:
 * the browser test fails the run, it is never silently skipped.
 */
export function chromiumUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `Chromium is not installed at ${CHROMIUM}`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}; CI=true requires it (apt-get install -y chromium).`);
  console.warn(`SKIPPED: ${reason}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH) to run the browser tests.`);
  return reason;
}

/**
 * Headless Chromium; Playwright gives each launch a fresh temporary profile (--user-data-dir) and
 * removes it on close. The flags keep it off the network except for the page (this machine's
 * closed network refuses Chromium's background connections) and let it run as root.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
