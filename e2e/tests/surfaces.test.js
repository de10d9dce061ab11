// The pages this reshape added or changed, walked as the roles that use them and one that may
// not, on a phone (375×667): the citizen's area on the portal layout, and the upload page with
// its list of recent imports. Every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function phone(username) {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await login(page, username);
  return { context, page };
}

test('the citizen lands on their own area, on the portal layout, and no staff page opens', async () => {
  const { context, page } = await phone('cittadino.rossi');
  assert.match(page.url(), /\/area-personale$/, 'a citizen-only account goes home to its own area');
  await assertAccessible(page, 'area personale (telefono)');
  assert.equal(await page.locator('.it-brand-tagline').first().textContent(), 'Area del cittadino');
  // On a phone the navigation sits behind the menu button: look at the links, shown or not.
  assert.equal(await page.locator('a.nav-link[aria-current="page"]', { hasText: 'Area personale' }).count(), 1);
  assert.equal(await page.locator('a.nav-link', { hasText: 'Ambiti' }).count(), 0, 'no staff navigation');
  const download = await page.request.get(`${BASE}/area-personale/dati.json`);
  assert.equal(download.status(), 200);
  assert.equal((await download.json()).persona.codice_fiscale, 'RSSMRA85T10A562S');
  const staff = await page.goto(`${BASE}/ambiti/ALTO_SEBINO/importa`);
  assert.equal(staff.status(), 403, 'the upload page is not the citizen\'s');
  await context.close();
});

test('the ente gestore uploads on a phone and lists only its own imports; the evaluator may not', async () => {
  const { context, page } = await phone('alto.ente');
  const res = await page.goto(`${BASE}/ambiti/ALTO_SEBINO/importa`);
  assert.equal(res.status(), 200);
  await assertAccessible(page, 'importa dati (telefono, ente gestore)');
  const kinds = await page.locator('#tipo option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(kinds, ['consegne'], 'an ente gestore may send delivery files only');
  const list = await page.request.get(`${BASE}/api/v1/ambiti/ALTO_SEBINO/lavori`);
  assert.equal(list.status(), 200);
  assert.ok(Array.isArray(await list.json()));
  const area = await page.goto(`${BASE}/area-personale`);
  assert.equal(area.status(), 403, 'staff without a person record have no own area');
  await context.close();

  const evaluator = await phone('alto.valutatore');
  const refused = await evaluator.page.goto(`${BASE}/ambiti/ALTO_SEBINO/importa`);
  assert.equal(refused.status(), 403);
  await assertAccessible(evaluator.page, 'importa dati rifiutata (telefono, valutatore)');
  await evaluator.context.close();
});
