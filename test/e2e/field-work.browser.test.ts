// Issue #22 "Done when", in headless Chromium against the simulator as DingTalk, with the same
// runtime as `npm start` (scheduler jobs, outbox, cards):
//   1. A 乙级 agency's staff member files a testing plan on /m/test-plans: refused for a class-2
//      unit (qualification) and for a tester whose certificate has expired, in Chinese next to the
//      field, nothing written; then filed. The unit's manager and the regulators get the plan card
//      (seen in the simulator's chat UI). The tester opens the unit's code URL as DingTalk's scanner
//      does, allows the location, and starts the field record; the report follows within the
//      deadline. A second plan is never scanned: the report-deadline job reminds the agency, marks
//      it late, tells the agency and lists it to the regulators; its report trips R13 and a report
//      without any plan R14 (notices in the regulator's chat); the yearly credit job moves the
//      agency's `report.late` indicator by the points of the README's table.
//   2. Two bureaus scan in to the same unit within INSPECTION_REPEAT_WARN_DAYS (one with the
//      location refused by the browser): both are warned in chat; the first visit's combined
//      checklist (一表通查) holds the open hazards and the report's failed measurement. At the cap a
//      third scan-in asks for a reason (refused without one, nothing written) and a draw leaves the
//      unit out until the regulator includes it with a reason; the leader's digest lists both. The
//      manager's unit page shows the planned test, its field record, the report and the year's
//      inspections against the cap.
// Every page is saved as a screenshot in test-output/field-work/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import request from 'supertest';
import type { Unit } from '../../core/db/generated/client';
import { addWorkingDays, shanghaiDate } from '../../core/domain/working-days';
import { createHazard, createOrg, createPerson, createUnit, ensureRegion } from '../factories';
import { assertChromium, launchChromium, scrollIntoViewWhenStill } from '../helpers/browser';
import { deliveriesSettled } from '../helpers/deliveries';
import { screenshotter } from '../helpers/output';
import type { JobName } from '../../workflows/job-queues';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../helpers/runtime';
import { signIn } from '../helpers/session';
import { tableDigests } from '../helpers/table-digests';

const screenshot = screenshotter('field-work');
const AGENCY_USCC = '91330105MA2B000060';
const TOKEN = 'field-work-e2e-token-0123456789';
const DAY = 86_400_000;
const today = shanghaiDate(new Date());
/** Where the phones are: about 95 m from the first unit's registered position (30.43, 120.31). */
const PHONE = { latitude: 30.4306, longitude: 120.3107, accuracy: 20 };

let t: TestRuntime;
let browser: Browser;
/** Phones that allow the location, and one whose browser refuses it. */
let allowing: BrowserContext;
let refusing: BrowserContext;
let chat: Page;
const users = {
  staff: { userId: 'fw_e2e_staff', name: '孙检测' },
  staff2: { userId: 'fw_e2e_staff2', name: '赵检测' },
  manager: { userId: 'fw_e2e_mgr', name: '陈经理' },
  manager2: { userId: 'fw_e2e_mgr2', name: '李经理' },
  county: { userId: 'fw_e2e_county', name: '周执法' },
  county2: { userId: 'fw_e2e_county2', name: '钱执法' },
  city: { userId: 'fw_e2e_city', name: '吴执法' },
  city2: { userId: 'fw_e2e_city2', name: '郑执法' },
  leader: { userId: 'fw_e2e_leader', name: '林局长' },
};
const ids: Record<string, string> = {};
const units: Record<'u1' | 'u2' | 'u3' | 'class2', Unit> = {} as never;

