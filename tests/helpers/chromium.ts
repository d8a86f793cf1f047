import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Opens an HTML file in headless Chromium and hands the page over, after checking that it
 * loaded without script errors. Returns false (the check skipped) only outside CI without Chromium.
 */
export async function withChromiumPage(file: string, fn: (page: Page) => Promise<void>): Promise<boolean> {
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!executablePath) {
    if (process.env.CI) throw new Error('Chromium is required in CI (apt-get install chromium)');
    console.warn('browser check skipped: no Chromium');
    return false;
  }
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    expect(errors).toEqual([]);
    await fn(page);
    return true;
  } finally {
    await browser.close();
  }
}
