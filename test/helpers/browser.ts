// Headless Chromium for the e2e tests (/usr/bin/chromium, installed by .ci/run).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator } from 'playwright-core';
import QRCode from 'qrcode';
import { waitFor } from './wait';

const CHROMIUM = '/usr/bin/chromium';

/** Fails early, with how to install it, when Chromium is missing. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`找不到 Chromium（${CHROMIUM}）。请先安装：apt-get update && apt-get install -y chromium`);
  }
}

/** Launches it headless with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Attaches a generated photo (a QR code of `text`) to a form's photo input and waits for its upload. */
export async function attachPhoto(form: Locator, text: string, width = 600): Promise<void> {
  await form.locator('input.photo').setInputFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: await QRCode.toBuffer(text, { width }),
  });
  await form.locator('.upload-status', { hasText: '已上传 1 张' }).waitFor({ timeout: 10_000 });
}

/** Scrolls to an element of a page that repaints as events arrive (the simulator's chat), once it holds still. */
export async function scrollIntoViewWhenStill(element: Locator, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    () =>
      element.scrollIntoViewIfNeeded({ timeout: 2_000 }).then(
        () => true,
        () => undefined,
      ),
    timeoutMs,
    'the element in view',
  );
}
