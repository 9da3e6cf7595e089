// The category finder on a 360×640 phone, in both languages (issue 14). Without JavaScript every question and every
// result is a page whose answers are links: following them reaches each of the 12 categories in five answers or
// fewer. With JavaScript the same guide runs in place (no page load), the back button goes back a step, the focus
// moves to the new heading and a live region announces it. axe finds nothing on the steps shown in place,
// html-validate nothing in the finder's pages, and no request leaves the site.
// Run after building the site: `npm test` (DIST=… for another folder).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HtmlValidate } from 'html-validate';
import htmlValidateConfig from './.htmlvalidate.mjs';
import { openSite } from './browser.mjs';
import { DIST, pages } from './site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const PHONE = { width: 360, height: 640 };
const LANGS = ['en', 'zh'];
const CATEGORIES = 12;
const MAX_ANSWERS = 5;

let site;
before(async () => {
  site = await openSite(DIST);
});
after(async () => {
  await site?.close();
});

/** A phone-sized page that records every request that leaves the site and every script error. */
async function phonePage({ javascript }) {
  const page = await site.context.newPage();
  const problems = [];
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(site.origin + '/') && !url.startsWith('data:')) problems.push(`external request: ${url}`);
  });
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  await page.setViewportSize(PHONE);
  if (!javascript) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  }
  return { page, problems };
}

const answerLinks = (page) => page.$$eval('.finder-answers a', (as) => as.map((a) => a.getAttribute('href')));
const resultLinks = (page) => page.$$eval('.finder-result h3 a', (as) => as.map((a) => a.getAttribute('href')));

describe('finder without JavaScript', () => {
  for (const lang of LANGS) {
    test(`/${lang}/finder/: links reach each of the ${CATEGORIES} categories in ${MAX_ANSWERS} answers or fewer`, async () => {
      const { page, problems } = await phonePage({ javascript: false });
      try {
        const reached = new Map();
        // Breadth first, so each category is reached by its shortest path; every step is followed by clicking.
        let level = [[]];
        for (let depth = 0; level.length && depth <= MAX_ANSWERS; depth += 1) {
          const next = [];
          for (const path of level) {
            await page.goto(`${site.origin}/${lang}/finder/`);
            for (const href of path) {
              // A page load, not a step shown in place: proof that the script did not run.
              await Promise.all([page.waitForEvent('domcontentloaded'), page.click(`.finder-answers a[href="${href}"]`)]);
              assert.equal(page.url(), `${site.origin}${href}`);
            }
            for (const href of await resultLinks(page)) if (!reached.has(href)) reached.set(href, depth);
            const answers = await answerLinks(page);
            const results = await resultLinks(page);
            assert.ok(answers.length || results.length, `${page.url()} is a dead end`);
            if (results.length) {
              const tel = await page.$$eval('.finder-hotline a[href^="tel:"]', (as) => as.map((a) => a.getAttribute('href')));
              assert.ok(tel.includes('tel:12367'), `${page.url()} offers no tap-to-call hotline`);
            }
            for (const href of answers) next.push([...path, href]);
          }
          level = next;
        }
        assert.equal(reached.size, CATEGORIES, `categories reached: ${[...reached.keys()].join(', ')}`);
        for (const [href] of reached) {
          const res = await page.goto(site.origin + href);
          assert.ok(res.status() < 400, `${href} answered ${res.status()}`);
          assert.ok(href.startsWith(`/${lang}/categories/`), `${href} is not a category of /${lang}/`);
        }
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  }
});

describe('finder with JavaScript', () => {
  for (const lang of LANGS) {
    test(`/${lang}/finder/: runs in place, with back, focus and announcement, and axe finds nothing`, async () => {
      const { page, problems } = await phonePage({ javascript: true });
      try {
        await page.goto(`${site.origin}/${lang}/finder/`, { waitUntil: 'networkidle' });
        await page.evaluate(() => {
          window.__samePage = true;
        });
        const reached = new Set();
        const violations = [];
        // Depth first through every answer, going back with the browser's back button after each.
        async function walk(depth) {
          assert.ok(depth <= MAX_ANSWERS, `${page.url()} is more than ${MAX_ANSWERS} answers deep`);
          const answers = await answerLinks(page);
          for (const href of answers) {
            const before = page.url();
            await page.click(`.finder-answers a[href="${href}"]`);
            await page.waitForURL(`${site.origin}${href}`);
            assert.ok(await page.evaluate(() => window.__samePage), `${href} loaded a new page`);
            const focused = await page.evaluate(() => document.activeElement?.id);
            assert.equal(focused, 'finder-heading', `${href}: the focus is not on the new heading`);
            const heading = await page.textContent('#finder-heading');
            assert.equal(await page.textContent('#finder-live'), heading, `${href}: the step is not announced`);
            const results = await resultLinks(page);
            results.forEach((r) => reached.add(r));
            if (results.length && violations.length === 0) {
              await page.evaluate(AXE_SOURCE);
              const found = await page.evaluate(
                (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
                AXE_TAGS,
              );
              violations.push(...found.violations.map((v) => `${href}: axe ${v.id}: ${v.help}`));
            }
            if (!results.length) await walk(depth + 1);
            await page.goBack();
            await page.waitForURL(before);
            assert.ok(await page.evaluate(() => window.__samePage), `back to ${before} loaded a new page`);
            assert.deepEqual(await answerLinks(page), answers, `back to ${before} does not show its question`);
          }
        }
        await walk(1);
        assert.equal(reached.size, CATEGORIES, `categories reached in place: ${[...reached].join(', ')}`);
        assert.deepEqual(violations, []);
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  }
});

describe('finder pages', () => {
  test('html-validate finds nothing in the finder pages', async () => {
    const validator = new HtmlValidate(htmlValidateConfig);
    const finderPages = pages().filter((p) => /^\/(en|zh)\/finder\//.test(p.path));
    assert.ok(finderPages.length > 2, `only ${finderPages.length} finder pages`);
    for (const { file, path } of finderPages) {
      const report = await validator.validateFile(file);
      const errors = report.results.flatMap((r) => r.messages).filter((m) => m.severity === 2);
      assert.deepEqual(errors.map((m) => `${path}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`), []);
    }
  });
});