beforeAll(async () => {
  assertChromium();
  t = await startTestRuntime({
    httpPort: true,
    env: {
      TEST_REPORT_API_TOKENS: JSON.stringify({ [AGENCY_USCC]: TOKEN }),
      INSPECTION_CAP_PER_YEAR: '{"*":2}',
      INSPECTION_REPEAT_WARN_DAYS: '30',
      // The full digest whatever day the test runs (rest days default to the short form).
      DIGEST_ON_HOLIDAYS: 'send',
    },
  });
  const p = t.db.prisma;
  await ensureRegion(p, '330100', '杭州市');
  await ensureRegion(p, '330110', '余杭区');
  const county = await createOrg(p, { name: '杭州市余杭区气象局', regionCode: '330110' });
  const city = await createOrg(p, { name: '杭州市气象局', regionCode: '330100' });
  // The first unit is in the county's 双随机 pool (an open 重大隐患); the others qualify for code
  // inspections (credit A, green), so the pool holds the first unit only.
  const byCode = { creditLevel: 'A', riskColor: 'GREEN', category: 'TALL', halfYearCycle: false } as const;
  units.u1 = await createUnit(p, {
    name: '余杭未来科技城会展中心',
    category: 'CROWDED',
    lpClass: 3,
    halfYearCycle: false,
    riskColor: 'YELLOW',
    lat: 30.43,
    lng: 120.31,
    supervisingOrgId: county.id,
  });
  units.u2 = await createUnit(p, { ...byCode, name: '良渚文化艺术中心', lpClass: 3, supervisingOrgId: county.id });
  units.u3 = await createUnit(p, { ...byCode, name: '仓前街道综合楼', lpClass: 3, supervisingOrgId: county.id });
  units.class2 = await createUnit(p, {
    ...byCode,
    name: '余杭化工仓储有限公司',
    lpClass: 2,
    supervisingOrgId: county.id,
  });
  ids.hazardMajor = (
    await createHazard(p, {
      unitId: units.u1.id,
      type: 'AIR_TERM',
      grade: 'MAJOR',
      description: '3 号展厅屋面接闪带断开 2 处',
    })
  ).id;
  ids.hazardGeneral = (
    await createHazard(p, { unitId: units.u1.id, type: 'SPD_FAIL', description: '配电房电涌保护器劣化指示窗变红' })
  ).id;
  const person = async (key: keyof typeof users, over: object) =>
    (await createPerson(p, { name: users[key].name, dingUserId: users[key].userId, ...over })).id;
  ids.county = await person('county', { roles: ['REGULATOR'], orgId: county.id });
  ids.county2 = await person('county2', { roles: ['REGULATOR'], orgId: county.id });
  ids.city = await person('city', { roles: ['REGULATOR'], orgId: city.id });
  ids.city2 = await person('city2', { roles: ['REGULATOR'], orgId: city.id });
  ids.leader = await person('leader', { roles: ['LEADER'], orgId: city.id });
  ids.manager = await person('manager', { unitId: units.u1.id });
  ids.manager2 = await person('manager2', { unitId: units.u2.id });
  const agency = await p.agency.create({
    data: {
      uscc: AGENCY_USCC,
      name: '示例防雷检测技术有限公司',
      level: 'B',
      certNo: '浙雷检乙-2024-017',
      certValidUntil: new Date(Date.now() + 700 * DAY),
      homeProvince: '330000',
    },
  });
  ids.agency = agency.id;
  ids.staff = await person('staff', { roles: ['AGENCY_STAFF'], agencyId: agency.id });
  ids.staff2 = await person('staff2', { roles: ['AGENCY_STAFF'], agencyId: agency.id });
  const tester = async (name: string, validDays: number, personId?: string) =>
    (
      await p.tester.create({
        data: {
          agencyId: agency.id,
          name,
          certNo: `ZJ-FL-${name.length}${validDays}`,
          certValidUntil: new Date(Date.now() + validDays * DAY),
          personId,
        },
      })
    ).id;
  ids.t1 = await tester('孙检测', 400, ids.staff);
  ids.t2 = await tester('赵检测', 400, ids.staff2);
  ids.tExpired = await tester('过期检测员', -30);
  await addUsers(t, Object.values(users));
  // The mini-app's home page: links to it from cards open it signed in (免登), as in DingTalk.
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}`, {
    homepageUrl: `${t.runtime.deps.publicBaseUrl}/m/tasks`,
  });

  browser = await launchChromium();
  allowing = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await allowing.grantPermissions(['geolocation']);
  await allowing.setGeolocation(PHONE);
  // No permission granted: the browser refuses the location when the page asks.
  refusing = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  chat = await allowing.newPage();
  await chat.goto(t.sim.url);
  await chat.locator('#viewer option').first().waitFor({ state: 'attached', timeout: 10_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** As `who`, `url` opened in the mini-app signed in by 免登 (a fresh authCode, as DingTalk gives it). */
async function openMiniapp(who: keyof typeof users, url: string, ctx = allowing): Promise<Page> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: users[who].userId });
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${url}${url.includes('?') ? '&' : '?'}authCode=${encodeURIComponent(code)}`);
  await page.locator('#who', { hasText: users[who].name }).waitFor({ timeout: 15_000 });
  return page;
}

