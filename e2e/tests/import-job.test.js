// Issue 4: a delivery file uploaded from the browser is imported as a job; the page shows a
// progress bar fed by job-progress.js and, when the job is over, the outcome. Every page passes
// axe-core. Uses BASSO_SEBINO, which the report journey does not read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** 400 persons × 200 days of SAD in Credaro, half an hour each: 80,000 deliveries. */
function deliveries() {
  const lines = ['data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore'];
  const start = Date.UTC(2025, 0, 1);
  for (let d = 0; d < 200; d++) {
    const day = new Date(start + d * 86400000).toISOString().slice(0, 10);
    for (let p = 0; p < 400; p++) {
      lines.push(`${day};SAD;016088;E2E-${p};0,5;${p % 2 ? 'si' : 'no'};Coop. E2E`);
    }
  }
  return lines.join('\n') + '\n';
}

test('a delivery upload runs as a job with a progress bar, then shows the outcome', async () => {
  const page = await browser.newPage();
  await login(page, 'basso.responsabile');
  const errors = [];
  // Bootstrap Italia's CSS names a data: font that the CSP blocks on every page; anything else counts.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Loading the font')) errors.push(m.text()); });
  await page.goto(`${BASE}/ambiti/BASSO_SEBINO/importa`);
  await page.selectOption('#tipo', 'consegne');
  await page.setInputFiles('#file', { name: 'consegne-e2e-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(deliveries()) });
  await page.click('#importa');
  await page.waitForURL(/\/ambiti\/BASSO_SEBINO\/importa\/lavori\/\d+$/);
  const running = await page.locator('#avanzamento').count();
  if (running) {
    // The job may end (and job-progress.js reload the page) while axe runs: only a finding fails.
    try {
      await assertAccessible(page, 'importazione in corso');
    } catch (e) {
      if (e.code === 'ERR_ASSERTION') { throw e; }
    }
  }
  // job-progress.js reloads the page when the job is over; the page then shows the outcome.
  await page.locator('#esito').waitFor({ timeout: 120000 });
  assert.match(await page.locator('#esito').innerText(), /80000 righe importate/);
  await assertAccessible(page, 'esito importazione');
  assert.deepEqual(errors, [], 'no script errors, no CSP violation by job-progress.js');
  await page.close();
});
