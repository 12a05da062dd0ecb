// Abnormal-report checks (检测报告异常). R01–R12 are LeiGuard's own (no public rule defines them), after QX/T 317,
// 《雷电防护装置检测资质管理办法》 and Zhejiang's 10-working-day upload and on-site scan (http://zj.cma.gov.cn/zwxx/tzgg/202308/t20230825_5737077.html);
// R13–R14 from issue #22's testing plans (浙里防雷安全: a plan before the test, a scan on site). Pure: every fact
// a rule needs is gathered beforehand (rule-context.ts), each rule tested alone; thresholds come from configuration.
import { shanghaiDate, workingDaysBetween } from '../domain/working-days';
import type { Measurement } from './report-input';
import type { AnomalyCode, AnomalyHit, RuleContext } from './anomaly-types';
import { distanceM } from '../domain/distance';

export type { AnomalyCode, AnomalyHit, AnomalyThresholds, RuleContext, SameDayReport } from './anomaly-types';
export { distanceM } from '../domain/distance';

/** Plausible physical maximum per item, in the item's usual unit (beyond it a value is a typo or invented). */
const PHYSICAL_MAX: Partial<Record<Measurement['item'], number>> = { 接地电阻: 1000, 过渡电阻: 100 };
/** Bonding transition resistance limit, UNCONFIRMED: only a third party quotes it (http://www.aviascribe.com/trade/mrwje2a03i-25-18787542.html). */
const TRANSITION_LIMIT_OHM = 0.03;

/** Dates as people read them everywhere (2026-12-06). */
const cnDay = (d: string) => d.slice(0, 10);

type Rule = (c: RuleContext) => AnomalyHit[];

const r01: Rule = ({ report, now }) => {
  const hits: AnomalyHit[] = [];
  if (report.issueDate < report.inspectionDate) {
    hits.push({
      code: 'R01',
      message: `出具日期 ${cnDay(report.issueDate)} 早于检测日期 ${cnDay(report.inspectionDate)}`,
    });
  }
  if (report.inspectionDate > shanghaiDate(now)) {
    hits.push({ code: 'R01', message: `检测日期 ${report.inspectionDate} 晚于提交日期 ${shanghaiDate(now)}` });
  }
  return hits;
};

const r02: Rule = ({ report, now, thresholds }) => {
  const n = workingDaysBetween(report.issueDate, now);
  return n > thresholds.uploadWorkingDays
    ? [
        {
          code: 'R02',
          message: `出具后第 ${n} 个工作日才上传（应在 ${thresholds.uploadWorkingDays} 个工作日内）`,
          details: { workingDays: n },
        },
      ]
    : [];
};

const r03: Rule = ({ report, testers, agencyId }) => {
  const hits: AnomalyHit[] = [];
  const ids = [...new Set(report.testerIds)];
  if (ids.length < 2) hits.push({ code: 'R03', message: `仅 ${ids.length} 名检测人员签字（至少 2 名）` });
  const inspected = new Date(`${report.inspectionDate}T00:00:00+08:00`);
  for (const id of ids) {
    const t = testers.find((x) => x.id === id);
    if (!t || t.agencyId !== agencyId)
      hits.push({ code: 'R03', message: `检测人员 ${id} 不是本机构在册人员`, details: { testerId: id } });
    else if (t.certValidUntil < inspected)
      hits.push({ code: 'R03', message: `检测人员 ${t.name} 的资格证书在检测日已过期`, details: { testerId: id } });
  }
  return hits;
};

const r04: Rule = ({ report, sameDay, unit, testers, thresholds }) => {
  const hits: AnomalyHit[] = [];
  for (const id of new Set(report.testerIds)) {
    const others = sameDay.filter((r) => r.testerIds.includes(id));
    const sites = new Set([unit.id, ...others.map((r) => r.unitId)]).size;
    const reports = others.length + 1;
    const name = testers.find((t) => t.id === id)?.name ?? id;
    if (sites > thresholds.maxSitesPerDay) {
      hits.push({
        code: 'R04',
        message: `检测人员 ${name} 当日检测 ${sites} 个场所（上限 ${thresholds.maxSitesPerDay}）`,
        details: { testerId: id, sites },
      });
    } else if (reports > thresholds.maxReportsPerDay) {
      hits.push({
        code: 'R04',
        message: `检测人员 ${name} 当日签署 ${reports} 份报告（上限 ${thresholds.maxReportsPerDay}）`,
        details: { testerId: id, reports },
      });
    }
  }
  return hits;
};