/** The chat of `who` in the simulator's UI, once a message holding every text has arrived. */
async function seenInChat(who: keyof typeof users, texts: string[], kind: '.icard' | '.msg' = '.msg') {
  await chat.bringToFront();
  await chat.locator('#viewer').selectOption(users[who].userId);
  let found = chat.locator(kind);
  for (const text of texts) found = found.filter({ hasText: text });
  await found.first().waitFor({ timeout: 20_000 });
  // The chat re-renders as messages arrive: scroll to the message once it holds still.
  await scrollIntoViewWhenStill(found.first());
  return found.first();
}

/** The signed code URL printed on a unit's sign (what its QR encodes). */
async function codeUrl(unitId: string): Promise<string> {
  const bearer = await signIn(t, users.county.userId);
  const res = await request(t.runtime.httpUrl!).get(`/api/m/units/${unitId}/code`).set('Authorization', bearer);
  expect(res.status).toBe(200);
  return res.body.url as string;
}

/** Runs `act` (a refused step in a page) and checks that no table changed. */
async function writesNothing(act: () => Promise<void>): Promise<void> {
  await deliveriesSettled(t.db.prisma);
  const before = await tableDigests(t.db.prisma);
  await act();
  expect(await tableDigests(t.db.prisma)).toEqual(before);
}

/** Enqueues a job as the scheduler or an operator would, and waits for it and its notices. */
async function runJob(name: JobName, data: object): Promise<void> {
  const id = await t.runtime.queues.enqueue(name, data);
  await waitFor(
    async () => (await t.runtime.queues.byName.system.getJobState(id!)) === 'completed' || undefined,
    20_000,
    `${name} done`,
  );
  await deliveriesSettled(t.db.prisma);
}

function report(unit: Unit, over: Record<string, unknown> = {}) {
  return {
    reportNo: `FLJC-${unit.name.length}-${Math.random().toString(36).slice(2, 9)}`,
    unitUscc: unit.uscc,
    testerIds: [ids.t1, ids.t2],
    inspectionDate: today,
    issueDate: today,
    photos: [{ hash: Math.random().toString(16).slice(2).padEnd(16, '0') }],
    instruments: [
      {
        name: '接地电阻测试仪',
        certNo: 'JD-2026-118',
        calibratedUntil: shanghaiDate(new Date(Date.now() + 300 * DAY)),
      },
    ],
    measurements: [
      { item: '接地电阻', location: '1号展厅', value: 3.2, unit: 'Ω', limit: 10, pass: true },
      { item: '过渡电阻', location: '配电房', value: 0.02, unit: 'Ω', limit: 0.03, pass: true },
    ],
    conclusion: 'PASS',
    file: { name: 'report.pdf', contentBase64: Buffer.from(`%PDF-1.4 ${unit.name}`).toString('base64') },
    ...over,
  };
}

const submitReport = (body: object) =>
  request(t.runtime.httpUrl!).post('/api/test-reports').set('Authorization', `Bearer ${TOKEN}`).send(body);

/** The README's table of credit weights: indicator → points each and the most it may cost. */
function creditTable(): Map<string, { each: number; atMost: number | null }> {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Agency credit.**'));
  const rows = new Map<string, { each: number; atMost: number | null }>();
  const num = (s: string) => Number(s.trim().replace('−', '-'));
  for (const line of section.split('\n')) {
    const m = /^\| `([a-z.]+)` \|[^|]+\|([^|]+)\|([^|]+)\|/.exec(line);
    if (m) rows.set(m[1]!, { each: num(m[2]!), atMost: m[3]!.trim() === '—' ? null : num(m[3]!) });
    else if (rows.size > 0 && !line.startsWith('|')) break;
  }
  return rows;
}

async function credit(year: number) {
  await runJob('credit.evaluate', { year });
  const row = await t.db.prisma.creditEval.findUniqueOrThrow({
    where: { agencyId_year: { agencyId: ids.agency!, year } },
  });
  return { score: row.score, items: row.items as Array<{ key: string; count: number; points: number }> };
}

