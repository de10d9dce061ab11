// The case record's pages on a phone (375×667), as the roles that use them: the social worker's
// work list, the one-box search, the person page with its diary pager, a case's interventions,
// assessments and project, the person's documents; the front desk's registration form and
// contact register. Each passes axe-core and fits the screen (no sideways scrolling of the page);
// the evaluator, who has no persons area, is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ALTO = `${BASE}/ambiti/ALTO_SEBINO`;

async function phone(username) {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await login(page, username);
  return { context, page };
}

/// Opens `url`, expects 200, checks axe-core and that the page is no wider than the screen.
async function walk(page, url, name) {
  const res = await page.goto(url);
  assert.equal(res.status(), 200, `${name}: ${url}`);
  await assertAccessible(page, `${name} (telefono)`);
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width + 1, `${name}: the page is ${scroll}px wide on a ${width}px screen`);
}

test('the social worker walks the case record on a phone', async () => {
  const { context, page } = await phone('alto.assistente');
  await walk(page, `${ALTO}/lavoro`, 'il mio lavoro');
  await walk(page, `${ALTO}/persone?q=rossi`, 'ricerca persone');
  const hit = page.locator('a[href*="/persone/"]', { hasText: 'Rossi Mario' }).first();
  const href = await hit.getAttribute('href');
  assert.ok(href, 'the search finds Mario Rossi');
  const record = new URL(href, BASE).pathname;
  await walk(page, `${BASE}${record}`, 'cartella della persona');
  assert.ok(await page.locator('#cronologia').isVisible());
  const caseLink = await page.locator(`a[href*="${record}/casi/"]`).first().getAttribute('href');
  assert.ok(caseLink, 'the page links to a case');
  const casePath = caseLink.match(/^(.*\/casi\/\d+)/)[1];
  await walk(page, `${BASE}${casePath}/interventi`, 'interventi del caso');
  await walk(page, `${BASE}${casePath}/valutazioni`, 'valutazioni del caso');
  await walk(page, `${BASE}${casePath}/progetto`, 'progetto individuale');
  await walk(page, `${BASE}${record}/documenti`, 'documenti della persona');
  await context.close();
});

test('the front desk registers and logs contacts on a phone; the evaluator has no persons area', async () => {
  const { context, page } = await phone('alto.amministrativo');
  await walk(page, `${ALTO}/persone/nuova`, 'nuova persona');
  await walk(page, `${ALTO}/accessi`, 'registro degli accessi');
  await context.close();

  const evaluator = await phone('alto.valutatore');
  const refused = await evaluator.page.goto(`${ALTO}/persone/nuova`);
  assert.equal(refused.status(), 403);
  await assertAccessible(evaluator.page, 'nuova persona rifiutata (telefono, valutatore)');
  await evaluator.context.close();
});