const r05: Rule = ({ report, sameDay, testers, thresholds }) => {
  const here = report.scanGeo;
  if (!here) return [];
  const hits: AnomalyHit[] = [];
  const at = new Date(here.at);
  for (const other of sameDay) {
    if (other.lat === null || other.lng === null || !other.scanAt) continue;
    const shared = report.testerIds.find((id) => other.testerIds.includes(id));
    if (!shared) continue;
    const km = distanceM(here, { lat: other.lat, lng: other.lng }) / 1000;
    const hours = Math.abs(at.getTime() - other.scanAt.getTime()) / 3_600_000;
    const speed = hours === 0 ? Infinity : km / hours;
    if (km > 1 && speed > thresholds.maxSpeedKmh) {
      const name = testers.find((t) => t.id === shared)?.name ?? shared;
      const mins = Math.round(hours * 60);
      hits.push({
        code: 'R05',
        message: `检测人员 ${name} ${mins} 分钟内出现在相距 ${km.toFixed(1)} 公里的两处（报告 ${other.reportNo}）`,
        details: { testerId: shared, otherReportNo: other.reportNo, km: Number(km.toFixed(1)), minutes: mins },
      });
    }
  }
  return hits;
};

const r06: Rule = ({ report, unit, thresholds, plan }) => {
  if (!report.scanGeo) {
    // A field record whose scan carried no location (the person or the browser refused it).
    if (plan?.fieldRecord) return [{ code: 'R06', message: '现场扫码时未记录位置，无法核实检测地点' }];
    return [{ code: 'R06', message: '重点单位检测未现场扫码' }];
  }
  if (unit.lat === null || unit.lng === null) return [];
  const m = distanceM(report.scanGeo, { lat: unit.lat, lng: unit.lng });
  return m > thresholds.scanMaxDistanceM
    ? [
        {
          code: 'R06',
          message: `扫码位置距单位地址 ${Math.round(m)} 米（上限 ${thresholds.scanMaxDistanceM} 米）`,
          details: { distanceM: Math.round(m) },
        },
      ]
    : [];
};

const r07: Rule = ({ report, reusedPhotos }) => {
  const hits: AnomalyHit[] = reusedPhotos.map((p) => ({
    code: 'R07' as const,
    message: `照片 ${p.hash.slice(0, 8)}… 已用于报告 ${p.reportNo}`,
    details: { hash: p.hash, otherReportNo: p.reportNo },
  }));
  for (const p of report.photos) {
    if (p.exifTime && shanghaiDate(new Date(p.exifTime)) !== report.inspectionDate) {
      hits.push({
        code: 'R07',
        message: `照片 ${p.hash.slice(0, 8)}… 拍摄于 ${shanghaiDate(new Date(p.exifTime))}，与检测日期不符`,
        details: { hash: p.hash },
      });
    }
  }
  return hits;
};

const r08: Rule = ({ report }) => {
  const hits: AnomalyHit[] = [];
  const ms = report.measurements;
  for (const m of ms) {
    const max = PHYSICAL_MAX[m.item];
    if (m.value < 0 || (max !== undefined && m.value > max)) {
      hits.push({
        code: 'R08',
        message: `${m.location}${m.item} ${m.value} ${m.unit} 超出物理可能范围`,
        details: { location: m.location, item: m.item, value: m.value },
      });
    } else if (m.item === '过渡电阻' && m.pass && m.value > TRANSITION_LIMIT_OHM) {
      hits.push({
        code: 'R08',
        message: `${m.location}过渡电阻 ${m.value} Ω 大于 ${TRANSITION_LIMIT_OHM} Ω 却判为合格`,
        details: { location: m.location, value: m.value },
      });
    }
  }
  const byItem = new Map<string, number[]>();
  for (const m of ms) byItem.set(m.item, [...(byItem.get(m.item) ?? []), m.value]);
  for (const [item, values] of byItem) {
    if (values.length >= 5 && new Set(values).size === 1) {
      hits.push({
        code: 'R08',
        message: `${values.length} 处${item}测量值完全相同（${values[0]}）`,
        details: { item, count: values.length },
      });
    }
  }
  const limited = ms.filter((m) => m.limit !== undefined);
  if (limited.length >= 3 && limited.every((m) => m.value === m.limit)) {
    hits.push({ code: 'R08', message: `全部 ${limited.length} 项测量值恰好等于限值` });
  }
  return hits;
};

