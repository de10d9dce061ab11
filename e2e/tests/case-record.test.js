// The case record's first and last steps in a browser, from the keyboard where a worker would
// use it: a front-desk contact with a proposal, the proposal accepted from the work list, a diary
// entry, the closure with reason and outcome and the reopening that keeps the history; and the
// one-box search. Every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ALTO = `${BASE}/ambiti/ALTO_SEBINO`;

async function as(username) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, username);
  return { context, page };
}

test('a front-desk contact, a proposal accepted, a diary entry, closure and reopening', async () => {
  // 1. The front desk registers a new person and records the contact with a proposal.
  const desk = await as('alto.amministrativo');
  await desk.page.goto(`${ALTO}/persone/nuova`);
  await assertAccessible(desk.page, 'registrazione persona');
  await desk.page.fill('#registra-codice_fiscale', 'FRRGNN40A01A794X');
  await desk.page.fill('#registra-cognome', 'Ferrari');
  await desk.page.fill('#registra-nome', 'Giovanni');
  await desk.page.selectOption('#registra-sesso', 'M');
  await desk.page.fill('#registra-data_nascita', '1940-01-01');
  // A codice fiscale that does not match the data is refused field by field, values kept.
  await Promise.all([desk.page.waitForNavigation(), desk.page.click('form[action$="/persone"] button[type=submit]')]);
  assert.match(await desk.page.content(), /codice fiscale non valido|non corrisponde/);
  await assertAccessible(desk.page, 'registrazione con errori');
  assert.equal(await desk.page.inputValue('#registra-cognome'), 'Ferrari');
  await desk.page.fill('#registra-codice_fiscale', 'FRRGNN40A01A794S');
  await Promise.all([desk.page.waitForNavigation(), desk.page.click('form[action$="/persone"] button[type=submit]')]);
  assert.match(desk.page.url(), /\/persone\/\d+$/, `registered: ${desk.page.url()}`);
  const personId = desk.page.url().split('/').pop();
  await desk.page.goto(`${ALTO}/accessi`);
  await assertAccessible(desk.page, 'registro accessi');
  await desk.page.fill('#k-persona', personId);
  await desk.page.selectOption('#k-canale', 'sportello');
  await desk.page.selectOption('#k-richiedente', 'familiare');
  await desk.page.selectOption('#k-area', 'anziani');
  await desk.page.selectOption('#k-esito', 'proposta');
  await desk.page.fill('#k-motivo', 'La figlia chiede assistenza domiciliare per il padre');
  await Promise.all([desk.page.waitForNavigation(), desk.page.click('form[action$="/accessi"] button[type=submit]')]);
  assert.match(await desk.page.content(), /Ferrari Giovanni/);
  await desk.context.close();

  // 2. The social worker accepts the proposal from the work list.
  const worker = await as('alto.assistente');
  await worker.page.goto(`${ALTO}/lavoro`);
  await assertAccessible(worker.page, 'il mio lavoro');
  const card = worker.page.locator('.card', { hasText: 'La figlia chiede assistenza domiciliare' });
  await card.locator('select[name=decisione]').selectOption('accetta');
  await card.locator('input[name=servizio]').fill('SAD');
  await Promise.all([worker.page.waitForNavigation(), card.locator('button[type=submit]').click()]);
  await worker.page.goto(`${ALTO}/persone/${personId}`);
  await assertAccessible(worker.page, 'cartella della persona');
  assert.match(await worker.page.content(), /Valutazione del bisogno/);

  // A diary entry typed from the keyboard.
  await worker.page.selectOption('#d-tipo', 'colloquio');
  await worker.page.fill('#d-testo', 'Primo colloquio con la figlia: bisogno di aiuto per igiene e pasti.');
  await worker.page.focus('#d-testo');
  await worker.page.keyboard.press('Tab');
  await Promise.all([worker.page.waitForNavigation(), worker.page.click('form[action$="/diario"] button[type=submit]')]);
  assert.match(await worker.page.content(), /Primo colloquio con la figlia/);

  // 8. Closure with reason and outcome, then reopening; the history keeps both.
  const section = worker.page.locator('section[id^="caso-"]').first();
  await section.locator('summary', { hasText: 'Cambia stato' }).click();
  await section.locator('select[name=stato]').selectOption('chiuso');
  await section.locator('select[name=motivo]').selectOption('rinuncia');
  await section.locator('select[name=esito]').selectOption('non_valutabile');
  await Promise.all([worker.page.waitForNavigation(), section.locator('form[action$="/stato"] button[type=submit]').click()]);
  assert.match(await worker.page.content(), /Chiusura del caso/);
  const again = worker.page.locator('section[id^="caso-"]').first();
  await again.locator('summary', { hasText: 'Cambia stato' }).click();
  await again.locator('select[name=stato]').selectOption('valutazione');
  await Promise.all([worker.page.waitForNavigation(), again.locator('form[action$="/stato"] button[type=submit]').click()]);
  const html = await worker.page.content();
  assert.match(html, /Riapertura del caso/);
  assert.match(html, /Chiusura del caso/, 'reopening keeps the closure in the history');
  await assertAccessible(worker.page, 'cartella dopo la riapertura');

  // The one-box search forgives the typo and the case.
  await worker.page.goto(`${ALTO}/persone?q=ferari+giovanni`);
  await assertAccessible(worker.page, 'ricerca persone');
  assert.equal(await worker.page.locator('ul[aria-label="Risultati della ricerca"] li', { hasText: 'Ferrari Giovanni' }).count(), 1);
  await worker.context.close();
});