test('a plan from filing to a report on time; a late report without a scan: R13, R14, notices, credit', async () => {
  const base = t.runtime.deps.publicBaseUrl;
  const p = t.db.prisma;

  // 1. The agency's staff member files a plan in the mini-app.
  const plans = await openMiniapp('staff', `${base}/m/test-plans`);
  const form = plans.locator('form', { hasText: '提交检测计划' });
  await form.waitFor({ timeout: 15_000 });
  const tick = (name: string) => form.locator('label.check', { hasText: name }).locator('input');
  await form.locator('input[name=unitUscc]').fill(units.class2.uscc);
  await form.locator('input[name=plannedDate]').fill(today);
  await tick('孙检测').check();
  await tick('赵检测').check();
  await tick('接闪器').check();
  await tick('接地装置').check();
  // The expired certificate is shown as such in the list already.
  await expect(form.locator('label.check', { hasText: '过期检测员' }).textContent()).resolves.toContain('（已过期）');
  await writesNothing(async () => {
    await form.locator('button[type=submit]').click();
    await form
      .locator('[data-field=unitUscc] .field-error', {
        hasText: '本机构资质为乙级，只能检测第三类防雷建筑物；该单位为第二类防雷建筑物',
      })
      .waitFor({ timeout: 15_000 });
  });
  await screenshot(plans, 'plan-refused-qualification');

  await form.locator('input[name=unitUscc]').fill(units.u1.uscc);
  await tick('过期检测员').check();
  await writesNothing(async () => {
    await form.locator('button[type=submit]').click();
    await form
      .locator('[data-field=testerIds] .field-error', {
        hasText: /^检测人员 过期检测员（证书 .+）的资格证书在计划检测日期/,
      })
      .waitFor({ timeout: 15_000 });
  });
  // The earlier refusal is gone: each answer names its own field.
  expect(await form.locator('[data-field=unitUscc] .field-error').textContent()).toBe('');
  await screenshot(plans, 'plan-refused-certificate');

  await tick('过期检测员').uncheck();
  await form.locator('button[type=submit]').click();
  const filed = plans.locator('#banner', { hasText: `检测计划已提交：${units.u1.name}` });
  await filed.waitFor({ timeout: 15_000 });
  const plan1 = await p.testPlan.findFirstOrThrow({ where: { unitId: units.u1.id } });
  const due1 = shanghaiDate(addWorkingDays(today, 10));
  expect(plan1).toMatchObject({ agencyId: ids.agency, status: 'PLANNED', via: 'miniapp', filedById: ids.staff });
  expect(plan1.testerIds.sort()).toEqual([ids.t1, ids.t2].sort());
  expect(await filed.textContent()).toContain(`报告应于 ${due1} 前提交`);
  await screenshot(plans, 'plan-filed');

  // 2. The unit's manager and both regulators of its bureau get the plan card.
  for (const who of ['manager', 'county', 'county2'] as const) {
    const card = await seenInChat(who, [`防雷装置检测计划：${units.u1.name}`], '.icard');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('孙检测、赵检测');
    expect(text).toContain('示例防雷检测技术有限公司（乙级）');
    expect(text).toContain(due1);
  }
  await screenshot(chat, 'plan-card-regulator');
  expect(
    (await p.delivery.findMany({ where: { subjectId: plan1.id, template: 'test-plan', status: 'SENT' } }))
      .map((d) => d.recipientPersonId)
      .sort(),
  ).toEqual([ids.manager, ids.county, ids.county2].sort());

  // 3. On the day, the tester scans the unit's sign: DingTalk's scanner opens the code URL in the
  // mini-app (the plan page's 「扫码开始现场检测」 adds the plan), the location is allowed.
  const signed = new URL(await codeUrl(units.u1.id));
  signed.searchParams.set('plan', plan1.id);
  // A forged code (one character of the signature changed) starts nothing.
  const forgedUrl = new URL(signed);
  forgedUrl.searchParams.set(
    's',
    signed.searchParams.get('s')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
  );
  const forged = await openMiniapp('staff', forgedUrl.href);
  await forged.locator('form', { hasText: '扫码开始现场检测' }).waitFor({ timeout: 15_000 });
  await writesNothing(async () => {
    await forged.locator('#start').click();
    await forged.locator('.form-error', { hasText: '监管码无效' }).waitFor({ timeout: 15_000 });
  });
  await screenshot(forged, 'scan-forged-code');
  await forged.close();
  const scan = await openMiniapp('staff', signed.href);
  const step = scan.locator('form', { hasText: '扫码开始现场检测' });
  await step.waitFor({ timeout: 15_000 });
  await scan.locator('#consent-location').check();
  await screenshot(scan, 'scan-step');
  await scan.locator('#start').click();
  await scan.waitForURL(new RegExp(`/m/test-plans/${plan1.id}\\?started=1$`), { timeout: 15_000 });
  const started = scan.locator('#banner', { hasText: '现场检测已开始' });
  await started.waitFor({ timeout: 15_000 });
  expect(await started.textContent()).toMatch(
    new RegExp(
      `^现场检测已开始：\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d 扫码，距单位登记位置 \\d+ 米。检测报告应于 ${due1} 前提交。$`,
    ),
  );
  const visit = await p.siteVisit.findUniqueOrThrow({ where: { testPlanId: plan1.id } });
  expect(visit).toMatchObject({
    kind: 'TEST',
    personId: ids.staff,
    locationStatus: 'GIVEN',
    location: { lat: PHONE.latitude, lng: PHONE.longitude, accuracy: PHONE.accuracy },
    distanceFlagged: false,
  });
  expect(visit.distanceM).toBeGreaterThan(50);
  expect(visit.distanceM).toBeLessThan(150);
  await screenshot(scan, 'field-started');

  // 4. The report within the deadline, with one failed measurement (the next visit re-checks it).
  const report1 = report(units.u1, {
    conclusion: 'FAIL',
    measurements: [
      { item: '接地电阻', location: '3号展厅', value: 14.6, unit: 'Ω', limit: 10, pass: false },
      { item: '过渡电阻', location: '配电房', value: 0.02, unit: 'Ω', limit: 0.03, pass: true },
    ],
  });
  ids.report1 = report1.reportNo;
  const onTime = await submitReport(report1);
  expect(onTime.status).toBe(201);
  expect(onTime.body.anomalies).toEqual([]);
  expect(await p.testPlan.findUniqueOrThrow({ where: { id: plan1.id } })).toMatchObject({
    status: 'REPORTED',
    reportId: onTime.body.reportId,
    late: false,
  });
  await scan.goto(`${base}/m/test-plans/${plan1.id}`);
  await scan.locator('dd', { hasText: ids.report1! }).waitFor({ timeout: 15_000 });
  expect(await scan.locator('.card', { hasText: '检测报告' }).last().textContent()).not.toContain('逾期');
  await screenshot(scan, 'plan-reported');

  // 5. A second plan, through the agency's API this time, is never scanned on site.
  const second = await request(t.runtime.httpUrl!)
    .post('/api/test-plans')
    .set('Authorization', `Bearer ${TOKEN}`)
    .send({ unitUscc: units.u2.uscc, plannedDate: today, testerIds: [ids.t1, ids.t2], installations: ['接地装置'] });
  expect(second.status).toBe(201);
  const plan2 = await p.testPlan.findUniqueOrThrow({ where: { id: second.body.planId } });
  await seenInChat('manager2', [`防雷装置检测计划：${units.u2.name}`], '.icard');
  const year = Number(shanghaiDate(plan2.reportDueAt).slice(0, 4));
  const before = await credit(year);
  expect(before.items.find((i) => i.key === 'report.late')).toMatchObject({ count: 0, points: 0 });

  // 6. The daily report-deadline job, run as of later days: a reminder the working day before.
  const dayBefore = new Date(addWorkingDays(plan2.reportDueAt, -1).getTime() - 12 * 3600_000);
  await runJob('field-work.report-due', { at: dayBefore.toISOString() });
  for (const who of ['staff', 'staff2'] as const) {
    await seenInChat(who, [units.u2.name, '检测报告提交提醒', '还剩 1 个工作日']);
  }
  await screenshot(chat, 'reminder-agency');
  // After the due date: late once, the agency told, the regulators' list.
  await runJob('field-work.report-due', { at: new Date(plan2.reportDueAt.getTime() + 3600_000).toISOString() });
  expect(await p.testPlan.findUniqueOrThrow({ where: { id: plan2.id } })).toMatchObject({ late: true });
  await seenInChat('staff', [units.u2.name, '已逾期', '计入本机构信用评价']);
  await screenshot(chat, 'late-agency');
  for (const who of ['county', 'county2'] as const) {
    await seenInChat(who, ['检测报告逾期未交清单', units.u2.name, '未现场扫码']);
  }
  await screenshot(chat, 'late-list-regulator');
  const listed = await p.delivery.findMany({ where: { template: 'test-report-late-list' } });
  expect(listed.map((d) => d.recipientPersonId).sort()).toEqual([ids.county, ids.county2].sort());
  // The agency's own list marks it.
  await plans.reload();
  await plans
    .locator('li', { hasText: units.u2.name })
    .locator('.tag', { hasText: '报告逾期' })
    .waitFor({ timeout: 15_000 });
  await screenshot(plans, 'plans-late');

  // 7. The late report without a scan (R13), and one for a unit with no plan at all (R14).
  const late = await submitReport(report(units.u2));
  expect(late.status).toBe(201);
  expect(late.body.anomalies.map((a: { code: string }) => a.code)).toContain('R13');
  expect(await p.testPlan.findUniqueOrThrow({ where: { id: plan2.id } })).toMatchObject({
    status: 'REPORTED',
    late: true,
  });
  const unplanned = await submitReport(report(units.u3));
  expect(unplanned.status).toBe(201);
  expect(unplanned.body.anomalies.map((a: { code: string }) => a.code)).toContain('R14');
  await seenInChat('county', [units.u2.name, '【R13】']);
  await seenInChat('county', [units.u3.name, '【R14】']);
  await screenshot(chat, 'anomalies-regulator');

  // 8. The yearly credit job: the indicator moves by the README's points, and every indicator's
  // points are its count times the README's points each, within its limit.
  const table = creditTable();
  expect([...table.keys()].sort()).toEqual(before.items.map((i) => i.key).sort());
  const after = await credit(year);
  const weight = table.get('report.late')!;
  expect(after.items.find((i) => i.key === 'report.late')).toMatchObject({ count: 1, points: weight.each });
  expect(after.score - before.score).toBe(weight.each);
  for (const item of [...before.items, ...after.items]) {
    const w = table.get(item.key)!;
    expect(item.points).toBe(Math.max(w.atMost ?? -Infinity, w.each * item.count) || 0);
  }
}, 240_000);

