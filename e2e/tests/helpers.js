// Shared browser setup: Debian's Chromium (never a downloaded browser) and an axe-core check.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.AMBITO_URL ?? 'http://127.0.0.1:8080';

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs axe-core in the page and fails on serious or critical violations. */
export async function assertAccessible(page, label) {
  // Injected through the DevTools protocol, so the page's CSP (script-src 'self') stays intact.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${label}: accessibility violations ${JSON.stringify(bad, null, 1)}`);
}

// Demo accounts: `serve --demo` derives each staff user's TOTP key from the demo password
// (see ambito_app::access::demo_totp_secret), so the tests can compute the codes too.
export const DEMO_PASSWORD = process.env.AMBITO_DEMO_PASSWORD ?? 'password demo per i test';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function demoTotpKey(username) {
  return createHash('sha256').update(`${DEMO_PASSWORD}\u0000${username}`).digest().subarray(0, 20);
}

export function base32(bytes) {
  let out = '', buffer = 0, bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b; bits += 8;
    while (bits >= 5) { out += ALPHABET[(buffer >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function unbase32(text) {
  const bytes = []; let buffer = 0, bits = 0;
  for (const c of text.replace(/=+$/, '')) {
    buffer = (buffer << 5) | ALPHABET.indexOf(c); bits += 5;
    if (bits >= 8) { bytes.push((buffer >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP, SHA-1, 6 digits, 30-second steps. */
export function totp(key, now = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = createHmac('sha1', typeof key === 'string' ? unbase32(key) : key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Logs a demo user in through the real form, with the TOTP step when the account has one. */
export async function login(page, username, password = DEMO_PASSWORD) {
  await page.goto(`${BASE}/accesso`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  if (page.url().includes('/accesso/codice')) {
    await page.fill('#codice', totp(demoTotpKey(username)));
    await Promise.all([page.waitForNavigation(), page.click('form[action="/accesso/codice"] button[type=submit]')]);
    // Each code is accepted once: a login within the same 30 s as an earlier one waits for the next.
    if ((await page.content()).includes('già usato')) {
      await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 300);
      await page.fill('#codice', totp(demoTotpKey(username)));
      await Promise.all([page.waitForNavigation(), page.click('form[action="/accesso/codice"] button[type=submit]')]);
    }
  }
  assert.ok(!page.url().includes('/accesso'), `login of ${username} failed: ${page.url()}`);
}
