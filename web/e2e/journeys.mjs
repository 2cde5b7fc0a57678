// End-to-end journeys of the web application in a real browser (Debian's Chromium, headless, driven by
// playwright-core) against the running stack. Run by e2e's WebBrowserIT, which prepares the organisations
// and users and passes them in TANDEM_E2E_FIXTURE. Exits 0 when every journey passed.
//
//   TANDEM_WEB_URL        the web application, e.g. http://localhost:28104
//   TANDEM_E2E_FIXTURE    JSON: { password, coordinator, sender:{id,name,caseworker,admin}, receiver:{...}, third:{...} (in Nigeria),
//                         probe:{...} (outside every pathway), returnDrafts:{...}, pending:{id,name}, live:{...} }
//   TANDEM_CHROMIUM       the browser (default /usr/bin/chromium)
//   TANDEM_SCREENSHOTS    where screenshots go (default ../docs/screenshots)
import { chromium } from 'playwright-core';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const WEB = process.env.TANDEM_WEB_URL ?? 'http://localhost:18104';
const fx = JSON.parse(readFileSync(process.env.TANDEM_E2E_FIXTURE, 'utf8'));
const SHOTS = resolve(process.env.TANDEM_SCREENSHOTS ?? join(here, '../../docs/screenshots'));
const FAILS = resolve(join(here, '../target/e2e-failures'));
// what a journey leaves for WebBrowserIT to check through the API and tandem-client (key files, ids)
const OUT = resolve(process.env.TANDEM_E2E_OUT ?? join(here, '../target/e2e-out'));
mkdirSync(SHOTS, { recursive: true });
mkdirSync(FAILS, { recursive: true });
mkdirSync(OUT, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const T = 20000;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * WCAG 2.1 A and AA rules of axe-core on the page as it is now (evaluated through the DevTools protocol,
 * so the page's Content-Security-Policy stays as it is). Fails with each violation and where it is.
 */
async function assertAccessible(page, what) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map(
      (v) =>
        v.id +
        ' (' +
        v.impact +
        '): ' +
        v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', '),
    );
  });
  if (violations.length) throw new Error('WCAG 2.1 AA violations on ' + what + ':\n  ' + violations.join('\n  '));
}

async function signedIn(username, lang = 'en') {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: lang === 'de' ? 'de-DE' : 'en-GB',
  });
  context.setDefaultTimeout(T);
  await context.addInitScript((l) => {
    if (!localStorage.getItem('tandem.lang')) localStorage.setItem('tandem.lang', l);
  }, lang);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('  [page error] ' + e.message));
  await page.goto(WEB + '/');
  await page.getByRole('button', { name: lang === 'de' ? 'Anmelden' : 'Sign in' }).click();
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(fx.password);
  await page.locator('#kc-login').click();
  await page.getByRole('button', { name: lang === 'de' ? 'Abmelden' : 'Sign out' }).waitFor();
  return page;
}

/** A user's access token, as an integration gets it (password grant of the development client). */
async function tokenOf(username) {
  const cfg = await (await fetch(WEB + '/config.json')).json();
  const answer = await fetch(cfg.oidcUrl + '/protocol/openid-connect/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'tandem-dev', username, password: fx.password }),
  });
  return (await answer.json()).access_token;
}

/** A GET of an API URL with a user's token, outside the browser. */
async function asUser(username, url) {
  return fetch(url, { headers: { Authorization: 'Bearer ' + (await tokenOf(username)), Accept: 'application/json' } });
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
}

