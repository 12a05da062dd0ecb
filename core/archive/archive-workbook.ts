// The .xlsx form of a unit's archive (一企一档): one sheet per part, Chinese headers, the same
// content as the JSON export (unit-archive.ts). Times are shown in Asia/Shanghai.
import ExcelJS from 'exceljs';
import { shanghaiDate } from '../domain/working-days';
import type { UnitArchive } from './unit-archive';

/** One cell's value. */
export type Cell = string | number | null;

// China has had no DST since 1991: a fixed UTC+8 offset is exact.
const time = (s: string | null): string =>
  s ? new Date(Date.parse(s) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';
const day = (s: string | null): string => (s ? shanghaiDate(new Date(s)) : '');
const yes = (b: boolean): string => (b ? '是' : '否');

/** Adds a sheet with bold, frozen headers (column title, width) and the rows. */
export function sheet(wb: ExcelJS.Workbook, name: string, columns: Array<[string, number]>, rows: Cell[][]): void {
  const ws = wb.addWorksheet(name);
  ws.columns = columns.map(([header, width]) => ({ header, width }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

/** The archive as .xlsx bytes. */
export async function archiveWorkbook(a: UnitArchive): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '雷卫';
  const u = a.unit;
  sheet(
    wb,
    '单位信息',
    [
      ['项目', 18],
      ['内容', 60],
    ],
    [
      ['单位名称', u.name],
      ['统一社会信用代码', u.uscc],
      ['行政区划', `${u.regionName}（${u.regionCode}）`],
      ['详细地址', u.address],
      ['单位类别', u.categoryLabel],
      ['防雷类别', `第${['一', '二', '三'][u.lpClass - 1] ?? u.lpClass}类`],
      ['每半年检测', yes(u.halfYearCycle)],
      ['上次检测日期', day(u.lastTestDate)],
      ['下次检测到期', day(u.nextDueDate)],
      ['安全风险码', u.riskColorLabel],
      ['风险分值', u.riskScore],
      ['信用等级', u.creditLevel ?? ''],
      ['主体责任得分', u.dutyScore],
      ['监管机构', u.supervisingOrg ?? ''],
      ['监管数字码', u.supervisionCode],
      ['状态', u.active ? '在册' : '已注销'],
      ['导出时间', time(a.generatedAt)],
    ],
  );
  sheet(
    wb,
    '人员',
    [
      ['姓名', 12],
      ['角色', 24],
      ['职务', 14],
      ['手机号（脱敏）', 16],
      ['身份证号（脱敏）', 22],
      ['已关联钉钉', 10],
      ['在职', 6],
    ],
    a.people.map((p) => [
      p.name,
      p.roles.join('、'),
      p.title ?? '',
      p.mobile,
      p.idNumber,
      yes(p.dingTalkBound),
      yes(p.active),
    ]),
  );
  sheet(
    wb,
    '隐患',
    [
      ['隐患编号', 14],
      ['类型', 22],
      ['等级', 10],
      ['来源', 10],
      ['状态', 10],
      ['描述', 40],
      ['依据', 30],
      ['文书编号', 16],
      ['发现时间', 17],
      ['整改期限', 17],
      ['销号时间', 17],
      ['整改提交', 40],
      ['延期申请', 40],
    ],
    a.hazards.map((h) => [
      h.no,
      h.typeLabel,
      h.gradeLabel,
      h.sourceLabel,
      h.statusLabel,
      h.description,
      h.legalBasis ?? '',
      h.noticeNo ?? '',
      time(h.foundAt),
      time(h.deadline),
      time(h.closedAt),
      h.rectifications
        .map(
          (r) =>
            `${time(r.submittedAt)} ${r.by}：${r.description}${r.decision ? `（${r.decision}${r.rejectReason ? `：${r.rejectReason}` : ''}）` : ''}`,
        )
        .join('\n'),
      h.extensions
        .map((e) => `${time(e.requestedAt)} 申请延期至 ${day(e.newDeadline)}：${e.reason}（${e.status}）`)
        .join('\n'),
    ]),
  );
  sheet(
    wb,
    '隐患记录',
    [
      ['隐患编号', 14],
      ['时间', 17],
      ['事项', 22],
      ['操作人', 12],
      ['渠道', 10],
    ],
    a.hazards.flatMap((h) =>
      h.timeline.map((t) => [
        h.no,
        time(t.at),
        t.label,
        t.actor?.name ?? (t.actorKind === 'SYSTEM' ? '系统' : '钉钉'),
        t.via ?? '',
      ]),
    ),
  );
  sheet(
    wb,
    '检查',
    [
      ['方式', 14],
      ['状态', 10],
      ['结果', 12],
      ['得分', 8],
      ['开始时间', 17],
      ['提交时间', 17],
      ['检查人员', 20],
      ['符合', 6],
      ['不符合', 8],
      ['不适用', 8],
      ['发现隐患', 30],
    ],
    a.inspections.map((i) => [
      i.modeLabel,
      i.statusLabel,
      i.resultLabel ?? '',
      i.score,
      time(i.startedAt),
      time(i.submittedAt),
      i.inspectors.join('、'),
      i.items.pass,
      i.items.fail,
      i.items.na,
      i.hazardNos.join('、'),
    ]),
  );
  sheet(
    wb,
    '检测报告',
    [
      ['报告编号', 20],
      ['检测机构', 28],
      ['检测日期', 12],
      ['出具日期', 12],
      ['上传日期', 12],
      ['结论', 8],
      ['状态', 10],
      ['质量考核', 12],
      ['异常提示', 50],
      ['报告文件', 24],
      ['文件 SHA-256', 66],
    ],
    a.testReports.map((r) => [
      r.reportNo,
      r.agency,
      day(r.inspectionDate),
      day(r.issueDate),
      day(r.uploadDate),
      r.conclusionLabel,
      r.statusLabel,
      r.qualityResult ?? '',
      r.anomalies.map((x) => `${x.code} ${x.message}`).join('\n'),
      r.fileName ?? '',
      r.fileSha256 ?? '',
    ]),
  );
  sheet(
    wb,
    '主体责任排名',
    [
      ['期次', 10],
      ['组别（单位类别）', 18],
      ['名次', 6],
      ['组内单位数', 10],
      ['得分', 8],
      ['排名靠后', 9],
      ['连续靠后期数', 12],
      ['公布时间', 17],
    ],
    a.rankings.map((r) => [
      r.period,
      r.categoryLabel,
      r.rank,
      r.total,
      r.score,
      yes(r.bottom),
      r.consecutiveBottom,
      time(r.publishedAt),
    ]),
  );
  sheet(
    wb,
    '提醒约谈',
    [
      ['类型', 10],
      ['期次', 10],
      ['原因', 50],
      ['状态', 12],
      ['暂不约谈理由', 30],
      ['发起时间', 17],
      ['处理时间', 17],
    ],
    a.dutyActions.map((d) => [
      d.kindLabel,
      d.period,
      d.reason,
      d.statusLabel,
      d.declineReason ?? '',
      time(d.createdAt),
      time(d.decidedAt),
    ]),
  );
  sheet(
    wb,
    '约谈',
    [
      ['约谈事由', 40],
      ['状态', 10],
      ['时间', 17],
      ['地点', 24],
      ['参加人员', 24],
      ['需带材料', 24],
      ['约谈纪要', 40],
      ['举行时间', 17],
      ['办结时间', 17],
      ['整改承诺', 50],
    ],
    a.interviews.map((v) => [
      v.reason,
      v.statusLabel,
      time(v.scheduledAt),
      v.place,
      v.attendees.join('、'),
      v.materials.join('、'),
      v.record ?? '',
      time(v.heldAt),
      time(v.closedAt),
      v.tasks.map((t) => `${t.text}（${day(t.dueAt)} 前${t.doneAt ? `，${day(t.doneAt)} 已完成` : ''}）`).join('\n'),
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
