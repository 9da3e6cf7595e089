// The task-first theme on a 360×640 phone, in both languages (issue 14): the home page's first screen offers the
// reader's tasks and the search box, the menu reaches every item without sideways scrolling, an office page shows
// the Chinese address for the taxi on its first screen, and every phone number a reader can see is a tap-to-call
// link.
// Run after building the site: `npm test` (DIST=… for another folder).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite } from './browser.mjs';
import { DIST, pages } from './site.mjs';

const PHONE = { width: 360, height: 640 };
// ONLY=regex checks just the pages whose URL path matches, as in check.test.mjs.
const only = (path) => !process.env.ONLY || new RegExp(process.env.ONLY).test(path);
const LANGS = ['en', 'zh'];
// The tasks the home page must offer first, by the page each one leads to.
const TASK_PAGES = ['finder/', 'how-to-apply/', 'offices/', 'renewal/'];

let site;
before(async () => {
  site = await openSite(DIST);
});
after(async () => {
  await site?.close();
});

/** Opens `path` at the phone size and runs `fn(page)`. */
async function onPhone(path, fn) {
  const page = await site.context.newPage();
  try {
    await page.setViewportSize(PHONE);
    const res = await page.goto(site.origin + path, { waitUntil: 'networkidle' });
    assert.ok(res && res.status() < 400, `${path} answered ${res?.status()}`);
    return await fn(page);
  } finally {
    await page.close();
  }
}

/** Where each element matching `selector` is on the page (not the viewport), with its href and text. */
function boxes(page, selector) {
  return page.$$eval(selector, (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return {
        href: el.getAttribute('href'),
        text: el.textContent.trim(),
        visible: el.checkVisibility(),
        top: r.top + window.scrollY,
        bottom: r.bottom + window.scrollY,
        left: r.left,
        right: r.right,
        height: r.height,
      };
    }),
  );
}

describe('home page at 360×640', () => {
  for (const lang of LANGS) {
    test(`/${lang}/: the four tasks are on the first screen, before the introduction`, async () => {
      await onPhone(`/${lang}/`, async (page) => {
        const tasks = await boxes(page, '.tasks a');
        for (const target of TASK_PAGES) {
          const task = tasks.find((t) => t.href === `/${lang}/${target}`);
          assert.ok(task, `no task leads to /${lang}/${target}: ${JSON.stringify(tasks.map((t) => t.href))}`);
          assert.ok(task.bottom <= PHONE.height, `task "${task.text}" ends at y=${task.bottom}, below the first screen`);
          assert.ok(task.height >= 44, `task "${task.text}" is ${task.height}px high, under 44px`);
        }
        const first = await page.evaluate(() => {
          const tasks = document.querySelector('.tasks');
          const intro = document.querySelector('.home .prose p');
          return !!intro && !!(tasks.compareDocumentPosition(intro) & Node.DOCUMENT_POSITION_FOLLOWING);
        });
        assert.ok(first, 'the tasks come before the introduction text');
      });
    });

    test(`/${lang}/: the search box is on the first screen, labelled, with room to type`, async () => {
      await onPhone(`/${lang}/`, async (page) => {
        const box = page.getByRole('search').first().getByRole('searchbox');
        assert.ok(await box.isVisible(), 'a visible search field');
        const r = await box.boundingBox();
        assert.ok(r.y + r.height <= PHONE.height, `the search field ends at y=${r.y + r.height}, below the first screen`);
        assert.ok(r.width >= 120 && r.height >= 24, `the search field is ${r.width}×${r.height}px`);
        assert.ok(r.x >= 0 && r.x + r.width <= PHONE.width, 'the search field fits the screen');
      });
    });
  }
});

