// 一企一档: one key unit's archive, exported for the unit itself and for the regulators of its
// jurisdiction (issue #10 part 5; policy action 'unit.archive.export'). It holds the unit's record,
// its people with mobile and ID numbers masked (the masked copies only: nothing is decrypted),
// hazards with their rectifications, extensions and full timelines, inspections, test reports,
// duty rankings, 提醒/约谈 steps and interviews. Enum values come with their Chinese labels.
import type { PrismaClient } from '../db';
import { LABELS } from '../domain/labels';
import { hazardNo } from '../hazard/hazard-no';
import { hazardTimeline, type TimelineEntry } from '../hazard/timeline';
import type { UnitArchive } from './archive-types';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export type { ArchiveHazard, ArchivePerson, ArchiveUnit, UnitArchive } from './archive-types';

/** Builds the archive of a unit; null when there is no such unit. */
export async function buildUnitArchive(
  prisma: PrismaClient,
  unitId: string,
  now = new Date(),
): Promise<UnitArchive | null> {
  const u = await prisma.unit.findUnique({
    where: { id: unitId },
    include: { region: { select: { name: true } }, supervisingOrg: { select: { name: true } } },
  });
  if (!u) return null;
  const [people, hazards, inspections, reports, rankings, actions, interviews] = await Promise.all([
    prisma.person.findMany({ where: { unitId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    prisma.hazard.findMany({
      where: { unitId },
      orderBy: [{ foundAt: 'asc' }, { id: 'asc' }],
      include: {
        rectifications: { orderBy: { submittedAt: 'asc' }, include: { submittedBy: { select: { name: true } } } },
        extensions: { orderBy: { createdAt: 'asc' } },
      },
    }),
    prisma.inspection.findMany({
      where: { unitId },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      include: { items: { select: { result: true, hazardId: true } } },
    }),
    prisma.testReport.findMany({
      where: { unitId },
      orderBy: [{ inspectionDate: 'asc' }, { id: 'asc' }],
      include: { agency: { select: { name: true } } },
    }),
    prisma.dutyRanking.findMany({ where: { unitId }, orderBy: { period: 'asc' } }),
    prisma.dutyAction.findMany({ where: { unitId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    prisma.interview.findMany({
      where: { unitId },
      orderBy: [{ scheduledAt: 'asc' }, { id: 'asc' }],
      include: { tasks: { orderBy: { dueAt: 'asc' } } },
    }),
  ]);
  const inspectorIds = [...new Set(inspections.flatMap((i) => i.inspectorIds))];
  const inspectorNames = new Map(
    (await prisma.person.findMany({ where: { id: { in: inspectorIds } }, select: { id: true, name: true } })).map(
      (p) => [p.id, p.name],
    ),
  );
  const timelines = new Map<string, TimelineEntry[]>();
  for (const h of hazards) timelines.set(h.id, await hazardTimeline(prisma, h.id));

  return {
    generatedAt: now.toISOString(),
    unit: {
      id: u.id,
      uscc: u.uscc,
      name: u.name,
      regionCode: u.regionCode,
      regionName: u.region.name,
      address: u.address,
      category: u.category,
      categoryLabel: LABELS.UnitCategory[u.category],
      lpClass: u.lpClass,
      halfYearCycle: u.halfYearCycle,
      lastTestDate: iso(u.lastTestDate),
      nextDueDate: iso(u.nextDueDate),
      riskColor: u.riskColor,
      riskColorLabel: LABELS.RiskColor[u.riskColor],
      riskScore: u.riskScore,
      creditLevel: u.creditLevel ? LABELS.CreditGrade[u.creditLevel] : null,
      dutyScore: u.dutyScore,
      supervisingOrg: u.supervisingOrg?.name ?? null,
      supervisionCode: u.supervisionCode,
      active: u.active,
    },
    people: people.map((p) => ({
      name: p.name,
      roles: p.roles.map((r) => LABELS.PersonRole[r]),
      title: p.title,
      // Masked copies written with the ciphertext; the clear values are never read here.
      mobile: p.mobileMasked ?? '',
      idNumber: p.idNumberMasked ?? '',
      dingTalkBound: Boolean(p.dingUserId),
      active: p.active,
    })),
    hazards: hazards.map((h) => ({
      id: h.id,
      no: hazardNo(h.id),
      typeLabel: LABELS.HazardType[h.type],
      gradeLabel: LABELS.HazardGrade[h.grade],
      sourceLabel: LABELS.HazardSource[h.source],
      status: h.status,
      statusLabel: LABELS.HazardStatus[h.status],
      description: h.description,
      legalBasis: h.legalBasis,
      noticeNo: h.noticeNo,
      foundAt: h.foundAt.toISOString(),
      deadline: h.deadline.toISOString(),
      closedAt: iso(h.closedAt),
      rectifications: h.rectifications.map((r) => ({
        submittedAt: r.submittedAt.toISOString(),
        by: r.submittedBy.name,
        description: r.description,
        decision: r.decision ? LABELS.RectificationDecision[r.decision] : null,
        decidedAt: iso(r.decidedAt),
        rejectReason: r.rejectReason,
      })),
      extensions: h.extensions.map((e) => ({
        requestedAt: e.createdAt.toISOString(),
        reason: e.reason,
        newDeadline: e.newDeadline.toISOString(),
        status: LABELS.ExtensionStatus[e.status],
        decidedAt: iso(e.decidedAt),
      })),
      timeline: timelines.get(h.id) ?? [],
    })),
    inspections: inspections.map((i) => ({
      id: i.id,
      modeLabel: LABELS.InspectionMode[i.mode],
      statusLabel: LABELS.InspectionStatus[i.status],
      resultLabel: i.result ? LABELS.InspectionResult[i.result] : null,
      score: i.score,
      startedAt: i.startedAt.toISOString(),
      submittedAt: iso(i.submittedAt),
      inspectors: i.inspectorIds.map((id) => inspectorNames.get(id) ?? '（已删除）'),
      items: {
        pass: i.items.filter((x) => x.result === 'PASS').length,
        fail: i.items.filter((x) => x.result === 'FAIL').length,
        na: i.items.filter((x) => x.result === 'NA').length,
      },
      hazardNos: i.items.flatMap((x) => (x.hazardId ? [hazardNo(x.hazardId)] : [])),
    })),
    testReports: reports.map((r) => ({
      reportNo: r.reportNo,
      agency: r.agency.name,
      inspectionDate: r.inspectionDate.toISOString(),
      issueDate: r.issueDate.toISOString(),
      uploadDate: r.uploadDate.toISOString(),
      conclusionLabel: LABELS.TestConclusion[r.conclusion],
      statusLabel: LABELS.TestReportStatus[r.status],
      qualityResult: r.qualityResult ? LABELS.QualityResult[r.qualityResult] : null,
      anomalies: ((r.anomalies ?? []) as Array<{ code?: unknown; message?: unknown }>).map((a) => ({
        code: String(a.code ?? ''),
        message: String(a.message ?? ''),
      })),
      measurements: r.measurements,
      fileName: r.fileName,
      fileSha256: r.fileSha256,
    })),
    rankings: rankings.map((r) => ({
      period: r.period,
      categoryLabel: LABELS.UnitCategory[r.category],
      rank: r.rank,
      total: r.total,
      score: r.score,
      bottom: r.bottom,
      consecutiveBottom: r.consecutiveBottom,
      publishedAt: iso(r.publishedAt),
    })),
    dutyActions: actions.map((a) => ({
      kindLabel: LABELS.DutyActionKind[a.kind],
      period: a.period,
      reason: a.reason,
      statusLabel: LABELS.DutyActionStatus[a.status],
      declineReason: a.declineReason,
      createdAt: a.createdAt.toISOString(),
      decidedAt: iso(a.decidedAt),
    })),
    interviews: interviews.map((v) => ({
      id: v.id,
      reason: v.reason,
      statusLabel: LABELS.InterviewStatus[v.status],
      scheduledAt: v.scheduledAt.toISOString(),
      place: v.place,
      attendees: ((v.attendees ?? []) as Array<{ name?: unknown }>).map((a) => String(a.name ?? '')),
      materials: v.materials,
      record: v.record,
      heldAt: iso(v.heldAt),
      closedAt: iso(v.closedAt),
      tasks: v.tasks.map((t) => ({ text: t.text, dueAt: t.dueAt.toISOString(), doneAt: iso(t.doneAt), note: t.note })),
    })),
  };
}
