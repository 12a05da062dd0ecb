// A supervision world with something on every mini-app page, for the browser tests of the pages as
// their people use them (issue #23): a county bureau with a regulator, a city bureau with a leader,
// a key unit with its manager and legal representative, hazards from an escalated 重大 one 20 days
// overdue to a closed one, a rejected and an active approval, a test report with a failed
// measurement and an anomaly, a published ranking, an interview with a commitment, a code
// inspection in progress, a lightning warning in force, and a testing agency's staff member with a
// plan to test the unit (to scan in on site) and one already on site.
import QRCode from 'qrcode';
import { startApproval, decide } from '../../core/approval';
import { addCalendarDays, addWorkingDays, shanghaiDate, startOfShanghaiDay } from '../../core/domain/working-days';
import { currentChecklist } from '../../core/inspection/checklists';
import { createHazard, createOrg, createPerson, createUnit, ensureRegion } from '../factories';
import { addUsers, type TestRuntime } from './runtime';

/** The ids the tests open pages with, and the people who open them. */
export interface UxWorld {
  unitId: string;
  unitName: string;
  otherUnitIds: string[];
  hazards: { escalated: string; late3: string; pending: string; submitted: string; closed: string };
  approvals: { rejected: string; active: string };
  reportId: string;
  interviewId: string;
  /** A lightning warning in force that told the unit (not answered yet). */
  warningId: string;
  inspectionId: string;
  period: string;
  /** Testing plans of the agency for the unit: to be scanned in, and scanned in on site. */
  plans: { planned: string; onSite: string };
  people: Record<
    'regulator' | 'manager' | 'legalRep' | 'leader' | 'agency',
    { id: string; userId: string; name: string }
  >;
}

const DAY = 86_400_000;

