// The GUI browser suite, independent of where the GUI's data comes from: call guiSuite() with a
// factory for a GuiTarget (offline bundle here; the controller on a real API server elsewhere).
import { mkdirSync } from 'fs';
import * as path from 'path';
import type { Page, Response } from 'playwright-core';
import { ARTIFACTS, chromiumAvailable, launchBrowser, type Browser } from './browser';
import type { GuiTarget } from './targets';

// Browser-side expressions are strings: the project's tsconfig has no DOM lib.
const ACTIVE_TEXT = 'document.activeElement && document.activeElement.textContent';

export function guiSuite(title: string, makeTarget: () => Promise<GuiTarget>): void {
  // CI sets MESHGATE_REQUIRE_CHROMIUM: there a missing browser is a failure, not a skip.
  const d = chromiumAvailable() || process.env.MESHGATE_REQUIRE_CHROMIUM ? describe : describe.skip;
  d(`GUI in Chromium: ${title}`, () => {
    let target: GuiTarget;
    let browser: Browser;
    let page: Page;
    const bodies: { url: string; body: string }[] = [];

    const shot = async (name: string, p: Page = page) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await p.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    };
    const record = (res: Response) => {
      res.text().then(
        (body) => bodies.push({ url: res.url(), body }),
        () => undefined, // event streams and redirects have no readable body
      );
    };
    const open = async (hash: string) => {
      await page.goto(`${target.url}${hash}`);
      await page.locator('main h1').first().waitFor();
    };

    beforeAll(async () => {
      target = await makeTarget();
      browser = await launchBrowser();
      page = await browser.context.newPage();
      page.on('response', record);
      // Log in the way a person does: the token in the URL once, which sets the session cookie.
      await page.goto(target.token ? `${target.url}?token=${encodeURIComponent(target.token)}` : target.url);
      expect(page.url()).not.toContain('token=');
    }, 120000);

    afterAll(async () => {
      await browser?.close();
      await target?.close();
    });

    test('overview lists problems first, with reasons and hints', async () => {
      await open('#/');
      await page.locator('#problems').waitFor();
      const headings = await page.locator('main h2').allTextContents();
      expect(headings[0]).toMatch(/^Problems/);
      expect(headings.join('|')).toMatch(/GatewayClasses/);
      expect(headings.join('|')).toMatch(/Gateways/);
      // Every target has at least one failing route (targets.ts).
      const problems = page.locator('#problems .problem');
      await problems.first().waitFor(); // fails if none appears
      await expect(problems.first().locator('.reason').textContent()).resolves.toMatch(/\w+/);
      await expect(problems.first().locator('.hint').textContent()).resolves.toMatch(/What to change/);
      await shot('overview');
    });

    test('a Gateway page shows listeners, their conditions and the generated objects', async () => {
      await open('#/');
      const link = page.locator('#gateways tbody th a').first();
      const name = (await link.textContent())!;
      await link.click();
      await page.waitForURL(/#\/gateway\//);
      await page.locator('#listeners-h').waitFor();
      expect(await page.locator('main h1').textContent()).toBe(name);
      expect(await page.locator('section.listener').count()).toBeGreaterThan(0);
      await expect(page.locator('section.listener').first().textContent()).resolves.toMatch(/Protocol.*Port/s);
      await expect(page.locator('#generated').textContent()).resolves.toMatch(/MeshGateway/);
      await shot('gateway');
      // Follow the source → translated link.
      await page.getByRole('link', { name: 'YAML: source → translated' }).click();
      await page.locator('#sbs-h').waitFor();
      await expect(page.locator('.side-by-side').textContent()).resolves.toMatch(/kind: MeshGateway/);
      await shot('yaml-side-by-side');
    });

    test('a failing route leads to the reason and a hint', async () => {
      await open('#/');
      const routeProblem = page.locator('#problems .problem', { has: page.locator('a.problem-obj', { hasText: /Route / }) }).first();
      await routeProblem.waitFor(); // fails if none appears
      const reason = (await routeProblem.locator('.reason').textContent())!;
      await routeProblem.locator('a.problem-obj').click();
      await page.waitForURL(/#\/(http|grpc|tls)route\//);
      await page.locator('#parents-h').waitFor();
      await expect(page.locator('#parents').textContent()).resolves.toContain(reason);
      await expect(page.locator('#problems .hint').first().textContent()).resolves.toMatch(/What to change/);
      await page.locator('#rules-h').waitFor();
      await shot('route');
    });

    test('a TCPRoute has its own page: parents, rules and the MeshTCPRoute it became (examples/tcp-tls)', async () => {
      await open('#/routes');
      await page.locator('table.list').waitFor();
      const link = page.locator('table.list a[href*="#/tcproute/"]').first();
      expect(await link.count()).toBe(1);
      await link.click();
      await page.waitForURL(/#\/tcproute\//);
      await page.locator('#parents-h').waitFor();
      await expect(page.locator('#parents').textContent()).resolves.toMatch(/Accepted/);
      await page.locator('#rules-h').waitFor();
      await expect(page.locator('main').textContent()).resolves.toMatch(/MeshTCPRoute/);
      await shot('tcproute');
    });

    test('a ListenerSet has its own page: parent Gateway, its listeners with certificates and attached routes (examples/listenerset)', async () => {
      type Rows = { rows: { ref: { kind: string; namespace?: string; name: string } }[] };
      const rows = ((await (await page.request.get(`${target.url}api/list?kind=other`)).json()) as Rows).rows;
      const ls = rows.find((r) => r.ref.kind === 'ListenerSet' && r.ref.name === 'team-a');
      if (!ls) return console.warn('no ListenerSet "team-a" (examples/listenerset) in this target');
      await open(`#/listenerset/${ls.ref.namespace}/${ls.ref.name}`);
      await page.locator('#listeners-h').waitFor();
      expect(await page.locator('main h1').textContent()).toContain('team-a');
      await expect(page.locator('main').textContent()).resolves.toContain('edge/shared');
      const listener = page.locator('#listener-https');
      await expect(listener.textContent()).resolves.toContain('shop.team-a.example.com');
      await expect(listener.textContent()).resolves.toContain('shop-tls');
      await listener.locator('.route-links a', { hasText: 'shop' }).first().waitFor();
      await shot('listenerset');
    });

    test('a GRPCRoute page shows its method matches next to the path matches they became', async () => {
      type Rows = { rows: { ref: { kind: string; namespace?: string; name: string } }[] };
      const rows = ((await (await page.request.get(`${target.url}api/list?kind=routes`)).json()) as Rows).rows;
      const grpc = rows.find((r) => r.ref.kind === 'GRPCRoute' && r.ref.name === 'echo');
      if (!grpc) return console.warn('no GRPCRoute "echo" (examples/grpc-gateway) in this target');
      await open('#/routes');
      await page.locator('table.list a', { hasText: 'echo' }).first().waitFor();
      await open(`#/grpcroute/${grpc.ref.namespace}/${grpc.ref.name}`);
      expect(await page.locator('main h1').textContent()).toContain('echo');
      await page.locator('#rules-h').waitFor();
      const rules = page.locator('.side-by-side');
      await expect(rules.textContent()).resolves.toContain('GRPCRoute rules');
      await expect(rules.textContent()).resolves.toContain('grpc.examples.echo.Echo/UnaryEcho');
      await expect(rules.textContent()).resolves.toContain('Exact /grpc.examples.echo.Echo/UnaryEcho');
      await expect(rules.textContent()).resolves.toContain('PathPrefix /grpc.health.v1.Health');
      await expect(page.locator('#parents').textContent()).resolves.toMatch(/Accepted/);
      await shot('grpcroute');
    });

    test('a change in the source shows up without a reload', async () => {
      await open('#/routes');
      await page.locator('table.list').waitFor();
      await page.evaluate('window.__noReload = 42');
      const { routeName } = await target.change();
      await page.locator('table.list a', { hasText: routeName }).first().waitFor({ timeout: 15000 });
      expect(await page.evaluate('window.__noReload')).toBe(42);
      await expect(page.locator('.live').textContent()).resolves.toMatch(/updated/);
      await shot('routes');
    });

    test('the graph draws nodes as links and marks failing edges with text', async () => {
      await open('#/graph');
      await page.locator('svg a.node').first().waitFor();
      expect(await page.locator('svg a.node').count()).toBeGreaterThan(2);
      const bad = await page.locator('svg .edge.bad').count();
      if (bad > 0) expect(await page.locator('svg .edge-label').count()).toBe(bad);
      await shot('graph');
    });

    test('keyboard: skip link, then Tab reaches navigation links that work with Enter', async () => {
      await open('#/');
      await page.reload();
      await page.locator('#problems').waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(ACTIVE_TEXT)).toBe('Skip to content');
      let found = false;
      for (let i = 0; i < 10 && !found; i++) {
        await page.keyboard.press('Tab');
        found = (await page.evaluate(ACTIVE_TEXT)) === 'Routes';
      }
      expect(found).toBe(true);
      const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
      expect(outline).not.toBe('none');
      await page.keyboard.press('Enter');
      await page.waitForURL(/#\/routes/);
      await page.locator('table.list').waitFor();
    });

    test('narrow window stays readable', async () => {
      const narrow = await browser.context.newPage();
      await narrow.setViewportSize({ width: 390, height: 844 });
      narrow.on('response', record);
      await narrow.goto(`${target.url}#/`);
      await narrow.locator('#problems').waitFor();
      const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(2);
      await shot('overview-narrow', narrow);
      await narrow.close();
    });

    test('no response ever contains Secret data', async () => {
      // Visit every Secret (sources and copies) and the raw snapshot, then scan every body seen.
      type Rows = { rows: { ref: { kind: string; namespace?: string; name: string } }[] };
      const rows = ((await (await page.request.get(`${target.url}api/list?kind=other`)).json()) as Rows).rows;
      const gen = ((await (await page.request.get(`${target.url}api/list?kind=generated`)).json()) as Rows).rows;
      for (const [origin, list] of [['source', rows], ['generated', gen]] as const) {
        for (const r of list.filter((x) => x.ref.kind === 'Secret')) {
          await open(`#/object/${origin}/Secret/${r.ref.namespace ?? '-'}/${r.ref.name}`);
          await page.locator('#sbs-h').waitFor();
        }
      }
      const snap = await page.request.get(`${target.url}api/snapshot`);
      bodies.push({ url: snap.url(), body: await snap.text() });
      await new Promise((r) => setTimeout(r, 300));
      expect(bodies.length).toBeGreaterThan(10);
      for (const { url, body } of bodies) {
        for (const v of target.secretValues) {
          if (body.includes(v)) throw new Error(`response ${url} contains Secret data`);
        }
      }
    });
  });
}
