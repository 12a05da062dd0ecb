// The shape of a unit's archive (一企一档, unit-archive.ts builds it, archive-workbook.ts writes it).
import type { TimelineEntry } from '../hazard/timeline';

/** The archive's unit record. */
export interface ArchiveUnit {
  id: string;
  uscc: string;
  name: string;
  regionCode: string;
  regionName: string;
  address: string;
  category: string;
  categoryLabel: string;
  lpClass: number;
  halfYearCycle: boolean;
  lastTestDate: string | null;
  nextDueDate: string | null;
  riskColor: string;
  riskColorLabel: string;
  riskScore: number;
  creditLevel: string | null;
  dutyScore: number | null;
  supervisingOrg: string | null;
  supervisionCode: string;
  active: boolean;
}

/** One person of the unit; mobile and ID number masked. */
export interface ArchivePerson {
  name: string;
  roles: string[];
  title: string | null;
  mobile: string;
  idNumber: string;
  dingTalkBound: boolean;
  active: boolean;
}

/** One hazard with what happened to it. */
export interface ArchiveHazard {
  id: string;
  no: string;
  typeLabel: string;
  gradeLabel: string;
  sourceLabel: string;
  status: string;
  statusLabel: string;
  description: string;
  legalBasis: string | null;
  noticeNo: string | null;
  foundAt: string;
  deadline: string;
  closedAt: string | null;
  rectifications: Array<{
    submittedAt: string;
    by: string;
    description: string;
    decision: string | null;
    decidedAt: string | null;
    rejectReason: string | null;
  }>;
  extensions: Array<{
    requestedAt: string;
    reason: string;
    newDeadline: string;
    status: string;
    decidedAt: string | null;
  }>;
  timeline: TimelineEntry[];
}

/** The whole archive (JSON export; the .xlsx has the same content, one sheet per part). */
export interface UnitArchive {
  generatedAt: string;
  unit: ArchiveUnit;
  people: ArchivePerson[];
  hazards: ArchiveHazard[];
  inspections: Array<{
    id: string;
    modeLabel: string;
    statusLabel: string;
    resultLabel: string | null;
    score: number | null;
    startedAt: string;
    submittedAt: string | null;
    inspectors: string[];
    items: { pass: number; fail: number; na: number };
    hazardNos: string[];
  }>;
  testReports: Array<{
    reportNo: string;
    agency: string;
    inspectionDate: string;
    issueDate: string;
    uploadDate: string;
    conclusionLabel: string;
    statusLabel: string;
    qualityResult: string | null;
    anomalies: Array<{ code: string; message: string }>;
    measurements: unknown;
    fileName: string | null;
    fileSha256: string | null;
  }>;
  rankings: Array<{
    period: string;
    categoryLabel: string;
    rank: number;
    total: number;
    score: number;
    bottom: boolean;
    consecutiveBottom: number;
    publishedAt: string | null;
  }>;
  dutyActions: Array<{
    kindLabel: string;
    period: string;
    reason: string;
    statusLabel: string;
    declineReason: string | null;
    createdAt: string;
    decidedAt: string | null;
  }>;
  interviews: Array<{
    id: string;
    reason: string;
    statusLabel: string;
    scheduledAt: string;
    place: string;
    attendees: string[];
    materials: string[];
    record: string | null;
    heldAt: string | null;
    closedAt: string | null;
    tasks: Array<{ text: string; dueAt: string; doneAt: string | null; note: string | null }>;
  }>;
}