describe('phone menu at 360×640', () => {
  for (const lang of LANGS) {
    test(`/${lang}/: the menu opens without JavaScript and shows every item without sideways scrolling`, async () => {
      await onPhone(`/${lang}/`, async (page) => {
        const summary = page.locator('.site-nav summary');
        await summary.waitFor({ state: 'visible' });
        const closed = await summary.boundingBox();
        assert.ok(closed.height >= 44, `the menu button is ${closed.height}px high, under 44px`);
        assert.ok((await summary.textContent()).trim().length > 0, 'the menu button has a name');
        // Opened from the keyboard, as a reader without a mouse would.
        await summary.focus();
        await page.keyboard.press('Enter');
        const items = await boxes(page, '.site-nav .menu-phone a');
        const wide = await page.$$eval('.site-nav .menu-wide a', (links) => links.map((a) => a.getAttribute('href')));
        assert.deepEqual(items.map((i) => i.href), wide, 'the phone menu has every item of the menu');
        for (const target of TASK_PAGES) {
          assert.ok(items.some((i) => i.href === `/${lang}/${target}`), `the menu has no item for /${lang}/${target}`);
        }
        for (const item of items) {
          assert.ok(item.visible, `${item.href} is not visible in the open menu`);
          assert.ok(item.left >= 0 && item.right <= PHONE.width, `${item.href} runs off the screen (x ${item.left}–${item.right})`);
          assert.ok(item.height >= 44, `${item.href} is ${item.height}px high, under 44px`);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px with the menu open`);
        const menuScrolls = await page.$eval('.site-nav .menu-phone ul', (ul) => ul.scrollWidth > ul.clientWidth);
        assert.ok(!menuScrolls, 'the open menu scrolls sideways');
      });
    });
  }
});

describe('office page at 360×640', () => {
  const offices = pages()
    .map((p) => p.path)
    .filter((p) => /^\/(en|zh)\/offices\/[^/]+\/$/.test(p) && only(p));
  if (!process.env.ONLY) test('there are office pages to check', () => assert.ok(offices.length > 0));
  for (const path of offices) {
    test(`${path}: the Chinese address for the taxi is on the first screen`, async () => {
      await onPhone(path, async (page) => {
        const [b] = await boxes(page, '.address-big');
        if (!b) return; // an office whose address is not known has nothing to show a driver
        assert.ok(b.bottom <= PHONE.height, `the address ends at y=${Math.round(b.bottom)}, below the 640px screen`);
      });
    });
  }
});

describe('phone numbers', () => {
  for (const { path } of pages().filter(({ path }) => only(path))) {
    test(`${path}: every visible phone number is a tel: link on one line`, async () => {
      await onPhone(path, async (page) => {
        const { plain, links } = await page.evaluate(() => {
          // 12367, +86 21 12367, 021-28951900 and the like; dates (2026-12-02) and amounts do not match.
          const NUMBER = /\+86[\s-]?\d{2}[\s-]?\d{4,8}|(?<![\d-])0\d{2}-\d{7,8}(?!\d)|(?<![\d-])12367(?!\d)/g;
          const plain = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            // A number inside another link is part of a title (a source's), and citations quote their source.
            if (el.closest('a, script, style, .provenance') || !el.checkVisibility()) continue;
            for (const m of node.textContent.matchAll(NUMBER)) plain.push(`"${m[0]}" in <${el.tagName.toLowerCase()}>: ${node.textContent.trim().slice(0, 80)}`);
          }
          const links = [...document.querySelectorAll('a[href^="tel:"]')].map((a) => ({
            text: a.textContent,
            href: a.getAttribute('href'),
            nowrap: getComputedStyle(a).whiteSpace === 'nowrap',
          }));
          return { plain, links };
        });
        assert.deepEqual(plain, [], `phone numbers that are not tel: links:\n${plain.join('\n')}`);
        for (const link of links) {
          assert.ok(link.nowrap, `${link.href} may break across lines`);
          assert.equal(link.href.replace(/^tel:/, ''), link.text.replace(/[\s-]/g, '').replace(/^0(\d{2})(\d{8})$/, '+86$1$2'), `${link.href} dials something else than it shows (${link.text})`);
        }
        if (links.some((l) => l.href === 'tel:12367')) {
          assert.ok(links.some((l) => l.href === 'tel:+862112367'), 'the hotline is given without the number to dial from abroad');
        }
      });
    });
  }
});