/** Answers every item of the checklist on `page`: the open hazards not rectified (with a photo), the rest 符合. */
async function answerChecklist(page: Page): Promise<void> {
  const items = page.locator('fieldset.item');
  const count = await items.count();
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    const recheck = (await item.getAttribute('data-section')) === 'hazard';
    await item.locator(`input[value="${recheck ? 'FAIL' : 'PASS'}"]`).check();
    if (!recheck) continue;
    const photo = await QRCode.toBuffer(`复查照片 ${i}`, { width: 600 });
    await item.locator('input.photo').setInputFiles({ name: `IMG_${i}.png`, mimeType: 'image/png', buffer: photo });
    await item.locator('.upload-status', { hasText: '已上传 1 张' }).waitFor({ timeout: 15_000 });
  }
}

/** As `who`, opens the first unit's code URL, allows the location and (unless told not to) scans in. */
async function scanIn(who: keyof typeof users, ctx: BrowserContext, start = true): Promise<Page> {
  const page = await openMiniapp(who, await codeUrl(units.u1.id), ctx);
  await page.locator('form', { hasText: '扫码入场检查' }).waitFor({ timeout: 15_000 });
  await page.locator('#consent-location').check();
  if (start) await page.locator('#start').click();
  return page;
}

test('two bureaus warned, one checklist of all that is due, reasons beyond the cap, the unit page', async () => {
  const base = t.runtime.deps.publicBaseUrl;
  const p = t.db.prisma;
  const reportNo = ids.report1!;

  // 1. The county bureau scans in (location allowed): the combined checklist (一表通查) puts the
  // report's failed measurement and both open hazards before the category checklist.
  const first = await scanIn('county', allowing);
  await first.waitForURL(/\/m\/inspections\/[^/?]+\?scanned=1$/, { timeout: 15_000 });
  const entered = first.locator('.banner', { hasText: '已扫码入场' });
  await entered.waitFor({ timeout: 15_000 });
  expect(await entered.textContent()).toMatch(/· 周执法 · 距单位登记位置 \d+ 米$/);
  await first.locator('fieldset.item').first().waitFor();
  expect(await first.locator('h2.section-title').allTextContents()).toEqual([
    '一、定期检测跟进',
    '二、在办隐患复查',
    expect.stringMatching(/^三、.+/),
  ]);
  const followUp = first.locator('fieldset.item[data-section=test]');
  expect(await followUp.count()).toBe(1);
  expect(await followUp.locator('legend').textContent()).toContain(
    `检测报告 ${reportNo} 不合格项复核：3号展厅接地电阻 14.6 Ω`,
  );
  const rechecks = await first.locator('fieldset.item[data-section=hazard] legend').allTextContents();
  expect(rechecks).toHaveLength(2);
  expect(rechecks.join('\n')).toContain('3 号展厅屋面接闪带断开 2 处');
  expect(rechecks.join('\n')).toContain('配电房电涌保护器劣化指示窗变红');
  expect(await first.locator('fieldset.item[data-section=checklist]').count()).toBeGreaterThan(3);
  await screenshot(first, 'combined-checklist');
  await answerChecklist(first);
  const hazardsBefore = await p.hazard.count();
  await first.locator('button[type=submit]', { hasText: '提交检查结果' }).click();
  const done = first.locator('.notice.done p');
  await done.waitFor({ timeout: 15_000 });
  expect(await done.textContent()).toMatch(/^得分 \d+ 分，2 项在办隐患复查未整改，已记入该隐患的复查记录。$/);
  expect(await p.hazard.count()).toBe(hazardsBefore);
  await screenshot(first, 'combined-checklist-submitted');
  const countyInsp = await p.inspection.findFirstOrThrow({ where: { unitId: units.u1.id, orgId: { not: null } } });
  expect(countyInsp).toMatchObject({ mode: 'CODE', status: 'SUBMITTED', result: 'FAIL', inspectorIds: [ids.county] });
  const rechecked = await p.inspectionItemResult.findMany({
    where: { inspectionId: countyInsp.id, hazardId: { not: null } },
  });
  expect(rechecked.map((r) => [r.result, r.hazardId]).sort()).toEqual(
    [
      ['FAIL', ids.hazardMajor],
      ['FAIL', ids.hazardGeneral],
    ].sort(),
  );

  // 2. The city bureau scans in the same day; this phone's browser refuses the location: the scan
  // goes on, without a position, and says so.
  const second = await scanIn('city', refusing);
  await second.waitForURL(/\/m\/inspections\/[^/?]+\?scanned=1$/, { timeout: 15_000 });
  const noLocation = second.locator('.banner', { hasText: '已扫码入场' });
  await noLocation.waitFor({ timeout: 15_000 });
  expect(await noLocation.textContent()).toMatch(/· 吴执法 · 未授权定位，未记录位置$/);
  await screenshot(second, 'scan-in-location-refused');
  const cityVisit = await p.siteVisit.findFirstOrThrow({ where: { personId: ids.city } });
  expect(cityVisit).toMatchObject({ kind: 'INSPECTION', locationStatus: 'DENIED', location: null, distanceM: null });
  // Both bureaus are warned, in their chats.
  for (const who of ['county', 'city'] as const) {
    await seenInChat(who, ['重复检查提醒', units.u1.name, '杭州市余杭区气象局：码上检查', '杭州市气象局：码上检查']);
  }
  await screenshot(chat, 'repeat-warning');

  // 3. The cap (2 a year) is reached: another city inspector's scan-in asks for a reason and
  // writes nothing without one; with one it goes on, over the cap, and says why.
  const third = await scanIn('city2', refusing, false);
  const reasonError = third.locator('[data-field=reason] .field-error');
  await writesNothing(async () => {
    await third.locator('#start').click();
    await reasonError.filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  });
  expect(await reasonError.textContent()).toBe(
    `「${units.u1.name}」今年已接受检查 2 次，已达年度上限 2 次（国办发〔2024〕54号）。超出上限检查须填写理由，理由将报送分管领导。`,
  );
  await expect(third.locator('#start').textContent()).resolves.toBe('填写理由后继续');
  // The browser refused the location: said, and the scan goes on without it.
  await expect(third.locator('#location-status').textContent()).resolves.toBe(
    '浏览器未允许获取位置，本次不记录位置，扫码照常进行',
  );
  await screenshot(third, 'scan-in-over-cap');
  const scanReason = '市局安全生产专项督查，需现场核查屋面接闪带';
  await third.locator('textarea[name=reason]').fill(scanReason);
  await third.locator('#start').click();
  await third.waitForURL(/\/m\/inspections\/[^/?]+\?scanned=1$/, { timeout: 15_000 });
  await third.locator('.banner', { hasText: `本次检查超出单位年度检查上限，理由：${scanReason}` }).waitFor();

  // 4. The county's draw: its pool holds this unit only, which is at the cap.
  const draw = await openMiniapp('county2', `${base}/m/draws/new`);
  const drawForm = draw.locator('form', { hasText: '双随机抽查' });
  await drawForm.locator('input[name=unitCount]').fill('1');
  await writesNothing(async () => {
    await drawForm.locator('button[type=submit]').click();
    await drawForm
      .locator('.form-error', {
        hasText: '辖区内可抽查的 1 家单位均已达年度检查上限；确需检查的，请勾选包括已达上限的单位并填写理由',
      })
      .waitFor({ timeout: 15_000 });
  });
  await drawForm.locator('input[name=includeOverCap]').check();
  const drawReason = drawForm.locator('[data-field=overCapReason] .field-error');
  await drawForm.locator('button[type=submit]').click();
  await drawReason.filter({ hasText: '包括已达年度检查上限的单位时，请填写理由' }).waitFor();
  await drawForm.locator('textarea[name=overCapReason]').fill('核查');
  await writesNothing(async () => {
    await drawForm.locator('button[type=submit]').click();
    await drawReason.filter({ hasText: '超出年度检查上限的理由至少 4 个字' }).waitFor({ timeout: 15_000 });
  });
  await screenshot(draw, 'draw-needs-reason');
  const reason = '群众举报该单位防雷装置损坏，需现场核查';
  await drawForm.locator('textarea[name=overCapReason]').fill(reason);
  await drawForm.locator('button[type=submit]').click();
  const drawn = draw.locator('#draw-result');
  await drawn.waitFor({ timeout: 15_000 });
  expect(await drawn.textContent()).toBe(
    `已抽取 1 家单位：${units.u1.name}（超出年度上限）。1 家超出年度上限的单位已记录理由并报送分管领导。`,
  );
  await screenshot(draw, 'draw-with-reason');
  const random = await p.inspection.findFirstOrThrow({ where: { unitId: units.u1.id, mode: 'RANDOM' } });
  expect(random).toMatchObject({ overCap: true, overCapReason: reason, status: 'IN_PROGRESS' });
  expect(random.inspectorIds.sort()).toEqual([ids.county, ids.county2].sort());
  // The drawn inspector scanning in resumes the drawn inspection: no new one beyond the cap.
  const drawnVisit = await scanIn('county2', allowing);
  await drawnVisit.waitForURL(new RegExp(`/m/inspections/${random.id}\\?scanned=1$`), { timeout: 15_000 });
  await drawnVisit.locator('.banner', { hasText: `理由：${reason}` }).waitFor({ timeout: 15_000 });

  // The leaders' digest lists both inspections beyond the cap, with their reasons.
  await runJob('digest.run', { at: new Date().toISOString() });
  await seenInChat('leader', ['超出年度检查上限的检查', '共 2 次', scanReason, reason]);
  await screenshot(chat, 'digest-over-cap');

  // 5. The manager opens the unit's page from the plan card in his chat (免登, as DingTalk opens it).
  const card = await seenInChat('manager', [`防雷装置检测计划：${units.u1.name}`], '.icard');
  const [unitPage] = await Promise.all([
    chat.waitForEvent('popup'),
    card.locator('button', { hasText: '查看单位检测与检查' }).click(),
  ]);
  await unitPage.locator('#who', { hasText: users.manager.name }).waitFor({ timeout: 15_000 });
  expect(new URL(unitPage.url()).pathname).toBe(`/m/units/${units.u1.id}`);
  await unitPage.setViewportSize({ width: 390, height: 844 });
  const test = unitPage.locator('.card', { hasText: '防雷装置检测' }).locator('li');
  await test.first().waitFor({ timeout: 15_000 });
  expect(await test.count()).toBe(1);
  const testText = (await test.textContent()) ?? '';
  expect(testText).toContain('示例防雷检测技术有限公司');
  expect(testText).toContain('已提交报告');
  expect(testText).toMatch(/现场扫码\d{4}-\d\d-\d\d \d\d:\d\d 孙检测，距单位登记位置 \d+ 米/);
  expect(testText).toContain(`检测报告${reportNo}（`);
  const year = shanghaiDate(new Date()).slice(0, 4);
  const insp = unitPage.locator('.card', { hasText: `${year} 年监督检查` });
  expect(await insp.locator('#inspection-cap').textContent()).toBe('已检查 4 次 / 年度上限 2 次（已达上限）');
  const rows = insp.locator('li');
  expect(await rows.count()).toBe(4);
  const all = (await rows.allTextContents()).join('\n');
  expect(all).toContain('杭州市余杭区气象局 · 码上检查');
  expect(all).toContain('杭州市气象局 · 码上检查');
  expect(all).toContain('杭州市余杭区气象局 · 双随机一公开');
  expect(all).toContain('未授权定位，未记录位置');
  expect(all).toContain('另含一表通查 3 项');
  expect(await insp.locator('.tag', { hasText: '超出年度上限' }).count()).toBe(2);
  expect(all).toContain(`超上限理由${scanReason}`);
  expect(all).toContain(`超上限理由${reason}`);
  await screenshot(unitPage, 'unit-page');
}, 240_000);
