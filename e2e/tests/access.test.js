// Issue 3's browser journey: password + TOTP login, a page outside the role is refused, the
// care-team rule with break-glass, logout. Every page visited passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, login, totp, demoTotpKey, DEMO_PASSWORD } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('password and TOTP login, denial outside the role, logout', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO`);
  assert.match(page.url(), /\/accesso/, 'anonymous visitors are sent to the login form');
  await assertAccessible(page, 'accesso');

  await page.fill('#username', 'alto.assistente');
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(page.url(), /\/accesso\/codice/);
  await assertAccessible(page, 'codice');
  await page.fill('#codice', '000000');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/accesso/codice"] button[type=submit]')]);
  assert.match(await page.locator('.alert-danger').innerText(), /Codice non valido/);
  await page.fill('#codice', totp(demoTotpKey('alto.assistente')));
  await Promise.all([page.waitForNavigation(), page.click('form[action="/accesso/codice"] button[type=submit]')]);
  assert.match(await page.locator('[data-testid=utente]').innerText(), /Alto assistente/);

  // Another Ambito and the administration are outside this role.
  let res = await page.goto(`${BASE}/ambiti/BASSO_SEBINO`);
  assert.equal(res.status(), 403);
  assert.match(await page.locator('h1').innerText(), /Accesso negato/);
  await assertAccessible(page, 'accesso negato');
  res = await page.goto(`${BASE}/amministrazione/utenti`);
  assert.equal(res.status(), 403);

  // A person outside the care team: break-glass with a reason.
  await page.goto(`${BASE}/ambiti/ALTO_SEBINO/persone?cf=VRDLCU90A41D969T`);
  assert.match(await page.locator('h1').innerText(), /Accesso straordinario/);
  await assertAccessible(page, 'break-glass');
  await page.fill('#motivo', 'Segnalazione urgente dal pronto soccorso');
  await Promise.all([page.waitForNavigation(), page.click('button.btn-danger')]);
  assert.match(await page.locator('h1').innerText(), /Verdi Lucia/);
  assert.match(await page.locator('main').innerText(), /Accesso straordinario in corso/);
  await assertAccessible(page, 'scheda persona');

  await Promise.all([page.waitForNavigation(), page.click('header form[action="/esci"] button')]);
  assert.match(page.url(), /\/accesso/);
  res = await page.goto(`${BASE}/ambiti/ALTO_SEBINO/persone`);
  assert.match(page.url(), /\/accesso/, 'after logout the session is gone');
  await page.close();
});

test('the DPO reads the audit log, with the break-glass flagged', async () => {
  const page = await browser.newPage();
  await login(page, 'dpo');
  await page.goto(`${BASE}/amministrazione/registro?utente=alto.assistente`);
  await assertAccessible(page, 'registro');
  const text = await page.locator('table').innerText();
  assert.match(text, /person\.break_glass ⚑/);
  assert.match(text, /pronto soccorso/);
  await page.close();
});
