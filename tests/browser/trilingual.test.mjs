// The three-language fixture (tests/fixtures/trilingual: English, Chinese and Arabic) in Chromium: valid HTML,
// no axe (WCAG 2.1 AA) violations, dir="rtl" on every Arabic page and on no other, and no horizontal scrolling
// at 360px in either direction. Builds the fixture with the newest of target/{release,debug}/diptych (or $DIPTYCH).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import htmlValidateConfig from './.htmlvalidate.mjs';
import { openSite } from './browser.mjs';
import { DIPTYCH as binary, REPO as repo, pages } from './site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const out = mkdtempSync(join(tmpdir(), 'diptych-trilingual-'));
const dist = join(out, 'dist');

let site;
before(async () => {
  assert.ok(binary, 'no diptych binary: run `cargo build` first');
  execFileSync(binary, ['build', '--root', join(repo, 'tests/fixtures/trilingual'), '--output', dist], { stdio: 'pipe' });
  site = await openSite(dist);
});
after(async () => {
  await site?.close();
  rmSync(out, { recursive: true, force: true });
});

const isArabic = (path) => path.startsWith('/ar/');

test('every page is valid HTML', async () => {
  const validator = new HtmlValidate(htmlValidateConfig);
  const list = pages(dist);
  assert.ok(list.filter(({ path }) => isArabic(path)).length >= 3, 'the Arabic pages were built');
  for (const { file, path } of list) {
    const report = await validator.validateFile(file);
    const errors = report.results.flatMap((r) => r.messages.filter((m) => m.severity === 2));
    assert.deepEqual(errors.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`), [], path);
  }
});

test('Arabic pages are right to left, fit a phone and pass axe; the others are left to right', async () => {
  for (const { path } of pages(dist)) {
    const page = await site.context.newPage();
    try {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(site.origin + path, { waitUntil: 'networkidle' });
      const state = await page.evaluate(() => ({
        dir: document.documentElement.getAttribute('dir'),
        direction: getComputedStyle(document.body).direction,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }));
      const rtl = isArabic(path);
      assert.equal(state.dir, rtl ? 'rtl' : null, `${path}: dir on <html>`);
      assert.equal(state.direction, rtl ? 'rtl' : 'ltr', `${path}: text direction`);
      assert.ok(state.overflow <= 0, `${path}: ${state.overflow}px wider than a 360px window`);
      await page.evaluate(AXE_SOURCE);
      const results = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        AXE_TAGS,
      );
      assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], path);
    } finally {
      await page.close();
    }
  }
});
