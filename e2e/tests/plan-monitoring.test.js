// Piano di Zona: close a monitoring round, then correct the activity data behind a linked
// indicator: the round keeps its frozen value and shows the difference. Then the evaluation PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PLAN = `${BASE}/ambiti/ALTO_SEBINO/piano/2021-2023`;
const cellOf = (page, code) => page.locator(`tr[data-code="${code}"] td.valore`);

test('a closed round stays frozen after the data change', async () => {
  const page = await browser.newPage();
  await login(page, 'alto.responsabile');
  await page.goto(PLAN);
  // The plan-objective test may have left a round open: close it first.
  const open = page.locator('#rilevazioni li', { hasText: 'aperta' });
  if (await open.count() > 0) {
    await open.locator('a').first().click();
    await page.locator('#chiuso_da').fill('Test e2e');
    await page.locator('#chiudi-rilevazione').click();
    await page.goto(PLAN);
  }
  await page.locator('#anno').fill('2024');
  await page.locator('#semestre').selectOption('1');
  await page.locator('#apri-rilevazione').click();
  await page.waitForURL(/\/rilevazioni\/\d+$/);
  const roundUrl = page.url();

  // A manual value with its evidence.
  await page.locator('tr[data-code="AMB-01-O3"] a', { hasText: 'Inserisci' }).click();
  await assertAccessible(page, 'inserimento valore');
  await page.locator('#valore').fill('14');
  await page.locator('#salva-valore').click();
  assert.match(await page.locator('#esito').innerText(), /evidenza/);
  await page.locator('#evidenza').fill('Registro dei progetti personalizzati');
  await page.locator('#inserito_da').fill('Assistente sociale');
  await page.locator('#salva-valore').click();
  await page.waitForURL(/filtro=valorizzati/);
  assert.equal((await cellOf(page, 'AMB-01-O3').innerText()).trim(), '14');

  await page.goto(roundUrl);
  const before = (await cellOf(page, 'AMB-01-O1').innerText()).trim();
  assert.match(before, /^\d/, `the linked SSP users are computed, got «${before}»`);
  await page.locator('#chiuso_da').fill('Responsabile Ufficio di Piano');
  await page.locator('#chiudi-rilevazione').click();
  await page.waitForURL(roundUrl);
  assert.match(await page.locator('#stato-rilevazione').innerText(), /congelati/);
  await assertAccessible(page, 'rilevazione chiusa');

  // Correct the 2024 activity behind the linked indicator.
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/attivita?anno=2024`);
  const users = page.locator('input[name="m.utenti.SSP"]');
  const original = Number((await users.inputValue()).replace(/\./g, ''));
  await users.fill(String(original + 40));
  await page.locator('#salva').click();
  await page.waitForURL(/salvato=1/);

  await page.goto(roundUrl);
  const cell = cellOf(page, 'AMB-01-O1');
  const text = (await cell.innerText()).trim();
  assert.ok(text.startsWith(before), `frozen value kept: «${text}»`);
  assert.match(text, /Dato corretto dopo la chiusura/);
  assert.match(text, /differenza 40,00/);
  assert.match(await page.locator('#correzioni').innerText(), /congelato/);

  // Put the data back for the other tests.
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/attivita?anno=2024`);
  await page.locator('input[name="m.utenti.SSP"]').fill(String(original));
  await page.locator('#salva').click();
  await page.waitForURL(/salvato=1/);
  await page.close();
});

test('the evaluation report of the previous cycle as PDF', async () => {
  const page = await browser.newPage();
  await login(page, 'alto.responsabile');
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/piano/2018-2020`);
  await assertAccessible(page, 'piano 2018-2020');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#scarica-valutazione-pdf').click()]);
  const file = join(mkdtempSync(join(tmpdir(), 'ambito-eval-')), 'valutazione.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /Valutazione degli obiettivi del Piano di Zona 2018-2020/);
  assert.match(text, /GRADO DI RAGGIUNGIMENTO/);
  assert.match(text, /37 obiettivi valutati/);
  assert.match(text, /Conoscenza, informazione, socializzazione e prevenzione/i);
  await page.close();
});

test('evaluation card form and the province view are accessible', async () => {
  const page = await browser.newPage();
  await login(page, 'alto.responsabile');
  await page.goto(PLAN);
  await page.locator('#sinottica a', { hasText: 'VERSO NUOVI ORIZZONTI' }).click();
  await page.locator('#valuta-scheda').click();
  await assertAccessible(page, 'valutazione');
  await page.locator('#achievement_pct').fill('80');
  await page.locator('#reproposed').selectOption('si');
  await page.locator('#salva-valutazione').click();
  await page.waitForURL(/#valutazione$/);
  assert.match(await page.locator('main').innerText(), /80%/);
  await page.goto(`${PLAN}/provincia`);
  await assertAccessible(page, 'confronto provinciale');
  assert.match(await page.locator('#confronto').innerText(), /Basso Sebino|Dato mancante|In linea|A rischio/);
  await page.close();
});
