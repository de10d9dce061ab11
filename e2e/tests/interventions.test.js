// Issue 15, process D and the courts: the provider's deliveries for Mario Rossi (codice_persona
// DEMO-P001) come in as a file; his social worker adds an intervention and sees them month by
// month against the plan, suspends it, then records a court order with a report deadline. The
// ente gestore may not open the court page. Every page passes axe-core. The deliveries are of
// the current year, so the 2025 report the report journey reads is untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const year = new Date().getUTCFullYear();
const month = String(new Date().getUTCMonth() + 1).padStart(2, '0');
const today = new Date().toISOString().slice(0, 10);
const firstOfMonth = `${year}-${month}-01`;
// The first of the previous month, in the same year (the delivery file covers one year).
const prev = new Date(Date.UTC(year, Math.max(new Date().getUTCMonth() - 1, 0), 1)).toISOString().slice(0, 7);
const firstOfPrev = `${prev}-01`;
const in20days = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);

function deliveries() {
  return ['data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore',
    `${firstOfPrev};SAD;016086;DEMO-P001;2,5;si;COOP_SEBINO`,
    `${firstOfMonth};SAD;016086;DEMO-P001;1,5;si;COOP_SEBINO`].join('\n') + '\n';
}

test('an intervention shows the deliveries against its plan, and a court order sets a report deadline', async () => {
  const office = await browser.newPage();
  await login(office, 'alto.responsabile');
  await office.goto(`${BASE}/ambiti/ALTO_SEBINO/importa`);
  await office.selectOption('#tipo', 'consegne');
  await office.setInputFiles('#file', { name: `consegne-e2e-${year}.csv`, mimeType: 'text/csv', buffer: Buffer.from(deliveries()) });
  await office.click('#importa');
  await office.locator('#esito').waitFor({ timeout: 60000 });
  assert.match(await office.locator('#esito').innerText(), /2 righe importate/);
  await office.close();

  const page = await browser.newPage();
  await login(page, 'alto.assistente');
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/persone`);
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("Rossi")')]);
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="link-interventi"] a:has-text("interventi")')]);
  assert.match(page.url(), /\/casi\/\d+\/interventi$/);
  const list = page.url();
  await assertAccessible(page, 'interventi del caso');

  // A bad start (before the case opened) is refused field by field, the values kept.
  await page.selectOption('#tipo', 'servizio');
  const sad = await page.locator('#servizio option', { hasText: /^SAD · / }).first().getAttribute('value');
  await page.selectOption('#servizio', sad);
  await page.fill('#inizio', '2020-01-01');
  await page.fill('#quantita_mese', '10');
  await Promise.all([page.waitForNavigation(), page.click('#salva-intervento')]);
  assert.match(await page.locator('#inizio-err').innerText(), /prima dell'apertura del caso/);
  assert.equal(await page.inputValue('#quantita_mese'), '10');
  await assertAccessible(page, 'intervento rifiutato');

  await page.fill('#inizio', firstOfPrev);
  await page.fill('#ente', 'COOP_SEBINO');
  await Promise.all([page.waitForNavigation(), page.click('#salva-intervento')]);
  assert.match(page.url(), /\/interventi\/\d+$/);
  const table = page.locator('table[data-testid^="previsto-erogato"]');
  const row = await table.locator(`tr:has(th:text-is("${year}-${month}"))`).innerText();
  const cells = row.split('\t').map((c) => c.trim());
  assert.equal(cells[2], '1,5', `delivered hours this month: ${row}`);
  const before = await table.locator(`tr:has(th:text-is("${prev}"))`).innerText();
  assert.equal(before.split('\t').map((c) => c.trim())[2], '2,5', `delivered hours last month: ${before}`);
  assert.ok(cells[1] !== '', 'a plan is shown');
  await assertAccessible(page, 'intervento');

  await page.fill('#dal', today);
  await page.fill('#motivo-sosp', 'Ricovero');
  await Promise.all([page.waitForNavigation(), page.click('#sospendi')]);
  assert.match(await page.locator('h1 + p').innerText(), /sospeso/);
  await assertAccessible(page, 'intervento sospeso');

  await page.goto(list.replace(/interventi$/, 'tribunale'));
  await assertAccessible(page, 'tribunale');
  await page.selectOption('#autorita', 'tribunale_minorenni');
  await page.fill('#numero', `E2E-${Date.now()}`);
  await page.fill('#data', today);
  await page.selectOption('#tipo-provv', 'provvisorio');
  await page.fill('#dispositivo', 'Affidamento al servizio sociale');
  await page.fill('#scadenza', in20days);
  await page.fill('#scadenza_cosa', 'Relazione di aggiornamento');
  await Promise.all([page.waitForNavigation(), page.click('#salva-provvedimento')]);
  const deadlines = await page.locator('[data-testid="scadenze"]').innerText();
  assert.match(deadlines, new RegExp(`${in20days}\\s+Relazione di aggiornamento\\s+In scadenza`));
  await assertAccessible(page, 'tribunale con provvedimento');
  const court = page.url();
  // The deadline is on the worker's work list, within the next 30 days.
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/lavoro`);
  const due = await page.locator('[data-testid="scadenze-tribunale"]').innerText();
  assert.match(due, new RegExp(`Rossi Mario\\s+${in20days}\\s+Relazione di aggiornamento`));
  await assertAccessible(page, 'il mio lavoro con scadenze');
  await page.close();

  // The ente gestore may not open court material (Mario is not even its provider's).
  const ente = await browser.newPage();
  await login(ente, 'alto.ente');
  const refused = await ente.goto(court);
  assert.equal(refused.status(), 403);
  await ente.close();
});
