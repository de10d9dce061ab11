// Issue 15, documents once-only: a social worker uploads a document once, the same file sent
// again is not stored twice, the document is reused for the person's project without a new
// upload, and the citizen finds it in their own area. Every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const title = `ISEE e2e ${Date.now()}`;
const file = {
  name: 'isee.pdf',
  mimeType: 'application/pdf',
  buffer: Buffer.from(`%PDF-1.7\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`),
};

async function uploadOnce(page) {
  await page.selectOption('#tipo', 'isee');
  await page.fill('#titolo', title);
  await page.fill('#scadenza', '2030-12-31');
  // Bootstrap Italia draws the box under its label: the label takes the click.
  if (!(await page.isChecked('#visibile'))) await page.click('label[for="visibile"]');
  assert.ok(await page.isChecked('#visibile'));
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForNavigation(), page.click('#carica-invia')]);
}

test('a document is uploaded once, not stored twice, and reused for the project', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, 'alto.assistente');
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/persone`);
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("Rossi Mario")')]);
  await Promise.all([page.waitForNavigation(), page.click('#documenti-trasferimento a:has-text("Documenti")')]);
  assert.match(page.url(), /\/documenti$/);
  await assertAccessible(page, 'documenti della persona');

  await uploadOnce(page);
  assert.match(await page.locator('#esito').textContent(), /caricato/);
  await assertAccessible(page, 'documento caricato');
  await uploadOnce(page);
  assert.match(await page.locator('#esito').textContent(), /già presente/, 'the same file is not stored again');
  const row = page.locator('tr', { has: page.locator(`a:text-is("${title}")`) });
  assert.equal(await row.count(), 1, 'one document, not two');

  // Reuse for the individual project: a link, no upload.
  await row.locator('select[name="uso"]').selectOption('progetto');
  await Promise.all([page.waitForNavigation(), row.locator('button:has-text("Riusa")').click()]);
  assert.match(await page.locator('#esito').textContent(), /senza un nuovo caricamento/);
  assert.match(await page.locator('tr', { has: page.locator(`a:text-is("${title}")`) }).textContent(), /progetto/);
  await assertAccessible(page, 'documento riusato');

  // A file that is not what its name says is refused, field by field, with the values kept.
  await page.fill('#titolo', 'Finto PDF');
  await page.setInputFiles('#file', { name: 'certificato.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf') });
  const [refused] = await Promise.all([page.waitForNavigation(), page.click('#carica-invia')]);
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('#file-errore').textContent(), /tipo di file non ammesso/);
  assert.equal(await page.inputValue('#titolo'), 'Finto PDF');
  await assertAccessible(page, 'caricamento rifiutato');
  await context.close();
});

test('the citizen finds the document in their own area, and no notes', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, 'cittadino.rossi');
  await page.goto(`${BASE}/area-personale`);
  await assertAccessible(page, 'area personale con documenti');
  assert.equal(await page.locator(`#miei-documenti + ul a:text-is("${title}")`).count(), 1);
  const html = await page.content();
  assert.ok(!html.includes('Primo colloquio') && !html.includes('Relazione sanitaria'), 'no diary notes');
  const href = await page.locator(`a:text-is("${title}")`).getAttribute('href');
  const res = await page.request.get(`${BASE}${href}`);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  await context.close();
});
