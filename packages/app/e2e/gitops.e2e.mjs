/* eslint-disable no-script-url -- the XSS check looks for hostile javascript: URLs on purpose */
// End-to-end tests of the GitOps page and the entity Operations tab in Chromium, against a
// running portal fed by the demo agents (scripts/e2e.sh starts both). Run with `node --test`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const BASE_URL = process.env.GITOPS_E2E_BASE_URL ?? 'http://localhost:7107';
const ARTIFACTS =
  process.env.GITOPS_E2E_ARTIFACTS ?? join(process.cwd(), 'artifacts/e2e');
// The demo data of examples/clusters: 5 ArgoCD Applications, 5 + 3 Flux objects.
const DEMO_TOTAL = 13;
// Generous: the machine is shared and the first load compiles nothing but parses a big bundle.
const WAIT = { timeout: 60_000 };

mkdirSync(ARTIFACTS, { recursive: true });

let browser;
let page;
const dialogs = [];

async function signIn() {
  await page.goto(`${BASE_URL}/gitops`);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.waitFor(WAIT);
  await enter.click();
  await page.getByText('Fleet status').waitFor(WAIT);
}

/** Pushes files as the edge-lab agent would, through the real agent CLI. */
async function pushEdgeLab(files) {
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, '.yarn/releases/yarn-4.13.0.cjs'),
      'gitops-agent',
      'push',
      '--backend-url',
      BASE_URL,
      '--files',
      ...files,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        GITOPS_ALLOW_HTTP: 'true',
        GITOPS_AGENT_TOKEN:
          process.env.GITOPS_AGENT_TOKEN_DEMO_EDGE ??
          'dev-agent-token-demo-edge-0001',
      },
    },
  );
}

function row(name) {
  return page.locator('tr', {
    has: page.locator(`p:text-is(${JSON.stringify(name)})`),
  });
}

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.GITOPS_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
  });
  page = await context.newPage();
  // Any alert() means injected script ran.
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  await signIn();
});

after(async () => {
  await browser?.close();
});

