// 整改复核: to the regulator when a unit submits its rectification (measures, retest, photos);
// 通过 closes the hazard (销号), 驳回 sends it back (reason entered on the detail page or by chat).
import { z } from 'zod';
import { flag, link, md, mdList, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { formatDate, formatDateTime } from '../format';
import { HazardLevel } from '../labels';
import { hazardTypeLabel, zCardStatus, zDay, zHazardRef, zId, zName, zTime, zUnit, zUrl } from '../schemas';

const schema = z.object({
  hazardId: zId,
  submissionId: zId,
  unit: zUnit,
  hazard: zHazardRef,
  deadline: zDay,
  submittedBy: zName,
  submittedAt: zTime,
  measures: z.string().trim().min(1).max(300),
  evidence: z.object({
    /** Retest report number, when a retest was required. */
    retestReportNo: z.string().trim().min(1).max(40).optional(),
    /** Retest findings, one line each, e.g. 3 号罐接地电阻复测 3.2 Ω. */
    findings: z.array(z.string().trim().min(1).max(100)).max(5).default([]),
    photos: z
      .array(z.object({ url: zUrl, caption: z.string().trim().max(30).optional() }))
      .max(9)
      .default([]),
  }),
  links: z.object({ detail: zUrl }),
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;

function evidenceLines(d: Data): string[] {
  return [
    ...(d.evidence.retestReportNo ? [`复测报告：${d.evidence.retestReportNo}`] : []),
    ...d.evidence.findings,
    `现场照片 ${d.evidence.photos.length} 张`,
  ];
}

/** 防雷安全隐患整改复核 */
export const rectificationVerify = defineTemplate({
  kind: 'rectification-verify',
  title: '防雷安全隐患整改复核',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '待复核：{{ unit.name }}「{{ typeLabel }}」整改材料',
  view: (d: Data) => ({
    ...d,
    typeLabel: hazardTypeLabel(d.hazard),
    levelLabel: HazardLevel.label(d.hazard.level),
    lines: evidenceLines(d),
  }),
  markdown: `#### 防雷安全隐患整改复核

**{{ unit.name }}** 已提交「{{ typeLabel }}」（{{ levelLabel }}）的整改材料，请复核。

- 整改期限：{{ deadline | cn_date }}
- 提交：{{ submittedBy }}，{{ submittedAt | cn_datetime }}
- 整改措施：{{ measures }}
{% for l in lines %}- {{ l }}
{% endfor %}
[查看材料并复核]({{ links.detail | url }})`,
  card: {
    layout: 'rectification-verify',
    params: (d) => {
      const photos = d.evidence.photos.slice(0, 3);
      const photo = (i: number) => link(photos[i]?.url);
      return {
        ...stateHeader(`整改复核：${d.unit.name}`, d.status?.state, 'blue'),
        unitName: plain(d.unit.name),
        hazardType: plain(hazardTypeLabel(d.hazard)),
        hazardLevel: plain(HazardLevel.label(d.hazard.level)),
        deadline: formatDate(d.deadline),
        submittedBy: plain(d.submittedBy),
        submittedAt: formatDateTime(d.submittedAt),
        measures: md(d.measures),
        evidence: mdList(evidenceLines(d)),
        photo1: photo(0),
        photo1Visible: flag(photo(0) !== ''),
        photo2: photo(1),
        photo2Visible: flag(photo(1) !== ''),
        photo3: photo(2),
        photo3Visible: flag(photo(2) !== ''),
        statusText: plain(d.status?.text ?? ''),
        statusVisible: flag(Boolean(d.status)),
        actionsVisible: flag(d.status ? d.status.actionsVisible : true),
        hazardId: plain(d.hazardId),
        submissionId: plain(d.submissionId),
        detailUrl: link(d.links.detail),
      };
    },
  },
  sample: {
    hazardId: 'HZ-2025-000123',
    submissionId: 'RS-2025-000311',
    unit: { name: '杭州示例石化仓储有限公司' },
    hazard: { type: 'EARTH_R', level: 'GENERAL' },
    deadline: '2025-07-25',
    submittedBy: '张三',
    submittedAt: '2025-07-21T16:40:00+08:00',
    measures: '更换 3 号罐区锈蚀接地极 4 根，新增垂直接地极 2 根并补焊连接线，降阻处理后委托复测。',
    evidence: {
      retestReportNo: 'FLJC-2025-0512',
      findings: ['3 号罐防直击雷接地电阻复测 3.2 Ω（限值 10 Ω）'],
      photos: [
        { url: 'https://leiguard.example.gov.cn/files/rs-311-1.jpg', caption: '新接地极' },
        { url: 'https://leiguard.example.gov.cn/files/rs-311-2.jpg', caption: '复测现场' },
      ],
    },
    links: { detail: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123/review/RS-2025-000311' },
  },
});
