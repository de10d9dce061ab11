// Piano di Zona: create an objective card with an indicator linked to the Ambito's data, and
// see the linked value computed (no typing) in an open monitoring round. Every page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PLAN = `${BASE}/ambiti/ALTO_SEBINO/piano/2021-2023`;

test('create an objective with a linked indicator', async () => {
  const page = await browser.newPage();
  await login(page, 'alto.responsabile');
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/piano`);
  await assertAccessible(page, 'elenco piani');
  await page.goto(PLAN);
  await assertAccessible(page, 'piano');
  assert.equal(await page.locator('#sinottica tbody tr').count(), 29, 'the synoptic table shows every card');

  await page.locator('#nuova-scheda').click();
  await assertAccessible(page, 'nuova scheda');
  await page.locator('#code').fill('AMB-E2E');
  await page.locator('#title').fill('Domiciliarità leggera per gli anziani soli');
  await page.locator('#macroarea').selectOption('M1');
  await page.locator('#rl_areas').fill('D, E');
  await page.locator('#description').fill('Prova del browser');
  await page.locator('#sociosanitary').selectOption('parziale');
  await page.locator('#salva-scheda').click();
  await page.waitForURL(/\/schede\/\d+$/);
  assert.match(await page.locator('h1').innerText(), /AMB-E2E/);
  assert.match(await page.locator('main').innerText(), /Parzialmente/);
  await assertAccessible(page, 'scheda');

  await page.locator('#nuovo-indicatore').click();
  await assertAccessible(page, 'nuovo indicatore');
  await page.locator('#text').fill('Utenti SAD ogni 1.000 residenti di 75 anni e più');
  await page.locator('#kind').selectOption('outcome');
  await page.locator('#level').selectOption('macro');
  await page.locator('#measure').selectOption('per_1000');
  await page.locator('#link').selectOption('servizio:SAD:utenti');
  await page.locator('#target_population').selectOption('anziani 75+');
  await page.locator('#target').fill('35,5');
  // A bad date is refused with the reason, and nothing is saved.
  await page.locator('#target_date').fill('31/12/2023');
  await page.locator('#salva-indicatore').click();
  assert.match(await page.locator('#esito').innerText(), /data non valida/);
  await page.locator('#target_date').fill('2023-12-31');
  await page.locator('#salva-indicatore').click();
  await page.waitForURL(/#indicatori$/);
  const row = page.locator('tr[data-code="AMB-E2E-1"]');
  assert.match(await row.innerText(), /Utenti in carico · servizio SAD/);
  assert.match(await row.innerText(), /35,50/);

  // In an open round the linked value is computed from the activity data.
  await page.goto(PLAN);
  await page.locator('#anno').fill('2025');
  await page.locator('#semestre').selectOption('2');
  await page.locator('#apri-rilevazione').click();
  await page.waitForURL(/\/rilevazioni\/\d+$/);
  await assertAccessible(page, 'rilevazione aperta');
  const value = (await page.locator('tr[data-code="AMB-E2E-1"] td.valore').innerText()).trim();
  assert.match(value, /^\d+,\d{2}$/, `a rate per 1.000, got «${value}»`);
  await page.close();
});
