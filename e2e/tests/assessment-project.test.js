// Issue 15's journeys 3, 4 and 7: a Barthel assessment (wrong answers refused field by field,
// then scored), the individual project (PAI) and its review, by the social worker of the care
// team. Every page visited passes axe-core, the pages with errors too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const BARTHEL = {
  alimentazione: '10', bagno: '5', igiene_personale: '5', vestirsi: '10', controllo_intestinale: '10',
  controllo_vescicale: '10', uso_gabinetto: '5', trasferimenti: '10', deambulazione: '5', scale: '5',
};

// Bootstrap Italia draws radios and checkboxes over their label: click the label, as a user does.
async function pick(page, id) {
  await page.click(`label[for="${id}"]`);
}

async function submit(page, selector) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return res;
}

test('Barthel assessment, project and review for Mario Rossi', async () => {
  const page = await browser.newPage();
  await login(page, 'alto.assistente');
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/persone`);
  await submit(page, 'a:has-text("Rossi Mario")');
  await assertAccessible(page, 'scheda persona con i collegamenti al caso');

  await submit(page, 'a:has-text("valutazioni")');
  assert.match(await page.locator('h1').innerText(), /Valutazioni/);
  await assertAccessible(page, 'elenco valutazioni');
  await submit(page, 'a:has-text("Indice di Barthel")');
  await assertAccessible(page, 'modulo Barthel');

  // Half the answers only: refused, every missing item named, nothing saved.
  for (const [item, value] of Object.entries(BARTHEL).slice(0, 5)) await pick(page, `q_${item}-${value}`);
  let res = await submit(page, '#salva-valutazione');
  assert.equal(res.status(), 422);
  assert.match(await page.locator('#esito').innerText(), /correggere 5 campi/);
  assert.match(await page.locator('#err-scale').innerText(), /risposta mancante/);
  assert.ok(await page.isChecked('#q_alimentazione-10'), 'answers given are kept');
  await assertAccessible(page, 'modulo Barthel con errori');

  for (const [item, value] of Object.entries(BARTHEL)) await pick(page, `q_${item}-${value}`);
  await page.fill('#assessed_on', '2025-03-10');
  res = await submit(page, '#salva-valutazione');
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('#punteggio').innerText(), '75');
  assert.equal(await page.locator('#fascia').innerText(), 'dipendenza moderata');
  await assertAccessible(page, 'valutazione salvata');

  // The project: goals on three horizons, the case manager, the person's agreement.
  await page.goto(page.url().replace(/\/valutazioni\/\d+$/, '/progetto'));
  await assertAccessible(page, 'progetto vuoto');
  await page.fill('#valid_from', '2025-03-15');
  await page.fill('#review_every_months', '6');
  await page.fill('#goal_0_text', 'Attivare l\'assistenza domiciliare');
  await page.fill('#goal_0_date', '2025-04-30');
  await page.fill('#goal_1_text', 'Sostegno alla figlia caregiver');
  await page.fill('#goal_2_text', 'Permanenza al domicilio');
  await page.selectOption('#manager_id', { label: 'Alto assistente' });
  await page.click('label[for^="team-"] >> nth=0');
  await page.fill('input[id^=role_] >> nth=0', 'Assistente sociale');
  await page.selectOption('#agreement', 'firmato');
  await page.fill('#agreed_on', '2025-03-15');
  res = await submit(page, '#salva-progetto');
  assert.equal(res.status(), 200);
  assert.match(await page.locator('#in-vigore').innerText(), /Versione in vigore: 1/);
  await assertAccessible(page, 'progetto salvato');

  // A review before the project is refused; then the review of July.
  await page.fill('#reviewed_on', '2025-01-01');
  await page.selectOption('#outcome', 'parziali');
  res = await submit(page, '#salva-revisione');
  assert.equal(res.status(), 422);
  assert.match(await page.locator('#esito-revisione').innerText(), /precedente al progetto/);
  await assertAccessible(page, 'revisione rifiutata');
  await page.fill('#reviewed_on', '2025-07-01');
  await page.selectOption('#outcome', 'parziali');
  await page.fill('#notes', 'Assistenza attiva, sostegno alla figlia da rafforzare');
  res = await submit(page, '#salva-revisione');
  assert.equal(res.status(), 200);
  assert.match(await page.locator('main').innerText(), /Obiettivi raggiunti in parte/);
  assert.equal(await page.locator('#prossima-revisione').innerText(), '2026-01-01');
  await assertAccessible(page, 'revisione registrata');
  await page.close();
});
