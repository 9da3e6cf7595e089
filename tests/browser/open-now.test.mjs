// "Open now" on an office page, in the browser, at fixed Shanghai times on the tricky days: a make-up working
// Saturday, the first day of a holiday, the lunch break, 17:00 exactly, and a date the calendar does not cover.
// The dated intervals themselves are unit-tested in Rust (src/offices/hours.rs); this checks the script that
// looks the current time up in them. Run after `cargo run --release -- build`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite } from './browser.mjs';
import { DIST } from './site.mjs';

let site;
before(async () => {
  site = await openSite(DIST);
});
after(async () => {
  await site?.close();
});

/** The status line of an office page at a given Shanghai time (`2026-02-14T10:00`). */
async function statusAt(path, shanghaiTime) {
  const page = await site.context.newPage();
  try {
    await page.clock.setFixedTime(new Date(`${shanghaiTime}:00+08:00`));
    await page.goto(site.origin + path);
    const status = page.locator('#open-now');
    await status.waitFor({ state: 'visible' });
    return (await status.textContent()).trim();
  } finally {
    await page.close();
  }
}

const centre = '/en/offices/immigration-service-center/';

test('a make-up working Saturday of an office not known to open then says it may be closed', async () => {
  assert.equal(
    await statusAt(centre, '2026-02-14T10:00'),
    'Today is a make-up working day, and this office may be closed: call before you go.',
  );
});

test('the Friday before a make-up Saturday warns that the next opening is in doubt', async () => {
  const status = await statusAt(centre, '2026-02-13T18:00');
  assert.match(status, /^Closed now\. Opens Tuesday at 09:00 \(Shanghai time\) Today or the next opening is/);
});

test('the first day of a holiday is closed until the holiday ends', async () => {
  assert.equal(await statusAt(centre, '2026-10-01T10:00'), 'Closed now. Opens Thursday at 09:00 (Shanghai time)');
});

test('the lunch break is closed', async () => {
  assert.equal(await statusAt(centre, '2026-03-02T12:00'), 'Closed now. Opens today at 13:30 (Shanghai time)');
});

test('17:00 exactly is closed', async () => {
  assert.equal(await statusAt(centre, '2026-03-02T16:59'), 'Open now, until 17:00 (Shanghai time)');
  assert.equal(await statusAt(centre, '2026-03-02T17:00'), 'Closed now. Opens Tuesday at 09:00 (Shanghai time)');
});

test('the Chinese page says it in Chinese', async () => {
  assert.equal(await statusAt('/zh/offices/immigration-service-center/', '2026-03-02T10:00'), '正在办公，11:30结束（北京时间）');
  assert.equal(
    await statusAt('/zh/offices/immigration-service-center/', '2026-02-14T10:00'),
    '今天是调休上班日，该机构可能不办公，出行前请先致电核实。',
  );
});

test('a date beyond the holiday calendar says neither open nor closed, and why', async () => {
  assert.equal(
    await statusAt(centre, '2027-01-01T09:30'),
    'The holiday calendar for 2027 is not published yet: check with the office before you go.',
  );
  assert.equal(
    await statusAt('/zh/offices/immigration-service-center/', '2027-01-01T09:30'),
    '2027年的节假日安排尚未公布，出行前请先向该机构核实。',
  );
});

test('the last evening of the calendar does not name an opening beyond it', async () => {
  assert.equal(
    await statusAt(centre, '2026-12-31T18:00'),
    'The holiday calendar for 2027 is not published yet: check with the office before you go.',
  );
});

test('an office not known to close on holidays says that it may not open on one', async () => {
  const status = await statusAt('/en/offices/eea-bureau-hq/', '2026-10-01T10:00');
  assert.match(status, /^Open now, until 17:00 \(Shanghai time\) Today or the next opening is a public holiday/);
  assert.equal(await statusAt('/en/offices/eea-bureau-hq/', '2026-03-02T10:00'), 'Open now, until 17:00 (Shanghai time)');
});

test('without JavaScript the status stays hidden and the hours table says the same', async () => {
  const page = await site.context.newPage();
  try {
    await page.route('**/*.js', (route) => route.abort());
    await page.goto(site.origin + centre);
    assert.equal(await page.locator('#open-now').isHidden(), true);
    assert.match(await page.locator('table.hours').textContent(), /Monday\s*09:00–11:30, 13:30–17:00/);
  } finally {
    await page.close();
  }
});