/** Builds the world in the runtime's database and makes its people known to the simulator. */
export async function createUxWorld(t: TestRuntime, tag: string): Promise<UxWorld> {
  const db = t.db.prisma;
  await ensureRegion(db, '330110');
  const county = await createOrg(db, { name: '杭州市余杭区气象局', regionCode: '330110' });
  const city = await createOrg(db, { name: '杭州市气象局', regionCode: '330100' });
  const unit = await createUnit(db, {
    name: '杭州示例石化仓储有限公司',
    supervisingOrgId: county.id,
    riskColor: 'RED',
  });
  const others = [];
  for (const [i, name] of ['余杭区第一加油站', '良渚文化村综合体', '临平新城仓储中心'].entries()) {
    others.push(
      await createUnit(db, {
        name,
        supervisingOrgId: county.id,
        riskColor: (['YELLOW', 'GREEN', 'GREEN'] as const)[i],
      }),
    );
  }
  const person = async (
    key: string,
    name: string,
    roles: ['REGULATOR' | 'UNIT_MANAGER' | 'LEGAL_REP' | 'LEADER' | 'AGENCY_STAFF'],
    link: object,
  ) => {
    const userId = `${key}_${tag}`;
    const p = await createPerson(db, { name, roles, dingUserId: userId, ...link });
    return { id: p.id, userId, name };
  };
  const people = {
    regulator: await person('reg', '周志远', ['REGULATOR'], { orgId: county.id, title: '执法人员' }),
    manager: await person('mgr', '陈晓峰', ['UNIT_MANAGER'], { unitId: unit.id, title: '安全负责人' }),
    legalRep: await person('rep', '王海燕', ['LEGAL_REP'], { unitId: unit.id, title: '法定代表人' }),
    leader: await person('lead', '林国华', ['LEADER'], { orgId: city.id, title: '分管领导' }),
  };

  const photo = await QRCode.toDataURL('整改后照片：接地极已更换', { width: 240 });
  const now = Date.now();
  const hazard = (over: Parameters<typeof createHazard>[1]) =>
    createHazard(db, { unitId: unit.id, filedById: people.regulator.id, ...over });
  const escalated = await hazard({
    type: 'EARTH_R',
    grade: 'MAJOR',
    status: 'ESCALATED',
    description: '储罐区接地电阻 18.6 Ω，超过 10 Ω 限值，已上报上级机关',
    foundAt: new Date(now - 35 * DAY),
    deadline: new Date(now - 20 * DAY),
  });
  const late3 = await hazard({
    type: 'SPD_FAIL',
    status: 'OVERDUE',
    description: '配电房电涌保护器劣化指示窗变红',
    foundAt: new Date(now - 18 * DAY),
    deadline: new Date(now - 3 * DAY),
  });
  const pending = await hazard({
    type: 'OVERDUE',
    status: 'PENDING',
    description: '年度防雷装置定期检测尚未开展',
    foundAt: new Date(now - 2 * DAY),
    deadline: addCalendarDays(new Date(now), 5),
  });
  const submitted = await hazard({
    type: 'DOWN_COND',
    status: 'SUBMITTED',
    description: '引下线断接卡锈蚀断开',
    foundAt: new Date(now - 10 * DAY),
    deadline: addCalendarDays(new Date(now), 4),
    photos: [{ url: photo }],
  });
  await db.rectification.create({
    data: {
      hazardId: submitted.id,
      submittedById: people.manager.id,
      description: '已更换断接卡并做防腐处理',
      photos: [{ url: photo }],
    },
  });
  const closed = await hazard({
    status: 'CLOSED',
    description: '避雷带局部断裂（已修复）',
    foundAt: new Date(now - 60 * DAY),
    deadline: new Date(now - 40 * DAY),
    closedAt: new Date(now - 45 * DAY),
  });
  await createHazard(db, { unitId: others[0]!.id, status: 'OVERDUE', deadline: new Date(now - 1 * DAY) });

  // Approvals: one the regulator rejected (the manager resubmits it), one waiting for the regulator.
  const ctx = { publicBaseUrl: t.runtime.deps.publicBaseUrl };
  const apply = (title: string) =>
    db.$transaction((tx) =>
      startApproval(
        tx,
        {
          definitionKey: 'permit.design-review',
          subject: { type: 'permit', id: `permit-${tag}-${title}`, regionCode: '330110', title },
          applicantPersonId: people.manager.id,
          data: {
            fields: [
              { label: '项目名称', value: title },
              { label: '建设地点', value: '余杭区仓前街道' },
            ],
            attachments: [{ name: '防雷装置设计图.pdf', url: `${ctx.publicBaseUrl}/m/files/design.pdf` }],
          },
        },
        ctx,
      ),
    );
  const rejected = await apply('3 号储罐防雷装置设计审核');
  const step = await db.approvalStep.findFirstOrThrow({ where: { instanceId: rejected.instanceId, status: 'ACTIVE' } });
  await db.$transaction((tx) =>
    decide(
      tx,
      {
        stepId: step.id,
        personId: people.regulator.id,
        decision: 'REJECT',
        comment: '缺少接地装置平面图，请补充后重新提交',
      },
      ctx,
    ),
  );
  const active = await apply('新建仓库防雷装置设计审核');

  // A test report with a failed measurement and an anomaly hit, picked for the quality check.
  const agency = await db.agency.create({
    data: {
      uscc: `91330100MA${tag.slice(0, 6).toUpperCase().padEnd(6, '0')}0X`.slice(0, 18),
      name: '浙江示例防雷检测有限公司',
      level: 'B',
      certNo: `ZJ-${tag}`,
      certValidUntil: new Date(now + 365 * DAY),
      homeProvince: '330000',
    },
  });
  const staff = await person('agt', '孙建国', ['AGENCY_STAFF'], { agencyId: agency.id, title: '检测员' });
  const allPeople = { ...people, agency: staff };
  await addUsers(
    t,
    Object.values(allPeople).map((p) => ({ userId: p.userId, name: p.name })),
  );
  const testers: Array<{ id: string }> = [];
  for (const [name, personId] of [
    [staff.name, staff.id],
    ['吴检测', undefined],
  ] as const) {
    testers.push(
      await db.tester.create({
        data: {
          agencyId: agency.id,
          name,
          certNo: `T-${tag}-${name}`,
          certValidUntil: new Date(now + 400 * DAY),
          personId,
        },
      }),
    );
  }
  const today = startOfShanghaiDay(shanghaiDate(new Date(now)));
  const plan = (status: 'PLANNED' | 'ON_SITE', plannedDate: Date, reportDueAt: Date) =>
    db.testPlan.create({
      data: {
        agencyId: agency.id,
        unitId: unit.id,
        plannedDate,
        testerIds: testers.map((x) => x.id),
        installations: ['接闪器', '引下线', '接地装置'],
        status,
        filedById: staff.id,
        via: 'miniapp',
        reportDueAt,
      },
    });
  // Due at the end of the 8th working day after the planned day, as core/field-work/file-plan.ts sets it.
  const planned = await plan('PLANNED', today, addWorkingDays(today, 8));
  const started = new Date(today.getTime() - 2 * DAY);
  const onSite = await plan('ON_SITE', started, addWorkingDays(started, 8));
  await db.siteVisit.create({
    data: {
      kind: 'TEST',
      unitId: unit.id,
      personId: staff.id,
      agencyId: agency.id,
      testPlanId: onSite.id,
      code: unit.supervisionCode,
      scannedAt: new Date(started.getTime() + 9.5 * 3600_000),
      locationStatus: 'DENIED',
    },
  });
  const report = await db.testReport.create({
    data: {
      reportNo: `FL-${tag}-001`,
      agencyId: agency.id,
      unitId: unit.id,
      inspectionDate: new Date(now - 5 * DAY),
      issueDate: new Date(now - 4 * DAY),
      uploadDate: new Date(now - 4 * DAY),
      conclusion: 'PASS',
      spotCheck: true,
      measurements: [
        { item: '接地电阻', location: '1 号储罐', value: 3.2, unit: 'Ω', limit: 10, pass: true },
        { item: '接地电阻', location: '3 号储罐', value: 18.6, unit: 'Ω', limit: 10, pass: false },
        { item: '电涌保护器压敏电压', location: '配电房', value: 620, unit: 'V', limit: 560, pass: true },
      ],
      anomalies: [
        { code: 'R09', message: '结论为合格，但 3 号储罐接地电阻 18.6 Ω 超过 10 Ω 限值' },
        { code: 'R03', message: '检测人员仅 1 人' },
      ],
      fileName: '防雷装置检测报告.pdf',
      fileSha256: 'a'.repeat(64),
      fileSize: 182_344,
    },
  });

  // A published ranking: the unit last of its group, the others ahead.
  const period = '2026-11';
  const scores = [55, 92, 88, 85];
  for (const [i, u] of [unit, ...others].entries()) {
    await db.dutyRanking.create({
      data: {
        period,
        regionCode: '330110',
        unitId: u.id,
        category: u.category,
        score: scores[i]!,
        rank: [4, 1, 2, 3][i]!,
        total: 4,
        percentile: [100, 25, 50, 75][i]!,
        bottom: i === 0,
        consecutiveBottom: i === 0 ? 2 : 0,
        fractions: [1, 0.75, 1, 0, 0, 1],
        points: [25, 15, 10, 0, 0, 10],
        weights: [25, 20, 10, 15, 20, 10],
        counts: [0, 0, 1, 0, 0, 0, 0, 0],
        publishedAt: new Date(now - DAY),
      },
    });
  }

  const interview = await db.interview.create({
    data: {
      unitId: unit.id,
      reason: '连续 2 期排名后 10%，此前已提醒',
      status: 'HELD',
      scheduledAt: new Date(now - 3 * DAY),
      place: '余杭区气象局三楼会议室',
      createdById: people.regulator.id,
      record: '法定代表人到场，承诺限期整改。',
      tasks: { create: [{ text: '修订防雷应急预案并组织演练', dueAt: new Date(now + 7 * DAY) }] },
    },
  });
  const inspection = await db.inspection.create({
    data: {
      mode: 'CODE',
      unitId: unit.id,
      checklistId: (await currentChecklist(db, unit.category)).id,
      inspectorIds: [people.manager.id, people.regulator.id],
    },
  });
  await db.lightningWarning.create({
    data: {
      id: `330110UX_${tag}`,
      level: 'YELLOW',
      regionCodes: ['330110'],
      issuedAt: new Date(now - 3600_000),
      expiresAt: new Date(now + 3 * 3600_000),
      issuer: '杭州市余杭区气象台',
      text: '预计未来 3 小时内余杭区将出现雷电活动，请做好防范。',
    },
  });
  // The unit was told of it (issue #20: a warning is on a unit's to-do list until the unit answers).
  await db.warningUnit.create({
    data: { warningId: `330110UX_${tag}`, unitId: unit.id, channel: 'WORK_NOTICE', rank: 0 },
  });
  return {
    unitId: unit.id,
    unitName: unit.name,
    otherUnitIds: others.map((u) => u.id),
    hazards: {
      escalated: escalated.id,
      late3: late3.id,
      pending: pending.id,
      submitted: submitted.id,
      closed: closed.id,
    },
    approvals: { rejected: rejected.instanceId, active: active.instanceId },
    reportId: report.id,
    interviewId: interview.id,
    warningId: `330110UX_${tag}`,
    inspectionId: inspection.id,
    period,
    plans: { planned: planned.id, onSite: onSite.id },
    people: allPeople,
  };
}
