// Issue 5, questionnaires: staff open a mid-term wave and download anonymous links; a family answers
// on a phone (375×667), another one with JavaScript off; the results page counts both answers.
// Every page visited passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, assertAccessible, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const Q = `${BASE}/ambiti/ALTO_SEBINO/questionari/ADM_FAMIGLIE`;

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

async function answerAll(page) {
  const groups = page.locator('fieldset.likert');
  const n = await groups.count();
  assert.ok(n >= 6, `expected the Likert statements, found ${n}`);
  for (let i = 0; i < n; i++) {
    // Tap the label, as a finger would: the radio is chosen through it.
    await groups.nth(i).locator('label').nth(i % 2 === 0 ? 4 : 3).click();
  }
  await page.locator('textarea').first().fill('Più incontri con le altre famiglie.');
}

test('answer anonymously on a phone and see the answer counted', async () => {
  const staff = await browser.newPage();
  await login(staff, 'alto.responsabile');
  await staff.goto(`${BASE}/ambiti/ALTO_SEBINO/questionari`);
  await assertAccessible(staff, 'elenco questionari');
  await staff.goto(`${BASE}/ambiti/ALTO_SEBINO/questionari/nuovo`);
  await assertAccessible(staff, 'nuovo questionario');
  await staff.goto(`${Q}/cartaceo`);
  await assertAccessible(staff, 'inserimento cartaceo');
  await staff.goto(Q);
  await assertAccessible(staff, 'questionario');
  await staff.locator('#ondata').selectOption('intermedia');
  await staff.locator('#apertura').fill(isoDay(-1));
  await staff.locator('#chiusura').fill(isoDay(30));
  await staff.locator('#invitati').fill('20');
  await staff.locator('#salva-ondata').click();
  await staff.waitForURL(/salvato=ondata/);

  await staff.locator('#link-ondata').selectOption('intermedia');
  await staff.locator('#numero').fill('2');
  const [download] = await Promise.all([staff.waitForEvent('download'), staff.locator('#genera-link').click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'n;ondata;link');
  const links = csv.slice(1).map((line) => line.split(';')[2]);
  assert.equal(links.length, 2);

  const phone = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  await page.goto(links[0]);
  assert.match(await page.locator('h1').innerText(), /assistenza domiciliare minori/i);
  await assertAccessible(page, 'risposta (telefono)');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  await answerAll(page);
  await page.locator('#invia').click();
  await page.waitForLoadState();
  assert.equal((await page.locator('h1').innerText()).trim(), 'Grazie');
  await assertAccessible(page, 'ringraziamento');
  await page.goto(links[0]);
  assert.match(await page.locator('h1').innerText(), /già compilato/);
  await phone.close();

  // The page needs no JavaScript.
  const noJs = await browser.newContext({ viewport: { width: 375, height: 667 }, javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(links[1]);
  await answerAll(plain);
  await plain.locator('#invia').click();
  await plain.waitForLoadState();
  assert.equal((await plain.locator('h1').innerText()).trim(), 'Grazie');
  await noJs.close();

  await staff.goto(`${Q}/risultati`);
  await assertAccessible(staff, 'risultati');
  const wave = staff.locator('section.ondata', { hasText: 'Ondata Intermedia' });
  assert.equal((await wave.locator('.risposte').innerText()).trim(), '2');
  assert.match(await staff.locator('#confronto h2').innerText(), /Ex ante → Ex post/);
  await staff.close();
});
