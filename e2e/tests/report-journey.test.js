// The main journey of issue 2: dashboard → edit an activity figure → report and indicator change
// → PDF download with the expected text. Every page visited passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const AMBITO = `${BASE}/ambiti/ALTO_SEBINO`;

async function sadRow(page) {
  const row = page.locator('section#area-anziani table').nth(1).locator('tr[data-code="SAD"]');
  return { indicator: (await row.locator('td.indicator-value').innerText()).trim(), perUser: (await row.locator('td').nth(3).innerText()).trim() };
}

test('dashboard, grid edit, live report, PDF', async () => {
  const page = await browser.newPage();
  await login(page, 'alto.responsabile');
  await page.goto(AMBITO);
  await assertAccessible(page, 'cruscotto');
  assert.match(await page.locator('h1').innerText(), /Alto Sebino/);
  assert.match(await page.locator('#headline').innerText(), /Utenti in carico/);

  await page.goto(`${AMBITO}/relazione?anno=2025`);
  await assertAccessible(page, 'relazione');
  const before = await sadRow(page);

  await page.goto(`${AMBITO}/attivita?anno=2025`);
  await assertAccessible(page, 'attività');
  const users = page.locator('input[name="m.utenti.SAD"]');
  const original = Number((await users.inputValue()).replace(/\./g, ''));
  const changed = original + 25;
  await users.fill(String(changed));
  // Keyboard navigation like a spreadsheet: Enter moves down instead of submitting.
  await users.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'm.utenti.SAD_PASTI');
  await page.locator('#salva').click();
  await page.waitForURL(/salvato=1/);
  assert.match(await page.locator('#esito').innerText(), /Dati salvati/);
  assert.equal(await page.locator('input[name="m.utenti.SAD"]').inputValue(), String(changed));

  await page.goto(`${AMBITO}/relazione?anno=2025`);
  const afterEdit = await sadRow(page);
  assert.notEqual(afterEdit.indicator, before.indicator, 'hours per user must change with users');
  assert.notEqual(afterEdit.perUser, before.perUser, 'budget per user must change with users');
  const numbers = await page.locator('section#area-anziani tr[data-code="SAD"]').first().innerText();
  assert.match(numbers, new RegExp(`\\b${changed}\\b`));

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#scarica-pdf').click()]);
  const dir = mkdtempSync(join(tmpdir(), 'ambito-pdf-'));
  const file = join(dir, 'relazione.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /Alto Sebino/);
  assert.match(text, /Relazione annuale sull.attività 2025/);
  assert.ok(text.includes(afterEdit.indicator), `PDF shows the new indicator ${afterEdit.indicator}`);
  writeFileSync(join(dir, 'ok'), 'checked');
  await page.close();
});

test('the grid works without JavaScript and rejects bad input', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await login(page, 'alto.amministrativo');
  await page.goto(`${AMBITO}/attivita?anno=2025`);
  await page.locator('input[name="m.accessi.SAD"]').fill('tanti');
  await page.locator('#salva').click();
  await page.waitForLoadState();
  assert.match(await page.locator('#esito').innerText(), /Nessuna modifica salvata/);
  assert.equal(await page.locator('input[name="m.accessi.SAD"]').inputValue(), 'tanti');
  await context.close();
});

test('demography and catalogue pages are accessible', async () => {
  const page = await browser.newPage();
  await login(page, 'admin');
  for (const path of ['/', '/ambiti/ALTO_SEBINO/demografia', '/ambiti/ALTO_SEBINO/servizi', '/ambiti/BASSO_SEBINO']) {
    await page.goto(`${BASE}${path}`);
    await assertAccessible(page, path);
  }
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/demografia`);
  assert.match(await page.locator('main').innerText(), /Indice di vecchiaia/);
  await page.close();
});
