import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Headless Chromium for the dashboard's tests: Debian's /usr/bin/chromium (never a downloaded
 * browser), one per test file, a fresh context (its own sessionStorage) per person.
 */
export const CHROMIUM = process.env.MERZIM_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

export function browser(): () => Browser {
  let current: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    current = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 60_000);
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (current === undefined) throw new Error('the browser has not started');
    return current;
  };
}

/** Uncaught errors of the pages: a test file ends by expecting none. */
export const pageErrors: string[] = [];

/** A new page of a new context at a desktop or a phone's size, in a language. */
export async function newPage(browser: Browser, options: { phone?: boolean; language?: 'kk' | 'ru' | 'en' } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.phone === true ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    deviceScaleFactor: options.phone === true ? 2 : 1,
    isMobile: options.phone === true,
    hasTouch: options.phone === true,
    locale: options.language === 'en' ? 'en-GB' : options.language === 'ru' ? 'ru-RU' : 'kk-KZ',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    pageErrors.push(error.message);
  });
  return page;
}

/** Opens the dashboard and signs in as a demo user, by the page's own sign-in list. */
export async function signIn(page: Page, apiUrl: string, user: string): Promise<void> {
  await page.goto(`${apiUrl}/`);
  await page.locator(`button[data-user="${user}"]`).click();
  await page.locator(`.identity[data-user="${user}"]`).waitFor();
  await page.locator('main:not([aria-busy])').waitFor();
}

export function shot(name: string): string {
  return join(SCREENSHOTS, `${name}.png`);
}
