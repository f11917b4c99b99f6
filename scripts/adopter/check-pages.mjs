// Checks in Chromium that a fresh app with the packed plugins shows the pushed objects: the
// GitOps page's totals and an entity's Operations tab. Exits non-zero naming what it missed.
// Usage: node check-pages.mjs <base url> <expected total> <entity path> <resource name> <screenshot dir>
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [baseUrl, total, entityPath, resourceName, shots] = process.argv.slice(2);
const WAIT = { timeout: 120_000 };

const browser = await chromium.launch({
  executablePath: process.env.GITOPS_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
let step = 'opening /gitops';
try {
  await page.goto(`${baseUrl}/gitops`);
  // The templates sign in as guest, either at once or with an Enter button.
  const enter = page.getByRole('button', { name: 'Enter' });
  const stat = page.getByTestId('stat-total');
  await Promise.race([enter.waitFor(WAIT), stat.waitFor(WAIT)]);
  if (await enter.isVisible()) await enter.click();

  step = `waiting for the GitOps page to count ${total} resources`;
  await stat.filter({ hasText: new RegExp(`^${total}$`) }).waitFor(WAIT);
  await page.screenshot({ path: join(shots, 'gitops.png'), fullPage: true });

  step = `waiting for ${resourceName} on the Operations tab of ${entityPath}`;
  await page.goto(`${baseUrl}${entityPath}/operations`);
  await page.getByText(resourceName, { exact: true }).first().waitFor(WAIT);
  await page.getByText('Out of sync').first().waitFor(WAIT);
  await page.screenshot({
    path: join(shots, 'operations.png'),
    fullPage: true,
  });
  console.log(
    `[adopter] Chromium: /gitops counts ${total}; ${entityPath}/operations shows ${resourceName}`,
  );
} catch (error) {
  await page
    .screenshot({ path: join(shots, 'failure.png'), fullPage: true })
    .catch(() => {});
  console.error(
    `[adopter] Chromium check failed while ${step}: ${
      error.message.split('\n')[0]
    }`,
  );
  console.error(
    `[adopter] the page said: ${(
      await page
        .locator('body')
        .innerText()
        .catch(() => '')
    ).slice(0, 1500)}`,
  );
  process.exitCode = 1;
} finally {
  await browser.close();
}
