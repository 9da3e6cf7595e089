// Search in the browser, in both languages, at the root and below a sub-path: the words readers type find
// the pages they need, no request leaves the site, the search page has no axe violations, and without
// JavaScript it lists every page. Run after building dist/ (it builds the sub-path copy itself with the
// newest of target/{release,debug}/diptych, or $DIPTYCH).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSite } from './browser.mjs';
import { DIPTYCH, DIST, REPO } from './site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Searches `query` on the search page of `lang`; resolves to the result links' paths, in order. */
async function search(site, base, lang, query, requests) {
  const page = await site.context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(`${site.origin}${base}${lang}/search/`);
    await page.getByRole('search').last().getByRole('searchbox').fill(query);
    await page.keyboard.press('Enter');
    await page.locator('#search-status').filter({ hasText: /\d|没有|No pages/ }).waitFor();
    const hrefs = await page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    return { hrefs, status: (await page.locator('#search-status').textContent()).trim() };
  } finally {
    await page.close();
  }
}

for (const [name, base] of [['at the root', '/'], ['below a sub-path', '/guide/']]) {
  describe(`search ${name}`, () => {
    let site;
    let tmp;
    const requests = [];
    before(async () => {
      let dist = DIST;
      if (base !== '/') {
        tmp = mkdtempSync(join(tmpdir(), 'diptych-search-'));
        dist = join(tmp, 'guide');
        execFileSync(DIPTYCH, ['build', '--root', REPO, '--output', dist, '--base-url', `https://example.org${base}`]);
        site = await openSite(tmp);
      } else {
        site = await openSite(dist);
      }
    });
    after(async () => {
      await site?.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    test('"spouse" lists the couples-reunion page first', async () => {
      const { hrefs } = await search(site, base, 'en', 'spouse', requests);
      assert.match(hrefs[0] ?? '', /couples-reunion\/$/, hrefs.join('\n'));
      assert.ok(hrefs.every((h) => h.startsWith(`${base}en/`)), hrefs.join('\n'));
    });

    test('"配偶" lists the Chinese couples-reunion page', async () => {
      const { hrefs } = await search(site, base, 'zh', '配偶', requests);
      assert.ok(hrefs.some((h) => /^.*zh\/.*couples-reunion\/$/.test(h)), hrefs.join('\n'));
      assert.ok(hrefs.every((h) => h.startsWith(`${base}zh/`)), hrefs.join('\n'));
    });

    test('"lost card" and "补发" find the renewal page', async () => {
      assert.ok((await search(site, base, 'en', 'lost card', requests)).hrefs.some((h) => /renewal\/$/.test(h)));
      assert.ok((await search(site, base, 'zh', '补发', requests)).hrefs.some((h) => /renewal\/$/.test(h)));
    });

    test('"学林路" and "Xuelin" find the Immigration Service Center', async () => {
      const centre = /offices\/immigration-service-center\/$/;
      assert.ok((await search(site, base, 'zh', '学林路', requests)).hrefs.some((h) => centre.test(h)));
      assert.ok((await search(site, base, 'en', 'Xuelin', requests)).hrefs.some((h) => centre.test(h)));
      assert.ok((await search(site, base, 'zh', 'Xuelin', requests)).hrefs.some((h) => centre.test(h)));
    });

    test('the count of results is announced', async () => {
      const { status } = await search(site, base, 'en', 'spouse', requests);
      assert.match(status, /^\d+ pages? match/);
    });

    test('a box in the header lands on the search page with the query', async () => {
      const page = await site.context.newPage();
      try {
        await page.goto(`${site.origin}${base}en/`);
        await page.locator('#search-box-q').fill('spouse');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/en\/search\/\?q=spouse$/);
        await page.locator('#search-results a').first().waitFor();
      } finally {
        await page.close();
      }
    });

    test('the search page has no axe violations in either language', async () => {
      for (const lang of ['en', 'zh']) {
        const page = await site.context.newPage();
        await page.setViewportSize({ width: 360, height: 800 });
        try {
          await page.goto(`${site.origin}${base}${lang}/search/?q=${lang === 'en' ? 'spouse' : '配偶'}`);
          await page.locator('#search-results a').first().waitFor();
          await page.addScriptTag({ content: AXE_SOURCE });
          const results = await page.evaluate(() =>
            window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
          );
          assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
        } finally {
          await page.close();
        }
      }
    });

    test('without JavaScript the search page says so and lists every page', async () => {
      const context = site.context;
      const page = await context.newPage();
      try {
        const html = await (await page.request.get(`${site.origin}${base}zh/search/?q=x`)).text();
        assert.match(html, /<noscript>/);
        const links = html.match(/<section class="search-all"[\s\S]*<\/section>/)[0].match(/<a href=/g) ?? [];
        assert.ok(links.length > 20, `${links.length} pages listed`);
      } finally {
        await page.close();
      }
    });

    test('no request leaves the site', () => {
      assert.ok(requests.length > 0);
      assert.deepEqual(requests.filter((u) => !u.startsWith(site.origin + '/')), []);
    });
  });
}