describe('GitOps page', () => {
  it('is in the sidebar under Operations and shows the fleet totals', async () => {
    const nav = page.locator('nav');
    await nav.getByText('Operations').waitFor(WAIT);
    assert.ok(await nav.getByRole('link', { name: /GitOps/ }).count());
    await page
      .getByTestId('stat-total')
      .filter({ hasText: String(DEMO_TOTAL) })
      .waitFor(WAIT);
    const text = name => page.getByTestId(`stat-${name}`).textContent();
    assert.equal(await text('total'), String(DEMO_TOTAL));
    assert.equal(await text('outOfSync'), '4');
    assert.equal(await text('failed'), '4');
    assert.equal(await text('suspended'), '2');
    assert.match(
      await page
        .getByRole('img', { name: /Sync status breakdown/ })
        .getAttribute('aria-label'),
      /Synced 9, Out of sync 4, Unknown 0/,
    );
    await page.screenshot({
      path: join(ARTIFACTS, 'gitops-page.png'),
      fullPage: true,
    });
  });

  it('narrows the rows with a filter that survives a reload through the URL', async () => {
    await page.goto(`${BASE_URL}/gitops`);
    await row('checkout-api-prod').waitFor(WAIT);
    await page.locator('#gitops-filter-cluster').click();
    await page.getByRole('option', { name: /^prod-us/ }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/cluster=prod-us/, WAIT);
    await row('checkout-api-prod').waitFor({ state: 'detached', ...WAIT });
    await row('payments-worker-prod').waitFor(WAIT);
    const rows = () =>
      page.locator('table[aria-label="GitOps resources"] tbody tr').count();
    assert.equal(await rows(), 5);

    await page.reload();
    await row('payments-worker-prod').waitFor(WAIT);
    assert.equal(await rows(), 5);
    assert.match(page.url(), /cluster=prod-us/);
    assert.equal(await row('checkout-api-prod').count(), 0);
    assert.equal(
      await page.locator('#gitops-filter-cluster').textContent(),
      'prod-us',
    );
  });

  it('finds where a commit is live: a short SHA lists exactly the resources at it, and their entity says per cluster what runs', async () => {
    await page.goto(`${BASE_URL}/gitops`);
    await row('checkout-api-prod').waitFor(WAIT);
    // prod-us applies main@sha1:9f0e1d2c… in two Kustomizations; nothing else runs it.
    await page.getByLabel('Search resources').fill('9f0e1d2');
    await page.waitForURL(/[?&]revision=9f0e1d2(&|$)/, WAIT);
    await page.getByRole('button', { name: 'revision 9f0e1d2' }).waitFor(WAIT);
    await row('checkout-api-prod').waitFor({ state: 'detached', ...WAIT });
    await row('payments-worker-prod').waitFor(WAIT);
    await row('checkout-api-migrations').waitFor(WAIT);
    const rows = page.locator('table[aria-label="GitOps resources"] tbody tr');
    assert.equal(await rows.count(), 2);
    assert.doesNotMatch(page.url(), /[?&]q=/);
    await page.screenshot({
      path: join(ARTIFACTS, 'gitops-revision-search.png'),
      fullPage: true,
    });

    await row('checkout-api-migrations')
      .getByRole('link', { name: 'checkout-api', exact: true })
      .click();
    await page.waitForURL(/\/catalog\/default\/component\/checkout-api/, WAIT);
    await page.getByRole('link', { name: 'Operations', exact: true }).click();
    const summary = page.getByRole('table', { name: 'Revisions by cluster' });
    const line = cluster =>
      summary.locator('tbody tr', {
        has: page.getByText(cluster, { exact: true }),
      });
    await line('prod-us').getByText('main@9f0e1d2').waitFor(WAIT);
    assert.match(
      await line('prod-us').textContent(),
      /main@9f0e1d2.*github\.com\/shoehorn-demo\/payments/,
    );
    assert.match(
      await line('prod-eu').textContent(),
      /9f8e7d6.*github\.com\/shoehorn-demo\/deploy/,
    );
    assert.equal(await summary.getByText('mixed revisions').count(), 0);
    await page.screenshot({
      path: join(ARTIFACTS, 'entity-revisions.png'),
      fullPage: true,
    });
  });

  it('disables Sync on a read-only cluster and says why', async () => {
    await page.goto(`${BASE_URL}/gitops?q=payments-worker-prod`);
    const r = row('payments-worker-prod');
    const sync = r.getByRole('button', { name: 'Sync payments-worker-prod' });
    await sync.waitFor(WAIT);
    assert.equal(await sync.isDisabled(), true);
    const reason = r.getByTestId('sync-unavailable');
    assert.match(
      await reason.getAttribute('aria-label'),
      /Cluster prod-us is read-only/,
    );
    await reason.hover();
    await page
      .getByRole('tooltip', { name: /Cluster prod-us is read-only/ })
      .waitFor(WAIT);
  });

  it('links a resource to an entity by hand, then unlinks it', async () => {
    await page.goto(`${BASE_URL}/gitops?q=legacy-reporting`);
    const r = row('legacy-reporting');
    await r.getByText('unlinked').waitFor(WAIT);
    await r.getByRole('button', { name: 'Link legacy-reporting' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Catalog entity').fill('search');
    await page
      .getByRole('option', { name: /component:default\/search-indexer/ })
      .click();
    await dialog.getByRole('button', { name: 'Link', exact: true }).click();
    await r.getByText('manually').waitFor(WAIT);
    assert.ok(await r.getByRole('link', { name: /search-indexer/ }).count());

    // The entity's Operations tab now lists it.
    await page.goto(
      `${BASE_URL}/catalog/default/component/search-indexer/operations`,
    );
    const listed = row('legacy-reporting');
    await listed.waitFor(WAIT);
    assert.match(await listed.textContent(), /Application.*prod-eu/);

    await page.goto(`${BASE_URL}/gitops?q=legacy-reporting`);
    await r.getByRole('button', { name: 'Unlink legacy-reporting' }).click();
    await r.getByText('unlinked').waitFor(WAIT);
    assert.equal(
      await r.getByRole('button', { name: 'Unlink legacy-reporting' }).count(),
      0,
    );
  });

  it('renders hostile strings from a cluster as inert text', async () => {
    await page.goto(`${BASE_URL}/gitops?q=xss-probe`);
    const r = row('xss-probe');
    await r.waitFor(WAIT);
    await r.getByText('<img src=x onerror=alert(1)>').first().waitFor(WAIT);
    await r.getByText('javascript:alert(1)').waitFor(WAIT);
    const injected = await page.evaluate(() => ({
      images: document.querySelectorAll('img[src="x"], img[onerror]').length,
      scripts: [...document.querySelectorAll('script')].filter(s =>
        s.textContent.includes('alert(1)'),
      ).length,
      scriptLinks: [...document.querySelectorAll('a[href]')].filter(a =>
        /^\s*javascript:/i.test(a.getAttribute('href')),
      ).length,
    }));
    assert.deepEqual(injected, { images: 0, scripts: 0, scriptLinks: 0 });
    assert.deepEqual(dialogs, []);
  });
});

describe('entity Operations tab', () => {
  it('shows sync, health, revision and the drift alert of the linked resources', async () => {
    await page.goto(
      `${BASE_URL}/catalog/default/component/payments-worker/operations`,
    );
    // The tab leads with one row per resource; the details open from it.
    const summary = row('payments-worker-prod');
    await summary.waitFor(WAIT);
    await summary.getByText('Out of sync').waitFor(WAIT);
    await summary.getByText('Degraded').waitFor(WAIT);
    await summary.getByText('main@9f0e1d2').waitFor(WAIT);
    assert.ok(
      await summary
        .getByRole('button', { name: 'Sync payments-worker-prod' })
        .isDisabled(),
    );
    await summary
      .getByRole('button', { name: 'Details of payments-worker-prod' })
      .click();
    const panel = page.locator(
      '[data-resource-details="payments-worker-prod"]',
    );
    await panel.waitFor(WAIT);
    await panel
      .getByText('Kustomization · FluxCD · prod-us / flux-system')
      .waitFor(WAIT);
    await panel.getByText('Out of sync').first().waitFor(WAIT);
    await panel.getByText('Degraded').first().waitFor(WAIT);
    await panel.getByText('main@9f0e1d2').first().waitFor(WAIT);
    const alert = panel.getByRole('alert');
    await alert.waitFor(WAIT);
    assert.match(await alert.textContent(), /Drift detected\./);
    await panel.getByText('Recent status changes').waitFor(WAIT);
    await page.screenshot({
      path: join(ARTIFACTS, 'entity-operations.png'),
      fullPage: true,
    });
  });

  it('lists the deployments of a revision change and charts them', async () => {
    const edgeLab = join(ROOT, 'examples/clusters/edge-lab/flux.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'gitops-e2e-deploy-'));
    const next = join(dir, 'flux.yaml');
    // storefront-edge-cache moves to v1.0.0, then back to what the demo says.
    writeFileSync(
      next,
      readFileSync(edgeLab, 'utf8').replace(
        /(last(Applied|Attempted)Revision): v0\.9\.0@sha1:fedcba9876543210fedcba9876543210fedcba98/g,
        '$1: v1.0.0@sha1:abcdefabcdefabcdefabcdefabcdefabcdefabcd',
      ),
    );
    try {
      await pushEdgeLab([next]);
      await pushEdgeLab([edgeLab]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.goto(
      `${BASE_URL}/catalog/default/component/storefront/operations`,
    );
    // History and the chart open on demand.
    await page.getByRole('button', { name: 'Delivery', exact: true }).click();
    const history = page.getByRole('table', { name: 'Deployment history' });
    await history.waitFor(WAIT);
    const rows = history.locator('tbody tr', {
      hasText: 'storefront-edge-cache',
    });
    await rows.nth(1).waitFor(WAIT);
    assert.match(await rows.nth(0).textContent(), /v1\.0\.0@abcdefa/);
    assert.match(await rows.nth(0).textContent(), /v0\.9\.0@fedcba9/);
    const chart = page.getByRole('figure', { name: 'Deployments per day' });
    // Days without deployments draw empty bar groups; a deployed day draws a rectangle.
    await chart.locator('path.recharts-rectangle').first().waitFor(WAIT);
    await page
      .getByRole('table', { name: 'Delivery metrics' })
      .getByText('Change failure rate')
      .waitFor(WAIT);
    await page.screenshot({
      path: join(ARTIFACTS, 'entity-delivery.png'),
      fullPage: true,
    });

    // The GitOps page's team table counts them for storefront's owner.
    await page.goto(`${BASE_URL}/gitops`);
    const teams = page.getByRole('table', { name: 'Delivery by team' });
    await teams.locator('tbody tr', { hasText: 'team-checkout' }).waitFor(WAIT);
  });

  it('says in one line what blocks a resource, on the tab and as a hint in the fleet table', async () => {
    const blockedBy =
      'Blocked by: HelmRepository flux-system/ingress-charts — failed to fetch Helm repository index: 401 Unauthorized';
    await page.goto(
      `${BASE_URL}/catalog/default/component/ingress-nginx/operations`,
    );
    const panel = page.locator('.MuiCard-root', { hasText: 'HelmRelease' });
    const banner = panel.getByRole('status', { name: 'Root cause' });
    await banner.waitFor(WAIT);
    assert.equal((await banner.textContent()).trim(), blockedBy);
    await page.screenshot({
      path: join(ARTIFACTS, 'entity-root-cause.png'),
      fullPage: true,
    });

    await page.goto(`${BASE_URL}/gitops?q=ingress-nginx`);
    const hint = row('ingress-nginx').getByText(
      'Blocked by: HelmRepository flux-system/ingress-charts',
    );
    await hint.first().waitFor(WAIT);
    assert.equal(await hint.first().getAttribute('title'), blockedBy);
  });

  it('reads an entity with 20 resources on one screen at 1440 px wide', async () => {
    const edgeLab = join(ROOT, 'examples/clusters/edge-lab/flux.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'gitops-e2e-twenty-'));
    const twenty = join(dir, 'twenty.yaml');
    writeFileSync(
      twenty,
      // With its HelmRelease on prod-us, ingress-nginx gets 20 resources.
      Array.from({ length: 19 }, (_, i) => {
        const n = String(i + 1).padStart(2, '0');
        return [
          'apiVersion: kustomize.toolkit.fluxcd.io/v1',
          'kind: Kustomization',
          'metadata:',
          `  name: ingress-shard-${n}`,
          '  namespace: flux-system',
          `  uid: ingress-shard-${n}`,
          '  annotations:',
          '    shoehorn.dev/entity: ingress-nginx',
          'spec:',
          `  path: ./shards/${n}`,
          '  sourceRef: { kind: GitRepository, name: edge-config }',
          'status:',
          '  lastAppliedRevision: v0.9.0@sha1:fedcba9876543210fedcba9876543210fedcba98',
          '  lastAttemptedRevision: v0.9.0@sha1:fedcba9876543210fedcba9876543210fedcba98',
          '  conditions:',
          '    - { type: Ready, status: "True", reason: Succeeded, message: Applied }',
        ].join('\n');
      }).join('\n---\n'),
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    try {
      await pushEdgeLab([edgeLab, twenty]);
      await page.goto(
        `${BASE_URL}/catalog/default/component/ingress-nginx/operations`,
      );
      const table = page.getByRole('table', {
        name: 'GitOps resources of this entity',
      });
      await row('ingress-shard-19').waitFor(WAIT);
      const resourceRows = table.locator('tbody tr', {
        has: page.getByRole('button', { name: /^Details of / }),
      });
      assert.equal(await resourceRows.count(), 20);
      await page.screenshot({
        path: join(ARTIFACTS, 'entity-twenty-resources.png'),
        fullPage: true,
      });
      // One screen of a 1440x900 display: every row of the table within 900 px.
      const { height } = await table.boundingBox();
      assert.ok(height <= 900, `the table is ${height} px tall`);
    } finally {
      await page.setViewportSize({ width: 1600, height: 1000 });
      await pushEdgeLab([edgeLab]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells how to link on an entity with nothing linked', async () => {
    await page.goto(`${BASE_URL}/catalog/default/system/shop/operations`);
    await page.getByText('No GitOps resources linked').waitFor(WAIT);
  });
});

describe('live updates', () => {
  it('shows what an agent pushes without a reload', async () => {
    const edgeLab = join(ROOT, 'examples/clusters/edge-lab/flux.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'gitops-e2e-live-'));
    const extra = join(dir, 'extra.yaml');
    writeFileSync(
      extra,
      readFileSync(edgeLab, 'utf8')
        .replace(/name: lab-telemetry/, 'name: live-update-probe')
        .replace(/uid: [^\n]*7d03/, 'uid: live-update-probe'),
    );
    try {
      await page.goto(`${BASE_URL}/gitops?cluster=edge-lab`);
      await row('lab-telemetry').waitFor(WAIT);
      assert.equal(await row('live-update-probe').count(), 0);
      // The same edge-lab snapshot plus one new Kustomization.
      await pushEdgeLab([edgeLab, extra]);
      await row('live-update-probe').waitFor(WAIT);
    } finally {
      await pushEdgeLab([edgeLab]);
      rmSync(dir, { recursive: true, force: true });
    }
    await row('live-update-probe').waitFor({ state: 'detached', ...WAIT });
  });
});

describe('notifications', () => {
  it('has a Notifications page in the sidebar', async () => {
    await page.goto(`${BASE_URL}/gitops`);
    const link = page
      .locator('nav')
      .getByRole('link', { name: /Notifications/ });
    await link.first().waitFor(WAIT);
    await link.first().click();
    await page.waitForURL(/\/notifications/, WAIT);
    await page
      .getByRole('heading', { name: /Notifications/ })
      .first()
      .waitFor(WAIT);
  });
});

// Last: a Sync changes the fleet totals the tests above count.
describe('Sync on the demo cluster that answers commands', () => {
  it('syncs an OutOfSync Application: the command succeeds and the status turns Synced', async () => {
    await page.goto(`${BASE_URL}/gitops?q=storefront`);
    const r = row('storefront');
    await r.getByText('Out of sync').waitFor(WAIT);
    const sync = r.getByRole('button', { name: 'Sync storefront' });
    await sync.waitFor(WAIT);
    assert.equal(await sync.isDisabled(), false);
    await sync.click();
    // Queued and delivered may pass too fast to see; the end state may not.
    await r.locator('[data-command-status="succeeded"]').waitFor(WAIT);
    assert.match(
      await r.getByRole('status').textContent(),
      /Sync succeeded: synced Application argocd\/storefront/,
    );
    await r.getByText('Synced', { exact: true }).waitFor(WAIT);
    assert.equal(await r.getByText('Out of sync').count(), 0);
    await page.screenshot({
      path: join(ARTIFACTS, 'gitops-sync.png'),
      fullPage: true,
    });
  });
});