/** Every visible form control has a label (WCAG 1.3.1 / 4.1.2). */
async function assertLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.closest('label'))
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  if (unlabelled.length) throw new Error('controls without a label: ' + unlabelled.join(' | '));
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function heading(page, text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

/**
 * The directory's language filter: takes one language from the picker's matches (the search box goes while one
 * is chosen) and removes it again; then picks the one named.
 */
async function pickDirectoryLanguage(page, text, label) {
  const group = page.getByRole('group', { name: 'Language spoken' });
  const chosen = group.getByRole('button', { name: /^Remove / });
  if (await chosen.count()) await chosen.click();
  await group.getByLabel('Find a language by its name or ISO 639-3 code').fill(text);
  await group.getByRole('button', { name: 'Add ' + label }).click();
  await group.getByRole('button', { name: 'Remove ' + label }).waitFor();
  expect(
    (await group.getByLabel('Find a language by its name or ISO 639-3 code').count()) === 0,
    'the directory filters by one language',
  );
}

const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

/** A caseworker's referral through the guided flow, from the directory search to submission. */
async function createReferral(page, receiver, { screenshots = false } = {}) {
  await page.goto(WEB + '/#/directory');
  await heading(page, 'Directory of partner organisations');
  await page.getByLabel('Name contains').fill(receiver.name);
  // one language, picked from referral-service's list like hers: the receiver speaks Nigerian Pidgin
  await pickDirectoryLanguage(page, 'pidgin', 'Nigerian Pidgin (pcm)');
  await page.getByRole('button', { name: 'Search' }).click();
  const card = page.locator('li.card', { hasText: receiver.name });
  await card.waitFor();
  await assertLabelled(page);
  await assertAccessible(page, 'the directory');
  if (screenshots) await shot(page, 'directory-search');
  await card.getByRole('link', { name: 'Refer to this organisation' }).click();
  await heading(page, 'New referral');
  await page.locator('p.card', { hasText: receiver.name }).waitFor();
  // the stage is required: without it the flow stays on the first step and says so
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('.field-invalid', { hasText: 'Stage of her pathway' }).locator('p.error').waitFor();
  await page.getByLabel(/^Stage of her pathway/).selectOption('FIRST_ASSISTANCE');
  await page.getByLabel(/^End of the reflection and recovery period/).fill(inDays(60));
  await page.getByRole('button', { name: 'Next' }).click();
  // the summary: codes only
  await page.getByRole('checkbox', { name: 'Safe accommodation' }).check();
  await page.getByRole('checkbox', { name: 'Psychological support' }).check();
  // her languages, picked from referral-service's list by name or by code
  const languages = page.getByRole('group', { name: 'Languages she speaks' });
  const find = languages.getByLabel('Find a language by its name or ISO 639-3 code');
  await find.fill('nigerian pid');
  await languages.getByRole('button', { name: 'Add Nigerian Pidgin (pcm)' }).click();
  await find.fill('eng');
  await languages.getByRole('button', { name: 'Add English (eng)' }).click();
  await languages.getByRole('button', { name: 'Remove Nigerian Pidgin (pcm)' }).waitFor();
  await languages.getByRole('button', { name: 'Remove English (eng)' }).waitFor();
  await page.getByLabel('Her age band').selectOption('AGE_18_24');
  await page.getByRole('button', { name: 'Add a child' }).click();
  await page.getByLabel('Child 1').selectOption('UNDER_1');
  await page.getByRole('radio', { name: 'High' }).check();
  await assertLabelled(page);
  await assertAccessible(page, 'the summary step');
  if (screenshots) await shot(page, 'new-referral-summary');
  await page.getByRole('button', { name: 'Next' }).click();
  // consent
  await page.getByRole('checkbox', { name: 'Identity' }).check();
  await page.getByRole('checkbox', { name: 'Children' }).check();
  // the form's version and language, from the forms referral-service lists: the current version is preselected
  const version = page.getByLabel(/Form version/);
  expect(
    (await version.locator('option:checked').textContent()).endsWith('(current)'),
    'the current consent-form version is preselected',
  );
  await page.getByLabel(/Language of the consent form/).selectOption('pcm');
  expect(
    (
      await page
        .getByLabel(/Language of the consent form/)
        .locator('option:checked')
        .textContent()
    ).includes('Nigerian Pidgin'),
    'the consent form in Nigerian Pidgin is named',
  );
  await page.getByRole('checkbox', { name: 'An interpreter took part' }).check();
  await assertLabelled(page);
  await assertAccessible(page, 'the consent step');
  if (screenshots) await shot(page, 'new-referral-consent');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('dl.review dd', { hasText: 'Nigerian Pidgin (pcm), English (eng)' }).waitFor();
  await page.getByRole('button', { name: 'Submit referral' }).click();
  await heading(page, 'Referral · Submitted');
  const id = new URL(page.url()).hash.match(/#\/referrals\/([0-9a-f-]{36})/)[1];
  if (screenshots) await shot(page, 'referral-submitted');
  return id;
}

async function openReferral(page, id) {
  await page.goto(WEB + '/#/referrals/' + id);
  await page.reload();
  await page.locator('#summary-h').waitFor();
}

/**
 * The org-admin generates her organisation's keys on the Keys page, downloads the private keys sealed with
 * the passphrase (kept in OUT as `name`), and publishes the public keys. Returns the file and its keys.
 */
async function generateAndPublishKeys(page, passphrase, { checkMismatch = false, name } = {}) {
  await page.goto(WEB + '/#/admin/keys');
  await heading(page, 'Encryption keys');
  if (checkMismatch) {
    await page.getByLabel(/^Passphrase for the private key/).fill(passphrase);
    await page.getByLabel(/^Repeat the passphrase/).fill('something else entirely');
    await page.getByRole('button', { name: 'Download the protected private key' }).click();
    await page.locator('.field-invalid .error', { hasText: 'The passphrases differ.' }).waitFor();
  }
  await page.getByLabel(/^Passphrase for the private key/).fill(passphrase);
  await page.getByLabel(/^Repeat the passphrase/).fill(passphrase);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the protected private key' }).click(),
  ]);
  const path = join(OUT, name ?? 'keys-' + Date.now() + '.jwe');
  await download.saveAs(path);
  const file = readFileSync(path, 'utf8');
  // the file is a JWE that only the passphrase opens, holding the two private keys
  expect(decodeProtectedHeader(file).alg === 'PBES2-HS512+A256KW', 'the key file is sealed with the passphrase');
  const { plaintext } = await compactDecrypt(file, new TextEncoder().encode(passphrase), {
    keyManagementAlgorithms: ['PBES2-HS512+A256KW'],
    maxPBES2Count: 1000000,
  });
  const keys = JSON.parse(new TextDecoder().decode(plaintext)).keys;
  await page.getByText('A key pair was generated').waitFor();
  const publish = page.getByRole('button', { name: 'Publish the public key' });
  const canPublish = (await publish.count()) > 0;
  if (canPublish) {
    await publish.click();
    await page.getByRole('status').filter({ hasText: 'The public key is published.' }).waitFor();
    for (const k of keys) await page.locator('section', { hasText: 'Published keys' }).getByText(k.kid).waitFor();
  } else {
    console.log('  (this server cannot publish keys yet: the page says so)');
  }
  // the fingerprint her page shows for the encryption key, which she reads out to a sender who calls
  const encKid = keys.find((k) => k.use === 'enc').kid;
  const shownFingerprint = page.locator(`[data-fingerprint-kid="${encKid}"]`);
  const fingerprint = canPublish ? (await shownFingerprint.textContent()).trim() : null;
  if (fingerprint)
    expect(
      /^([0-9A-F]{4} ){15}[0-9A-F]{4}$/.test(fingerprint),
      'a fingerprint of 16 groups of four hex digits: ' + fingerprint,
    );
  return { path, keys, encKid, fingerprint };
}

/**
 * A tamperer who knows the receiver's public key: opens the file with the receiver's private key (as only a
 * test can), swaps the signed content, keeps the sender's signature and seals it again to the same key.
 */
async function tamper(receiverPrivateKeys, replacement) {
  const enc = receiverPrivateKeys.find((k) => k.use === 'enc');
  return async (jwe) => {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, await importJWK(enc, 'ECDH-ES+A256KW'));
    const [h, , sig] = new TextDecoder().decode(plaintext).split('.');
    const forged = h + '.' + Buffer.from(replacement).toString('base64url') + '.' + sig;
    const { epk, ...header } = protectedHeader;
    const { d, ...pub } = enc;
    return new CompactEncrypt(new TextEncoder().encode(forged))
      .setProtectedHeader(header)
      .encrypt(await importJWK(pub, 'ECDH-ES+A256KW'));
  };
}

/** The key files the case-file journey made, for the pathway journey to use again (so the published keys stay). */
const keyFiles = {};

/** An organisation's key file: the one made earlier in this run, or a new one its administrator makes and publishes. */
async function keyFileOf(org, name) {
  if (keyFiles[name]) return keyFiles[name];
  const admin = await signedIn(org.admin);
  const pass = name + ' passphrase ' + Date.now().toString(36);
  const keys = await generateAndPublishKeys(admin, pass, { name: name + '-keys.jwe' });
  await admin.context().close();
  keyFiles[name] = { ...keys, pass };
  return keyFiles[name];
}

/**
 * Clicks `button` until `done` shows: referral-service learns a key the receiver just published from the registry's
 * events, and until then refuses a file encrypted to it ("not encrypted to a current encryption key").
 */
async function untilKeyKnown(page, scope, button, done, fill) {
  for (let attempt = 1; ; attempt++) {
    if (fill) await fill();
    await scope.getByRole('button', { name: button }).click();
    const ok = scope.getByRole('status').filter({ hasText: done });
    const notYet = scope.getByRole('alert').filter({ hasText: 'not encrypted to a current encryption key' });
    await ok.or(notYet).waitFor();
    if (await ok.count()) return;
    expect(attempt < 30, "referral-service learns the receiver's published key");
    await page.waitForTimeout(500);
  }
}

