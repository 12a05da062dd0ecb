// The duty ranking and interview pages in headless Chromium (issue #6), opened as the links of the
// notices and cards are, with a simulator authCode: the legal representative confirms attendance
// on the interview page (as its to-do asks, issue #21); the regulator sees the jurisdiction's ranking
// and records an interview's outcome with one commitment; the unit's manager sees the unit's
// ranking with what to do, and marks the commitment done, which closes the interview.
import type { Browser, Page } from 'playwright-core';
import { assertChromium, launchChromium } from '../helpers/browser';
import { shanghaiDate } from '../../core/domain/working-days';
import { createWorld, type World } from '../helpers/fixtures';
import { screenshotter } from '../helpers/output';
import { addUsers, startTestRuntime, type TestRuntime } from '../helpers/runtime';

const screenshot = screenshotter('ranking-interview');
let t: TestRuntime;
let w: World;
let browser: Browser;
let interviewId: string;

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime();
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  await t.db.prisma.dutyRanking.create({
    data: {
      period: '2026-07',
      regionCode: '330110',
      unitId: w.unitId,
      category: 'FLAMMABLE',
      score: 55,
      rank: 10,
      total: 10,
      percentile: 90,
      bottom: true,
      consecutiveBottom: 2,
      fractions: [1, 0.75, 1, 0, 0, 1],
      points: [25, 15, 10, 0, 0, 10],
      weights: [25, 20, 10, 15, 20, 10],
      counts: [0, 0, 1, 0, 0, 0, 0, 0],
      publishedAt: new Date(Date.now() - 86_400_000),
    },
  });
  const iv = await t.db.prisma.interview.create({
    data: {
      unitId: w.unitId,
      reason: '连续 2 期排名后 10%，此前已提醒',
      status: 'NOTIFIED',
      scheduledAt: new Date(Date.now() - 3600_000),
      place: '余杭区气象局三楼会议室',
      createdById: w.regulatorId,
    },
  });
  interviewId = iv.id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Opens a path signed in as a DingTalk user (the page stores the session for later visits in this tab). */
async function open(userId: string, path: string): Promise<Page> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(
    `${t.runtime.httpUrl}${path}${path.includes('?') ? '&' : '?'}authCode=${encodeURIComponent(code)}&corpId=${t.sim.app.corpId}`,
  );
  return page;
}

test('the legal representative confirms attendance on the interview page', async () => {
  const page = await open(w.users[2]!.userId, `/m/interviews/${interviewId}`);
  await page.getByLabel('改期理由').waitFor({ timeout: 10_000 });
  await screenshot(page, 'interview-to-confirm');
  await page.getByRole('button', { name: '确认参加' }).click();
  await page.locator('.banner', { hasText: '已确认参加' }).waitFor({ timeout: 10_000 });
  await screenshot(page, 'interview-confirmed');
  expect(await page.locator('dd', { hasText: '张法人' }).count()).toBe(1);
  expect(await page.getByRole('button', { name: '确认参加' }).count()).toBe(0);
  // Asking to reschedule stays possible until the interview is held.
  expect(await page.getByRole('button', { name: '申请改期' }).count()).toBe(1);
  const iv = await t.db.prisma.interview.findUniqueOrThrow({ where: { id: interviewId }, include: { acks: true } });
  expect([iv.status, iv.acks.map((a) => a.personId)]).toEqual(['ACKNOWLEDGED', [w.legalRepId]]);
});

test('the regulator sees the ranking of the jurisdiction and records the outcome', async () => {
  const page = await open(w.users[0]!.userId, '/m/ranking/2026-07');
  await page.locator('a.card', { hasText: '杭州测试石化仓储有限公司' }).waitFor({ timeout: 10_000 });
  expect(await page.locator('a.card .unit').first().textContent()).toContain('第 10 / 10 名');

  await page.goto(`${t.runtime.httpUrl}/m/interviews/${interviewId}`);
  await page.locator('textarea.comment').waitFor({ timeout: 10_000 });
  await page.fill('textarea.comment', '法定代表人到场，承认应急预案缺失，承诺限期整改。');
  await page.getByLabel('整改承诺 1').fill('修订防雷应急预案并组织演练');
  await page.getByLabel('承诺完成日期 1').fill(shanghaiDate(new Date(Date.now() + 7 * 86_400_000)));
  await page.getByRole('button', { name: '登记约谈结果' }).click();
  await page.locator('.banner', { hasText: '约谈结果已登记' }).waitFor({ timeout: 10_000 });
  expect(await page.locator('dt', { hasText: '修订防雷应急预案并组织演练' }).count()).toBe(1);
  expect((await t.db.prisma.interview.findUniqueOrThrow({ where: { id: interviewId } })).status).toBe('HELD');
});

test('the manager sees the ranking of the unit with what to do and closes the commitment', async () => {
  const page = await open(w.users[1]!.userId, `/m/ranking/2026-07/units/${w.unitId}`);
  await page.locator('.score', { hasText: '第 10 / 10 名' }).waitFor({ timeout: 10_000 });
  expect(await page.locator('dd', { hasText: '建议：委托有资质的检测机构' }).count()).toBe(1);

  await page.goto(`${t.runtime.httpUrl}/m/interviews/${interviewId}`);
  await page.getByRole('button', { name: '已完成' }).click();
  await page.locator('.banner', { hasText: '约谈已办结' }).waitFor({ timeout: 10_000 });
  expect((await t.db.prisma.interview.findUniqueOrThrow({ where: { id: interviewId } })).status).toBe('CLOSED');
});
