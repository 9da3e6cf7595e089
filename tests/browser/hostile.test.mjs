// Pages built from hostile content (tests/fixtures/hostile: every text field holds `</script><!--<script>…`
// and an `<img onerror>`, the Markdown holds the raw HTML that check lets through) load in Chromium without
// running any of it: no `window.__pwned`, no changed title, no dialog, and the JSON-LD still parses.
// Builds the fixture with the newest of target/{release,debug}/diptych (or $DIPTYCH).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSite } from './browser.mjs';
import { DIPTYCH as binary, REPO as repo, pages } from './site.mjs';

const out = mkdtempSync(join(tmpdir(), 'diptych-hostile-'));
const dist = join(out, 'dist');

let site;
before(async () => {
  assert.ok(binary, 'no diptych binary: run `cargo build` first');
  execFileSync(binary, ['build', '--root', join(repo, 'tests/fixtures/hostile'), '--output', dist], { stdio: 'pipe' });
  site = await openSite(dist);
});
after(async () => {
  await site?.close();
  rmSync(out, { recursive: true, force: true });
});

test('no script from content runs on any page', async () => {
  const list = pages(dist);
  assert.ok(list.length >= 5, `only ${list.length} pages built`);
  for (const { path } of list) {
    const page = await site.context.newPage();
    const dialogs = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    try {
      await page.goto(site.origin + path, { waitUntil: 'load' });
      // Handlers on images that fail to load fire after `load` in some orders: give them a moment.
      await page.waitForTimeout(100);
      const state = await page.evaluate(() => ({ pwned: window.__pwned, title: document.title }));
      assert.equal(state.pwned, undefined, `${path}: a script from content ran`);
      assert.notEqual(state.title, 'pwned', `${path}: a script from content changed the title`);
      assert.deepEqual(dialogs, [], `${path}: a dialog opened`);
    } finally {
      await page.close();
    }
  }
});

test('the office page shows the hostile name as text and its JSON-LD parses', async () => {
  const page = await site.context.newPage();
  try {
    await page.goto(site.origin + '/en/offices/centre/', { waitUntil: 'load' });
    const heading = await page.locator('h1').first().textContent();
    assert.match(heading, /^Centre <\/script><!--<script>window.__pwned=1/);
    const ld = await page.evaluate(() => JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent));
    assert.match(ld.name, /^Centre <\/script><!--<script>/);
    // The footer comes after the JSON-LD and the name: a break-out would have swallowed it.
    assert.ok(await page.locator('footer').count(), 'the page was cut short');
  } finally {
    await page.close();
  }
});