const r09: Rule = ({ report, previous }) => {
  const hits: AnomalyHit[] = [];
  const failed = report.measurements.filter((m) => !m.pass);
  if (report.conclusion === 'PASS' && failed.length > 0) {
    hits.push({
      code: 'R09',
      message: `结论为合格，但 ${failed.length} 项不合格（如${failed[0].location}${failed[0].item}）`,
      details: { failed: failed.length },
    });
  }
  for (const m of report.measurements) {
    if (m.pass && m.limit !== undefined && m.item !== '过渡电阻' && m.value > m.limit) {
      hits.push({
        code: 'R09',
        message: `${m.location}${m.item} ${m.value} ${m.unit} 超过限值 ${m.limit} 却判为合格`,
        details: { location: m.location, item: m.item },
      });
    }
  }
  if (previous && report.measurements.length >= 3) {
    const key = (list: Measurement[]) =>
      list
        .map((m) => `${m.item}|${m.location}|${m.value}`)
        .sort()
        .join('\n');
    if (key(previous.measurements) === key(report.measurements)) {
      hits.push({
        code: 'R09',
        message: `检测数据与上次报告 ${previous.reportNo} 完全相同`,
        details: { previousReportNo: previous.reportNo },
      });
    }
  }
  return hits;
};

const r10: Rule = ({ report, agency, unit }) => {
  const hits: AnomalyHit[] = [];
  if (agency.level === 'B' && unit.lpClass < 3) {
    hits.push({ code: 'R10', message: `乙级机构检测${['', '一', '二'][unit.lpClass]}类防雷建筑物` });
  }
  if (agency.certValidUntil < new Date(`${report.inspectionDate}T00:00:00+08:00`)) {
    hits.push({ code: 'R10', message: `机构资质证书 ${shanghaiDate(agency.certValidUntil)} 已到期` });
  }
  return hits;
};

const r11: Rule = ({ report }) => {
  if (report.instruments.length === 0) return [{ code: 'R11', message: '报告未列明检测仪器及检定信息' }];
  return report.instruments
    .filter((i) => i.calibratedUntil < report.inspectionDate)
    .map((i) => ({
      code: 'R11' as const,
      message: `仪器 ${i.name}（${i.certNo}）检定有效期至 ${i.calibratedUntil}，早于检测日期`,
      details: { certNo: i.certNo },
    }));
};

const r12: Rule = ({ report, unit, previous, thresholds }) => {
  if (!unit.halfYearCycle || !previous) return [];
  const days = Math.round(
    (Date.parse(`${report.inspectionDate}T00:00:00+08:00`) - previous.inspectionDate.getTime()) / 86_400_000,
  );
  return days > thresholds.halfYearMaxGapDays
    ? [
        {
          code: 'R12',
          message: `半年检场所距上次检测 ${days} 天（报告 ${previous.reportNo}）`,
          details: { days, previousReportNo: previous.reportNo },
        },
      ]
    : [];
};

const planRequired = ({ report, thresholds }: RuleContext) =>
  !thresholds.planRequiredFrom || report.inspectionDate >= thresholds.planRequiredFrom;

const r13: Rule = (c) =>
  planRequired(c) && c.plan && !c.plan.fieldRecord
    ? [
        {
          code: 'R13',
          message: `检测计划（${c.plan.plannedDate}）未在现场扫码开始检测即提交报告`,
          details: { plannedDate: c.plan.plannedDate },
        },
      ]
    : [];

const r14: Rule = (c) =>
  planRequired(c) && !c.plan ? [{ code: 'R14', message: '检测前未提交检测计划即提交报告' }] : [];

/** Every rule, in code order. */
export const RULES: Record<AnomalyCode, Rule> = {
  R01: r01,
  R02: r02,
  R03: r03,
  R04: r04,
  R05: r05,
  R06: r06,
  R07: r07,
  R08: r08,
  R09: r09,
  R10: r10,
  R11: r11,
  R12: r12,
  R13: r13,
  R14: r14,
};

/** Runs all rules; hits in rule order. */
export function checkReport(ctx: RuleContext): AnomalyHit[] {
  return (Object.keys(RULES) as AnomalyCode[]).flatMap((code) => RULES[code](ctx));
}