const journeys = {
  async 'a referral from the directory search to acceptance, across two organisations'() {
    const sender = await signedIn(fx.sender.caseworker);
    const id = await createReferral(sender, fx.receiver, { screenshots: true });
    const receiver = await signedIn(fx.receiver.caseworker);
    await receiver.goto(WEB + '/#/referrals/received');
    await heading(receiver, 'Received referrals');
    const row = receiver.locator(`tr[data-referral="${id}"]`);
    await row.waitFor();
    expect((await row.textContent()).includes('Urgent'), 'the inbox shows the urgency');
    await assertAccessible(receiver, 'the inbox');
    await shot(receiver, 'inbox');
    await row.getByRole('link').click();
    await heading(receiver, 'Referral · Submitted');
    await receiver.getByText('Until you accept, you see only this summary').waitFor();
    expect((await receiver.locator('#consent-h').count()) === 0, 'the receiver does not see the consent record');
    await receiver.getByRole('button', { name: 'Acknowledge' }).click();
    await heading(receiver, 'Referral · Acknowledged');
    await receiver.getByRole('button', { name: 'Accept' }).click();
    await heading(receiver, 'Referral · Accepted');
    await receiver.getByRole('status').filter({ hasText: 'Accept' }).waitFor();
    await assertAccessible(receiver, 'an accepted referral');
    await shot(receiver, 'referral-accepted');
    await openReferral(sender, id);
    await heading(sender, 'Referral · Accepted');
    await sender.locator('#consent-h').waitFor();
    // the receiver works with her and closes the loop with an outcome
    const start = receiver.getByRole('button', { name: 'Start work' });
    if (await start.count()) {
      await start.click();
      await heading(receiver, 'Referral · In progress');
      await receiver.getByLabel(/^Record outcome/).selectOption('SERVICES_PROVIDED');
      await receiver.getByRole('button', { name: 'Record outcome' }).click();
      await heading(receiver, 'Referral · Completed');
      await openReferral(sender, id);
      await heading(sender, 'Referral · Completed');
      await sender.getByText('Outcome: Services provided').waitFor();
      // the timeline's steps: created, consent, submitted, acknowledged, accepted, started, completed
      await sender.locator('.steps-log li').nth(6).waitFor();
      await shot(sender, 'referral-completed');
    } else {
      console.log('  (this server cannot record the start of work yet: nothing shown)');
    }
    await sender.context().close();
    await receiver.context().close();
  },

  async 'a case file sealed in the browser, released after acceptance, decrypted and verified by the receiver, deleted after withdrawal'() {
    const stamp = Date.now().toString(36);
    const senderPass = 'sender passphrase ' + stamp;
    const receiverPass = 'receiver passphrase ' + stamp;
    // both organisations' administrators make their keys in the browser and publish the public halves
    const receiverAdmin = await signedIn(fx.receiver.admin);
    const receiverKeys = await generateAndPublishKeys(receiverAdmin, receiverPass, { name: 'receiver-keys.jwe' });
    await receiverAdmin.context().close();
    const senderAdmin = await signedIn(fx.sender.admin);
    const senderKeys = await generateAndPublishKeys(senderAdmin, senderPass, { name: 'sender-keys.jwe' });
    await senderAdmin.context().close();
    keyFiles.sender = { ...senderKeys, pass: senderPass };
    keyFiles.receiver = { ...receiverKeys, pass: receiverPass };

    // the sender's caseworker refers her, then attaches the file: signed and encrypted in this browser
    const marker =
      'Synthetic test case file ' + stamp + ': needs a women-only shelter near a clinic. Not a real person.';
    const sender = await signedIn(fx.sender.caseworker);
    const id = await createReferral(sender, fx.receiver);
    const attach = sender.locator('section.case-file');
    // before sealing she sees the receiver key's fingerprint: the one the receiver's administrator sees on her Keys page
    const senderSees = (await attach.locator('[data-receiver-fingerprint]').textContent()).trim();
    const senderSeesKid = await attach.locator('[data-receiver-key]').getAttribute('data-receiver-key');
    expect(
      senderSeesKid === receiverKeys.encKid,
      "the sender is shown the receiver's current encryption key: " + senderSeesKid,
    );
    expect(
      receiverKeys.fingerprint && senderSees === receiverKeys.fingerprint,
      "the fingerprint shown to the sender equals the one on the receiver's Keys page: " +
        senderSees +
        ' / ' +
        receiverKeys.fingerprint,
    );
    await attach.getByLabel(/^Case file \(stays in this browser/).fill(marker);
    expect(
      await attach.getByRole('checkbox', { name: 'Identity' }).isChecked(),
      "the consent's categories are declared",
    );
    await attach.getByLabel(/^Your organisation’s private key file/).setInputFiles(senderKeys.path);
    for (let attempt = 1; ; attempt++) {
      await attach.getByLabel(/^Passphrase of the private key/).fill(senderPass);
      await attach.getByRole('button', { name: 'Encrypt, sign and upload' }).click();
      const done = attach.getByRole('status').filter({ hasText: 'The encrypted case file was uploaded.' });
      // referral-service learns the receiver's new key from the registry's events: it may not have it yet
      const notYet = attach.getByRole('alert').filter({ hasText: 'not encrypted to a current encryption key' });
      await done.or(notYet).waitFor();
      if (await done.count()) break;
      expect(attempt < 30, "referral-service learns the receiver's published key");
      await sender.waitForTimeout(500);
    }
    await attach.locator('[data-case-file="status"]').getByText('Children, Identity').waitFor();
    expect(
      (await attach.getByRole('button', { name: 'Encrypt, sign and upload' }).count()) === 0,
      'one file per referral',
    );
    await assertAccessible(sender, 'an attached case file');
    await shot(sender, 'case-file-attached');

    // the receiver sees that a file waits, but it is released only after acceptance
    const receiver = await signedIn(fx.receiver.caseworker);
    await openReferral(receiver, id);
    await heading(receiver, 'Referral · Submitted');
    await receiver.getByText('It is released to you after you accept the referral.').waitFor();
    expect(
      (await receiver.getByRole('button', { name: 'Download and decrypt' }).count()) === 0,
      'no decryption before acceptance',
    );
    await receiver.getByRole('button', { name: 'Acknowledge' }).click();
    await heading(receiver, 'Referral · Acknowledged');
    await receiver.getByRole('button', { name: 'Accept' }).click();
    await heading(receiver, 'Referral · Accepted');
    const file = receiver.locator('section.case-file');
    const keyFile = file.getByLabel(/^Your organisation’s private key file \(to decrypt\)/);
    const passphrase = file.getByLabel(/^Passphrase of the private key/);
    const decrypt = file.getByRole('button', { name: 'Download and decrypt' });
    // another organisation's key file (the sender's, with its own passphrase) does not open it
    await keyFile.setInputFiles(senderKeys.path);
    await passphrase.fill(senderPass);
    await decrypt.click();
    await file.getByRole('alert').filter({ hasText: 'encrypted to another key of your organisation' }).waitFor();
    // her own key file with a wrong passphrase: said next to the passphrase
    await keyFile.setInputFiles(receiverKeys.path);
    await passphrase.fill('not the passphrase');
    await decrypt.click();
    await file.locator('.field-invalid .error', { hasText: 'The passphrase does not open this key file.' }).waitFor();
    // a file changed on its way (re-encrypted to her key, but not signed by the sender): refused, nothing shown
    const tampered = await tamper(receiverKeys.keys, 'Changed on the way ' + stamp);
    await receiver.route('**/api/v1/referrals/' + id + '/case-file', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { jwe: await tampered((await response.json()).jwe) } });
    });
    await passphrase.fill(receiverPass);
    await decrypt.click();
    await file.getByRole('alert').filter({ hasText: 'signature does not verify' }).waitFor();
    expect((await file.locator('pre.case-file-content').count()) === 0, 'a file that fails a check shows no content');
    await receiver.unroute('**/api/v1/referrals/' + id + '/case-file');
    // the file as the hub released it: decrypted and verified in her browser
    await passphrase.fill(receiverPass);
    const [released] = await Promise.all([
      receiver.waitForResponse(
        (res) => res.url().endsWith('/api/v1/referrals/' + id + '/case-file') && res.request().method() === 'GET',
      ),
      decrypt.click(),
    ]);
    const releasedJwe = (await released.json()).jwe;
    await file.getByRole('status').filter({ hasText: 'Signature verified' }).waitFor();
    const shown = await file.locator('pre.case-file-content').textContent();
    expect(shown === marker, 'the decrypted text is what the sender wrote: ' + shown);
    await file.getByText('Signed by ' + fx.sender.name).waitFor();
    await assertLabelled(receiver);
    await assertAccessible(receiver, 'a decrypted case file');
    await shot(receiver, 'case-file-decrypted');
    // she withdraws her consent: the hub destroys its copy, the receiver's page forgets the text, and the
    // receiver confirms the deletion with a receipt signed in her browser, which the hub verifies
    await openReferral(sender, id);
    await sender.getByRole('button', { name: 'Record withdrawal of consent' }).click();
    await sender.getByRole('alert').filter({ hasText: 'She has withdrawn her consent' }).waitFor();
    await sender.getByRole('button', { name: 'Record withdrawal of consent' }).click();
    await heading(sender, 'Referral · Consent withdrawn');
    await sender.locator('section.case-file').getByText('the receiver has not confirmed the deletion yet').waitFor();
    await openReferral(receiver, id);
    await heading(receiver, 'Referral · Consent withdrawn');
    expect((await receiver.locator('pre.case-file-content').count()) === 0, 'the decrypted text is gone');
    const purge = receiver.locator('section.case-file');
    await purge
      .getByLabel(/^Your organisation’s private key file \(to sign the receipt\)/)
      .setInputFiles(receiverKeys.path);
    await purge.getByLabel(/^Passphrase of the private key/).fill(receiverPass);
    await purge.getByRole('button', { name: 'Confirm the deletion' }).click();
    await purge.getByRole('status').filter({ hasText: 'The signed deletion receipt was sent.' }).waitFor();
    await openReferral(sender, id);
    await sender
      .locator('section.case-file')
      .getByText(/signed by the receiver: every copy was deleted/)
      .waitFor();
    // for WebBrowserIT: the file as the hub released it, checked and opened with tandem-client; the receipt
    writeFileSync(
      join(OUT, 'case-file.json'),
      JSON.stringify({
        referralId: id,
        marker,
        releasedJwe,
        receiverKeyFile: receiverKeys.path,
        receiverPassphrase: receiverPass,
        receiverKid: senderSeesKid,
        fingerprintShownToSender: senderSees,
        fingerprintOnReceiverKeysPage: receiverKeys.fingerprint,
      }),
    );
    await sender.context().close();
    await receiver.context().close();
  },

  async 'a declined referral is redirected to another organisation'() {
    const sender = await signedIn(fx.sender.caseworker);
    const id = await createReferral(sender, fx.receiver);
    const receiver = await signedIn(fx.receiver.caseworker);
    await openReferral(receiver, id);
    await receiver.getByRole('button', { name: 'Acknowledge' }).click();
    await heading(receiver, 'Referral · Acknowledged');
    await receiver.getByLabel('Reason for declining').selectOption('NO_CAPACITY');
    await receiver.getByRole('button', { name: 'Decline' }).click();
    await heading(receiver, 'Referral · Declined');
    await openReferral(sender, id);
    await heading(sender, 'Referral · Declined');
    await sender.getByText('Declined: No capacity').waitFor();
    await shot(sender, 'referral-declined');
    await sender.getByRole('link', { name: 'Redirect to another organisation' }).click();
    await heading(sender, 'New referral');
    await sender.getByLabel(/Receiving organisation/).fill(fx.third.id);
    await sender.locator('p.card', { hasText: fx.third.name }).waitFor();
    await sender.getByRole('button', { name: 'Next' }).click();
    // the summary comes over from the declined referral
    expect(await sender.getByRole('checkbox', { name: 'Safe accommodation' }).isChecked(), 'summary carried over');
    expect(await sender.getByRole('radio', { name: 'High' }).isChecked(), 'safety risk carried over');
    await sender.getByRole('button', { name: 'Next' }).click();
    await sender.getByRole('checkbox', { name: 'Identity' }).check();
    await sender.getByRole('button', { name: 'Next' }).click();
    await sender.getByRole('button', { name: 'Submit referral' }).click();
    await heading(sender, 'Referral · Submitted');
    // the third organisation has published no encryption key: the page says so instead of offering the upload
    await sender.locator('section.case-file').getByText('has not published an encryption key yet').waitFor();
    expect(
      (await sender.getByRole('button', { name: 'Encrypt, sign and upload' }).count()) === 0,
      "no upload without the receiver's key",
    );
    const third = await signedIn(fx.third.caseworker);
    const newId = new URL(sender.url()).hash.match(/#\/referrals\/([0-9a-f-]{36})/)[1];
    await third.goto(WEB + '/#/referrals/received');
    await third.locator(`tr[data-referral="${newId}"]`).waitFor();
    for (const p of [sender, receiver, third]) await p.context().close();
  },

  async 'an accepted referral is referred onward for her return in her pathway (CY → DE → NG) with her file passed on; an outsider sees nothing; her withdrawal reaches every holder, and each confirms the deletion'() {
    // the three organisations' keys: the first two from the case-file journey, the third's made here
    const senderKeys = await keyFileOf(fx.sender, 'sender');
    const receiverKeys = await keyFileOf(fx.receiver, 'receiver');
    const thirdKeys = await keyFileOf(fx.third, 'third');
    const stamp = Date.now().toString(36);
    const identityPart = 'Identity notes, synthetic test fixture ' + stamp + ': not a real person.';
    const childrenPart = 'Children notes, synthetic test fixture ' + stamp + ': two children, not real.';
    const sender = await signedIn(fx.sender.caseworker);
    const id = await createReferral(sender, fx.receiver);
    // the first sender attaches her file, holding her identity and her children (her consent covers both)
    const attach = sender.locator('section.case-file');
    await attach.getByLabel(/^Your organisation’s private key file/).setInputFiles(senderKeys.path);
    await untilKeyKnown(
      sender,
      attach,
      'Encrypt, sign and upload',
      'The encrypted case file was uploaded.',
      async () => {
        await attach.getByLabel(/^Case file \(stays in this browser/).fill(identityPart + '\n' + childrenPart);
        await attach.getByLabel(/^Passphrase of the private key/).fill(senderKeys.pass);
      },
    );
    const receiver = await signedIn(fx.receiver.caseworker);
    await openReferral(receiver, id);
    await receiver.getByRole('button', { name: 'Acknowledge' }).click();
    await heading(receiver, 'Referral · Acknowledged');
    await receiver.getByRole('button', { name: 'Accept' }).click();
    await heading(receiver, 'Referral · Accepted');
    // her pathway so far: this referral, at the stage the sender chose
    const step = (page, rid) => page.locator(`section.pathway tr[data-pathway-step="${rid}"]`);
    await step(receiver, id).filter({ hasText: 'First assistance and protection' }).waitFor();
    await receiver.getByRole('link', { name: 'Refer her onward' }).click();
    await heading(receiver, 'New referral');
    await receiver.getByLabel(/Receiving organisation/).fill(fx.third.id);
    await receiver.locator('p.card', { hasText: fx.third.name }).waitFor();
    // her return to Nigeria: the flow refuses to go on without the return risk assessment, then takes it
    await receiver.getByLabel(/^Stage of her pathway/).selectOption('RETURN_AND_REINTEGRATION');
    expect(
      (await receiver.getByLabel(/^End of the reflection and recovery period/).count()) === 0,
      'no reflection period for a return',
    );
    await receiver.getByRole('button', { name: 'Next' }).click();
    for (const field of ['Assessed by (role)', 'Assessed on', 'Assessed risk'])
      await receiver.locator('.field-invalid', { hasText: field }).locator('p.error').waitFor();
    await receiver.getByRole('alert').filter({ hasText: 'Please correct the fields marked below.' }).waitFor();
    await heading(receiver, 'New referral');
    await receiver.getByLabel(/^Assessed by \(role\)/).selectOption('RETURN_COUNSELLOR');
    await receiver.getByLabel(/^Assessed on/).fill(inDays(-2));
    await receiver.getByLabel(/^Assessed risk/).selectOption('MEDIUM');
    await assertLabelled(receiver);
    await assertAccessible(receiver, 'the return risk assessment');
    await receiver.getByRole('button', { name: 'Next' }).click();
    // her summary comes over from the accepted referral: she is not asked again
    expect(await receiver.getByRole('checkbox', { name: 'Safe accommodation' }).isChecked(), 'summary carried over');
    await receiver.getByRole('button', { name: 'Next' }).click();
    // her consent for the next organisation: never carried over; a return needs her own consent to return
    await receiver.getByRole('checkbox', { name: 'Identity' }).check();
    const toReturn = receiver.getByRole('checkbox', { name: /\(her consent to return\)$/ });
    expect(!(await toReturn.isChecked()), 'her consent to return is never ticked for her');
    await receiver.getByRole('button', { name: 'Next' }).click();
    await receiver
      .locator('fieldset.field-invalid', { hasText: 'She agrees to' })
      .locator('p.error', { hasText: 'A return needs her consent to return' })
      .waitFor();
    await toReturn.check();
    await receiver.getByRole('button', { name: 'Next' }).click();
    // the review names the assessment (codes and a date only) and her consent to return
    await receiver.locator('dl.review dd', { hasText: 'Return counsellor · ' + inDays(-2) + ' · Medium' }).waitFor();
    await receiver.locator('dl.review dd', { hasText: 'her consent to return' }).waitFor();
    await receiver.locator('dl.review dd', { hasText: fx.third.name + ' (NG)' }).waitFor();
    await receiver.locator('dl.review dd', { hasText: 'Return and reintegration' }).waitFor();
    await receiver.getByRole('button', { name: 'Create the onward referral' }).click();
    await heading(receiver, 'Referral · Draft');
    const onwardId = new URL(receiver.url()).hash.match(/#\/referrals\/([0-9a-f-]{36})/)[1];
    expect(onwardId !== id, 'the onward referral is a new referral');
    await receiver.getByRole('link', { name: 'Referred onward from an earlier referral' }).waitFor();
    // her pathway's timeline: the return, from Germany to Nigeria
    await step(receiver, onwardId)
      .filter({ hasText: 'Return and reintegration' })
      .filter({ hasText: fx.receiver.name + ' (DE)' })
      .filter({ hasText: fx.third.name + ' (NG)' })
      .waitFor();
    await step(receiver, id)
      .filter({ hasText: fx.sender.name + ' (CY)' })
      .waitFor();
    // she passes on the file her organisation received: opened in her browser with her organisation's key file
    const passOn = receiver.locator('section.case-file [data-pass-on]').first();
    await passOn.getByRole('heading', { name: 'Pass her file on' }).waitFor();
    await passOn.getByLabel(/^Your organisation’s private key file/).setInputFiles(receiverKeys.path);
    await passOn.getByLabel(/^Passphrase of the private key/).fill(receiverKeys.pass);
    await passOn.getByRole('button', { name: 'Open the file you received' }).click();
    await passOn
      .locator('[data-pass-on="received"]', { hasText: /Identity/ })
      .filter({ hasText: /Children/ })
      .waitFor();
    // her consent for the next organisation covers her identity only: the rest is named, and cannot be declared
    await passOn.locator('[data-pass-on="not-covered"]', { hasText: 'Children' }).waitFor();
    expect(
      await passOn.getByRole('checkbox', { name: 'Identity', exact: true }).isChecked(),
      'the covered category is declared',
    );
    expect(
      (await passOn.getByRole('checkbox', { name: 'Children', exact: true }).count()) === 0,
      'a category her new consent does not cover is not offered',
    );
    const goesOn = passOn.getByLabel(/^What goes on to the next organisation/);
    expect((await goesOn.inputValue()) === identityPart + '\n' + childrenPart, 'the received file, decrypted');
    await goesOn.fill(identityPart);
    // she must say that she removed what the consent does not cover
    await passOn.getByRole('button', { name: 'Pass her file on' }).click();
    await passOn.locator('.field-invalid', { hasText: 'Before you pass it on' }).waitFor();
    await passOn.getByRole('checkbox', { name: /^I removed everything about Children/ }).check();
    // the fingerprint of the next organisation's key, as its administrator's Keys page shows it
    expect(
      (await passOn.locator('[data-receiver-fingerprint]').textContent()).trim() === thirdKeys.fingerprint,
      "the fingerprint shown is the one on the third organisation's Keys page",
    );
    await assertLabelled(receiver);
    await assertAccessible(receiver, 'passing her file on');
    await shot(receiver, 'case-file-pass-on');
    // the section's status says how it went (the pass-on form goes once the file is attached)
    await untilKeyKnown(receiver, receiver.locator('section.case-file'), 'Pass her file on', 'Her file was passed on');
    await receiver
      .locator('section.case-file [data-case-file="status"]')
      .getByText('Identity', { exact: true })
      .waitFor();
    await receiver.getByRole('button', { name: 'Submit referral' }).click();
    await heading(receiver, 'Referral · Submitted');
    await step(receiver, id).waitFor();
    await assertLabelled(receiver);
    await assertAccessible(receiver, 'a referral with her pathway');
    await shot(receiver, 'referral-pathway');
    // the next organisation and the first sender see both referrals of the pathway
    const third = await signedIn(fx.third.caseworker);
    const seen = third.waitForResponse(
      (res) => res.url().includes('/api/v1/pathways/') && res.request().method() === 'GET',
    );
    await openReferral(third, onwardId);
    await heading(third, 'Referral · Submitted');
    // the pathway id, from the request the party's page makes for her pathway's timeline
    const pathwayAnswer = await seen;
    expect(pathwayAnswer.status() === 200, 'the pathway is shown to its parties: ' + pathwayAnswer.status());
    const pathwayUrl = pathwayAnswer.url();
    const pathwayId = pathwayUrl.match(/\/api\/v1\/pathways\/([0-9a-f-]{36})$/)[1];
    await step(third, id).filter({ hasText: fx.sender.name }).waitFor();
    await step(third, onwardId).filter({ hasText: fx.third.name }).waitFor();
    // the next organisation accepts and opens the file passed on, in its browser: only what her consent covers
    await third.getByRole('button', { name: 'Acknowledge' }).click();
    await heading(third, 'Referral · Acknowledged');
    await third.getByRole('button', { name: 'Accept' }).click();
    await heading(third, 'Referral · Accepted');
    const passed = third.locator('section.case-file');
    await passed.getByLabel(/^Your organisation’s private key file \(to decrypt\)/).setInputFiles(thirdKeys.path);
    await passed.getByLabel(/^Passphrase of the private key/).fill(thirdKeys.pass);
    const [released] = await Promise.all([
      third.waitForResponse(
        (res) => res.url().endsWith('/api/v1/referrals/' + onwardId + '/case-file') && res.request().method() === 'GET',
      ),
      passed.getByRole('button', { name: 'Download and decrypt' }).click(),
    ]);
    await passed.getByRole('status').filter({ hasText: 'Signature verified' }).waitFor();
    // signed by the organisation that passed it on, declaring her identity only
    const signed = await passed.locator('[data-case-file="opened"] p.status').textContent();
    expect(signed.includes('Signed by ' + fx.receiver.name), 'signed by the holder: ' + signed);
    expect(signed.includes('data categories: Identity.'), 'only the covered category: ' + signed);
    expect(!signed.includes('Children'), 'no category her consent does not cover: ' + signed);
    const shown = await passed.locator('pre.case-file-content').textContent();
    expect(shown === identityPart, 'only the part that went on: ' + shown);
    await assertAccessible(third, 'a passed-on case file');
    await shot(third, 'case-file-passed-on');
    const passedOn = {
      onwardReferralId: onwardId,
      releasedJwe: (await released.json()).jwe,
      passedOn: identityPart,
      notPassedOn: childrenPart,
      nextKeyFile: thirdKeys.path,
      nextPassphrase: thirdKeys.pass,
    };
    // an organisation outside her pathway sees nothing of it: the referral page shows only its not-found state,
    // and the pathway answers it the same 404 as a pathway that does not exist
    const outsider = await signedIn(fx.probe.caseworker);
    await outsider.goto(WEB + '/#/referrals/' + onwardId);
    await outsider.reload();
    await outsider.getByRole('alert').filter({ hasText: 'No referral with this id exists for you.' }).waitFor();
    await outsider.getByRole('heading', { level: 1, name: 'Referral', exact: true }).waitFor();
    expect(
      (await outsider.locator('#summary-h, section.pathway, section.case-file').count()) === 0,
      'no summary, pathway or case file for an outsider',
    );
    const outsiderSees = await outsider.locator('main').innerText();
    for (const name of [fx.sender.name, fx.receiver.name, fx.third.name])
      expect(!outsiderSees.includes(name), 'the outsider is not shown ' + name);
    await shot(outsider, 'pathway-outsider');
    const outsiderAnswer = await asUser(fx.probe.caseworker, pathwayUrl);
    const unknownAnswer = await asUser(
      fx.probe.caseworker,
      pathwayUrl.replace(pathwayId, '00000000-0000-4000-8000-000000000000'),
    );
    expect(outsiderAnswer.status === 404, 'the pathway answers 404 to an outsider: ' + outsiderAnswer.status);
    expect(unknownAnswer.status === 404, 'an unknown pathway answers 404: ' + unknownAnswer.status);
    const withoutInstance = (b) => JSON.stringify({ ...b, instance: undefined });
    expect(
      withoutInstance(await outsiderAnswer.json()) === withoutInstance(await unknownAnswer.json()),
      'the outsider learns no more than for a pathway that does not exist',
    );
    await outsider.context().close();

    await openReferral(sender, id);
    await step(sender, onwardId).filter({ hasText: 'Accepted' }).waitFor();
    // she withdraws her consent, told to the first sender in Cyprus: it reaches the whole pathway
    await sender.getByRole('button', { name: 'Record withdrawal of consent' }).click();
    await sender.getByRole('button', { name: 'Record withdrawal of consent' }).click();
    await heading(sender, 'Referral · Consent withdrawn');
    await sender.locator('section.case-file').getByText('the receiver has not confirmed the deletion yet').waitFor();
    // each holder of her file owes a deletion receipt and confirms the deletion, signed in its browser: Germany on
    // the first referral, Nigeria on the onward one (withdrawn by the hub in the same step)
    for (const [page, rid, keys] of [
      [receiver, id, receiverKeys],
      [third, onwardId, thirdKeys],
    ]) {
      await openReferral(page, rid);
      await heading(page, 'Referral · Consent withdrawn');
      expect((await page.locator('pre.case-file-content').count()) === 0, 'the decrypted text is gone');
      expect(
        (await page.getByText('Until you accept, you see only this summary').count()) === 0,
        'a withdrawn referral does not speak of accepting it',
      );
      const purge = page.locator('section.case-file');
      await purge.getByText('the receiver has not confirmed the deletion yet').waitFor();
      await purge.getByLabel(/^Your organisation’s private key file \(to sign the receipt\)/).setInputFiles(keys.path);
      await purge.getByLabel(/^Passphrase of the private key/).fill(keys.pass);
      await purge.getByRole('button', { name: 'Confirm the deletion' }).click();
      await purge.getByRole('status').filter({ hasText: 'The signed deletion receipt was sent.' }).waitFor();
      await purge.getByText(/signed by the receiver: every copy was deleted/).waitFor();
    }
    await shot(third, 'pathway-deletion-confirmed');
    // each sender sees the receipt of its receiver: Cyprus on the first referral, Germany on the onward one
    for (const [page, rid] of [
      [sender, id],
      [receiver, onwardId],
    ]) {
      await openReferral(page, rid);
      await heading(page, 'Referral · Consent withdrawn');
      await page
        .locator('section.case-file')
        .getByText(/signed by the receiver: every copy was deleted/)
        .waitFor();
    }
    // with her consent withdrawn, no party may see the pathway any more (404: no section)
    for (const [page, rid] of [
      [sender, id],
      [receiver, onwardId],
      [third, onwardId],
    ]) {
      const hidden = page.waitForResponse(
        (res) => res.url().includes('/api/v1/pathways/') && res.request().method() === 'GET',
        { timeout: T },
      );
      await openReferral(page, rid);
      await heading(page, 'Referral · Consent withdrawn');
      expect((await hidden).status() === 404, 'the pathway answers 404 once her consent has ended');
      expect((await page.locator('section.pathway').count()) === 0, 'the pathway is not shown after a 404');
    }
    writeFileSync(join(OUT, 'passed-on.json'), JSON.stringify({ ...passedOn, pathwayId }));
    for (const p of [sender, receiver, third]) await p.context().close();
  },

  async 'the sender records a withdrawal of consent'() {
    const sender = await signedIn(fx.sender.caseworker);
    const id = await createReferral(sender, fx.receiver);
    await openReferral(sender, id);
    const button = sender.getByRole('button', { name: 'Record withdrawal of consent' });
    if ((await button.count()) === 0) {
      await sender
        .getByText('Record withdrawal of consent: This part of Tandem is not available on this server yet.')
        .waitFor();
      console.log('  (this server has no consent-withdrawal endpoint yet: the page says so; nothing else to check)');
      await sender.context().close();
      return;
    }
    await button.click();
    await sender.getByRole('alert').filter({ hasText: 'She has withdrawn her consent' }).waitFor();
    await sender.getByRole('button', { name: 'Record withdrawal of consent' }).click();
    await heading(sender, 'Referral · Consent withdrawn');
    await shot(sender, 'consent-withdrawn');
    await sender.context().close();
  },

  async 'a problem from the server is shown next to the field it names, and announced'() {
    const page = await signedIn(fx.sender.caseworker);
    await page.goto(WEB + '/#/directory');
    await page.getByLabel('Country (ISO code, e.g. DE)').fill('ZZ');
    await page.getByRole('button', { name: 'Search' }).click();
    const input = page.getByLabel('Country (ISO code, e.g. DE)');
    await page.locator('.field-invalid .error').first().waitFor();
    expect((await input.getAttribute('aria-invalid')) === 'true', 'the country field is marked invalid');
    const describedBy = await input.getAttribute('aria-describedby');
    const message = await page.locator('#' + describedBy.split(' ').pop().replace(/:/g, '\\:')).textContent();
    expect(/ISO 3166/i.test(message), 'the message names the rule: ' + message);
    const alert = page.getByRole('alert').filter({ hasText: 'Please correct the fields marked below.' });
    await alert.waitFor();
    await assertAccessible(page, 'a form with a problem');
    await shot(page, 'problem-next-to-field');
    await page.context().close();
  },

  async 'the coordinator dashboard approves a membership and shows no survivor data'() {
    const page = await signedIn(fx.coordinator);
    await page.goto(WEB + '/#/dashboard');
    await heading(page, 'Network dashboard');
    await page.getByText('This dashboard shows counts and times only').waitFor();
    // the stages and the pathways, as counts under the same suppression as the rest (docs/referrals.md)
    const byStage = page.getByRole('region', { name: 'Referrals by state and stage' });
    await byStage.getByRole('columnheader', { name: 'First assistance and protection' }).waitFor();
    await byStage.getByRole('columnheader', { name: 'Criminal and civil proceedings' }).waitFor();
    const pathways = page.getByRole('region', { name: 'Pathways by number of referrals' });
    await pathways.getByRole('rowheader', { name: 'Pathways' }).waitFor();
    await pathways.getByRole('columnheader', { name: 'Four or more referrals' }).waitFor();
    const approve = page.getByRole('button', { name: 'Approve ' + fx.pending.name });
    await approve.waitFor();
    await shot(page, 'coordinator-dashboard');
    await approve.click();
    await page
      .getByRole('status')
      .filter({ hasText: fx.pending.name + ' is approved.' })
      .waitFor();
    await page.getByRole('button', { name: 'Approve ' + fx.pending.name }).waitFor({ state: 'detached' });
    await page.context().close();
  },

  async 'the org-admin updates capacity in one step and generates keys in the browser'() {
    const page = await signedIn(fx.sender.admin);
    await page.goto(WEB + '/#/admin/profile');
    await heading(page, 'Your organisation’s profile');
    await page.getByText('Membership: approved').waitFor();
    const available = page.getByRole('spinbutton', { name: /^Available/ }).first();
    await available.fill('1');
    await page.getByRole('button', { name: 'Update capacity' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    // the languages it works in, named from referral-service's list; she adds Romanian by its name
    const languages = page.getByRole('group', { name: /^Languages you work in/ });
    await languages.getByRole('button', { name: 'Remove Nigerian Pidgin (pcm)' }).waitFor();
    await languages.getByRole('button', { name: 'Remove English (eng)' }).waitFor();
    await languages.getByLabel('Find a language by its name or ISO 639-3 code').fill('roman');
    await languages.getByRole('button', { name: 'Add Romanian (ron)' }).click();
    await languages.getByRole('button', { name: 'Remove Romanian (ron)' }).waitFor();
    await assertLabelled(page);
    await assertAccessible(page, 'the profile');
    await shot(page, 'org-admin-profile');
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && /\/api\/v1\/organisations\/[^/]+$/.test(new URL(r.url()).pathname),
    );
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    expect((await saved).status() === 200, 'the whole profile is saved');
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await languages.getByRole('button', { name: 'Remove Romanian (ron)' }).waitFor();
    // the directory finds it by the language it added, with the capacity updated above
    await page.goto(WEB + '/#/directory');
    await page.getByLabel('Name contains').fill(fx.sender.name);
    await pickDirectoryLanguage(page, 'ron', 'Romanian (ron)');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .locator('li.card', { hasText: fx.sender.name })
      .getByText(/Capacity: 1 of/)
      .waitFor();
    // and not by a language it does not work in
    await pickDirectoryLanguage(page, 'ukr', 'Ukrainian (ukr)');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'No organisation matches these filters.' }).waitFor();

    const { keys } = await generateAndPublishKeys(page, 'correct horse battery staple', { checkMismatch: true });
    expect(keys.length === 2 && keys.every((k) => k.d && k.crv === 'P-256'), 'two private P-256 keys');
    expect(
      keys
        .map((k) => k.use)
        .sort()
        .join() === 'enc,sig',
      'one key for encryption, one for signatures',
    );
    await assertAccessible(page, 'the keys page');
    await shot(page, 'org-admin-keys');
    await page.context().close();
  },

  async 'the org-admin registers a webhook endpoint, sees its secret once, and reads the audit log'() {
    const page = await signedIn(fx.sender.admin);
    await page.goto(WEB + '/#/admin/webhooks');
    await heading(page, 'Webhook endpoints');
    await page.getByLabel(/^Endpoint URL/).fill('http://localhost:9/tandem-hooks');
    await page.getByLabel(/^Event types/).fill('referral.submitted, referral.accepted');
    await page.getByLabel(/^Description/).fill('Browser test endpoint');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = page.locator('code.secret');
    await secret.waitFor();
    expect((await secret.textContent()).startsWith('whsec_'), 'the signing secret is shown once');
    const card = page.locator('li.card', { hasText: 'http://localhost:9/tandem-hooks' });
    await card.waitFor();
    await assertLabelled(page);
    await assertAccessible(page, 'the webhooks page');
    await shot(page, 'org-admin-webhooks');
    await card.getByRole('button', { name: 'Disable' }).click();
    await card.getByText('disabled').waitFor();
    await page.reload();
    await heading(page, 'Webhook endpoints');
    expect((await page.locator('code.secret').count()) === 0, 'the secret is not shown again');
    await page.goto(WEB + '/#/admin/audit');
    await heading(page, 'Audit log of your organisation');
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await page.getByRole('status').filter({ hasText: 'The chain holds' }).first().waitFor();
    await page.context().close();
  },

  async 'the coordinator dashboard updates live when an organisation applies'() {
    const page = await signedIn(fx.coordinator);
    await page.goto(WEB + '/#/dashboard');
    await heading(page, 'Network dashboard');
    const feed = page.locator('#feed-h');
    await feed.waitFor();
    if (
      (await page.getByText('Live feed connected.').count()) === 0 &&
      (await page.locator('section', { has: feed }).getByText('not available').count())
    ) {
      console.log('  (this server has no live alert feed yet: the page says so)');
      await page.context().close();
      return;
    }
    await page.getByText('Live feed connected.').waitFor();
    // meanwhile an organisation applies for membership, through the API, as its org-admin
    const cfg = await (await fetch(WEB + '/config.json')).json();
    const token = await tokenOf(fx.live.admin);
    const applied = await fetch(cfg.registryUrl + '/api/v1/organisations', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: fx.live.name,
        country: fx.live.country,
        services: ['PEER_SUPPORT'],
        languages: ['eng'],
        eligibility: {
          womenOnly: true,
          acceptsMinors: false,
          minAge: 18,
          maxAge: null,
          acceptsWomenWithChildren: true,
        },
        capacity: { available: 1, maximum: 2, unit: 'PLACES' },
      }),
    });
    expect(applied.status === 201, 'the application is accepted: ' + applied.status);
    // without a reload: the alert arrives, and the approvals list shows the new applicant
    await page.locator('[data-alert-kind="MEMBERSHIP_APPLICATION"]').first().waitFor();
    await page.getByRole('button', { name: 'Approve ' + fx.live.name }).waitFor();
    await assertAccessible(page, 'the coordinator dashboard');
    await shot(page, 'coordinator-dashboard-live');
    await page.context().close();
  },

  async 'a return without a risk assessment or without her consent to return is refused, and the page says why in her language'() {
    // two return drafts her organisation's own system made through the API (WebBrowserIT): the hub refuses each
    // on submission with a problem, which the page words in the caseworker's language
    const de = await signedIn(fx.sender.caseworker, 'de');
    await openReferral(de, fx.returnDrafts.withoutAssessment);
    await heading(de, 'Vermittlung · Entwurf');
    const refused = de.waitForResponse((res) => res.url().endsWith('/submission') && res.request().method() === 'POST');
    await de.getByRole('button', { name: 'Vermittlung senden' }).click();
    const answer = await refused;
    expect(answer.status() === 422, 'the hub refuses the return without an assessment: ' + answer.status());
    expect(
      (await answer.json()).type === 'urn:problem-type:tandem:return-risk-assessment-required',
      'as a return-risk-assessment-required problem',
    );
    const alert = de.getByRole('alert').filter({ hasText: 'ohne erfasste Risikoeinschätzung zur Rückkehr' });
    await alert.waitFor();
    await alert.getByText('muss erfasst sein, bevor eine Vermittlung zur Rückkehr gesendet wird').waitFor();
    await heading(de, 'Vermittlung · Entwurf');
    expect(!/victim|opfer/i.test(await de.locator('body').innerText()), 'the refusal says survivor, never victim');
    await assertAccessible(de, 'a refused return, in German');
    await shot(de, 'return-refused-de');
    // she records the assessment on the draft (codes and a date only), and the return is submitted
    await de.getByLabel(/^Eingeschätzt von \(Rolle\)/).selectOption('RETURN_COUNSELLOR');
    await de.getByLabel(/^Eingeschätzt am/).fill(inDays(-3));
    await de.getByLabel(/^Eingeschätztes Risiko/).selectOption('MEDIUM');
    await assertLabelled(de);
    await de.getByRole('button', { name: 'Risikoeinschätzung zur Rückkehr erfassen' }).click();
    await de.getByRole('status').filter({ hasText: 'Die Risikoeinschätzung zur Rückkehr ist erfasst.' }).waitFor();
    await de.locator('dl.review dd', { hasText: 'Rückkehrberaterin' }).waitFor();
    await de.getByRole('button', { name: 'Vermittlung senden' }).click();
    await heading(de, 'Vermittlung · Gesendet');
    await de.context().close();

    const en = await signedIn(fx.sender.caseworker);
    await openReferral(en, fx.returnDrafts.withoutConsentToReturn);
    await heading(en, 'Referral · Draft');
    await en.getByRole('button', { name: 'Submit referral' }).click();
    const noConsent = en.getByRole('alert').filter({ hasText: 'without her own consent to return' });
    await noConsent.waitFor();
    await noConsent.getByText('does not include her own consent to return').waitFor();
    await heading(en, 'Referral · Draft');
    await en.context().close();
  },

  async 'the interface speaks German and never says victim'() {
    const page = await signedIn(fx.sender.caseworker, 'de');
    await page.goto(WEB + '/#/referrals/sent');
    await heading(page, 'Gesendete Vermittlungen');
    await page.getByRole('link', { name: 'Neue Vermittlung' }).click();
    await heading(page, 'Neue Vermittlung');
    await assertAccessible(page, 'the German new referral page');
    await shot(page, 'new-referral-de');
    await page.getByLabel('Sprache').selectOption('en');
    await heading(page, 'New referral');
    for (const lang of ['en', 'de']) {
      await page.getByLabel(/^(Language|Sprache)/).selectOption(lang);
      for (const hash of ['#/referrals/new', '#/directory', '#/referrals/sent']) {
        await page.goto(WEB + '/' + hash);
        await page.locator('#page-title').waitFor();
        const text = await page.locator('body').innerText();
        expect(!/victim|opfer/i.test(text), `"${hash}" in ${lang} says victim`);
      }
    }
    await page.context().close();
  },
};

const only = process.env.TANDEM_E2E_ONLY;
let failed = 0;
for (const [name, run] of Object.entries(journeys)) {
  if (only && !name.includes(only)) continue;
  const t0 = Date.now();
  try {
    await run();
    console.log(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    console.log(
      (e.stack ?? '')
        .split('\n')
        .filter((l) => l.includes('journeys.mjs'))
        .slice(0, 3)
        .join('\n'),
    );
    for (const [c, ctx] of browser.contexts().entries()) {
      for (const [i, p] of ctx.pages().entries()) {
        await p
          .screenshot({ path: join(FAILS, name.replace(/\W+/g, '-') + '-' + c + '-' + i + '.png'), fullPage: true })
          .catch(() => {});
      }
      await ctx.close().catch(() => {});
    }
  }
}
await browser.close();
console.log(failed ? `${failed} journey(s) failed; screenshots in ${FAILS}` : 'all journeys passed');
process.exit(failed ? 1 : 0);
