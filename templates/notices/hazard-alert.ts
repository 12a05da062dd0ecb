// 防雷安全隐患整改通知: sent to the key unit's manager when a hazard is filed (after a test,
// an enforcement inspection, a self-check or a report). Statutory: it starts the rectification
// deadline (《防雷减灾管理办法》 art. 35: a failed test not rectified is punishable).
import { z } from 'zod';
import { flag, link, md, mdList, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { formatDate } from '../format';
import { HazardLevel, HazardSource, HazardStatus, HazardType, NoticeDocKind, RiskColor } from '../labels';
import { zCardStatus, zDay, zId, zLegalBasis, zText, zUnit, zUrl } from '../schemas';

/** A name as the record holds it (worded into the status line as it is). */
const zRecordName = z.string().max(200);

/**
 * Where the hazard stands, from the record (core/hazard/notice-data.ts); the card's status line
 * and header state are worded from it here.
 */
const zProgress = z.object({
  status: HazardStatus.schema.exclude(['REJECTED']),
  /** The latest rectification submitted, with its review once decided. */
  last: z
    .object({
      submittedBy: zRecordName,
      decision: z.enum(['APPROVED', 'REJECTED']).optional(),
      /** The reviewer; empty when the record names none. */
      decidedBy: zRecordName.optional(),
    })
    .optional(),
  /** Who has acknowledged the notice (已知悉), first first. */
  ackedBy: z.array(zRecordName).max(200).default([]),
  riskColor: RiskColor.schema,
  /** Beijing days past the deadline (at least 1): the hazard is overdue or its deadline has passed. */
  overdueDays: z.number().int().min(1).max(9999).optional(),
});

const schema = z.object({
  hazardId: zId,
  unit: zUnit,
  hazard: z.object({
    type: HazardType.schema,
    /** Free name when type is OTHER, or a more precise name. */
    typeText: z.string().trim().max(30).optional(),
    level: HazardLevel.schema,
    source: HazardSource.schema.optional(),
    description: zText(300),
    location: z.string().trim().max(60).optional(),
    foundAt: zDay,
  }),
  notice: z.object({ kind: NoticeDocKind.schema, no: z.string().trim().min(1).max(40) }).optional(),
  deadline: zDay,
  legalBasis: z.array(zLegalBasis).min(1).max(3),
  requirements: z.array(z.string().trim().min(1).max(120)).min(1).max(5),
  /** Issuing bureau, e.g. 杭州市余杭区气象局. */
  issuer: z.string().trim().min(1).max(40),
  links: z.object({ submit: zUrl, extension: zUrl.optional(), detail: zUrl.optional() }),
  progress: zProgress.optional(),
  /** A status line given as words (notices queued before `progress` existed); wins over `progress`. */
  status: zCardStatus.optional(),
  /**
   * Who sees which buttons (DingTalk userIds): those who acknowledged no longer get 「已知悉」; those
   * who cannot rectify (the legal representative) get no 「提交整改」/「申请延期」.
   */
  viewers: z
    .object({
      acked: z.array(z.string().min(1)).max(200).default([]),
      readOnly: z.array(z.string().min(1)).max(200).default([]),
    })
    .optional(),
});

type Data = z.output<typeof schema>;
type Progress = z.output<typeof zProgress>;

/** The status as the card's line says it. */
const STATUS_TEXT: Record<Progress['status'], string> = {
  PENDING: '待整改',
  FIXING: '整改中',
  SUBMITTED: '整改已提交，待监管人员复核',
  CLOSED: '已复核销号',
  OVERDUE: '已逾期未整改',
  ESCALATED: '已逾期并升级处理',
};

const OPEN: ReadonlySet<string> = new Set(['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED']);

/** The header state: words and colour (overdue ones say by how many days). */
function hazardState(p: Progress): { label: string; tone: 'blue' | 'green' | 'red' | 'orange' } {
  const late = p.overdueDays ?? 1;
  switch (p.status) {
    case 'SUBMITTED':
      return { label: '待复核', tone: 'blue' };
    case 'CLOSED':
      return { label: '已销号', tone: 'green' };
    case 'ESCALATED':
      return { label: `已升级·逾期 ${late} 天`, tone: 'red' };
    case 'OVERDUE':
      return { label: `已逾期 ${late} 天`, tone: 'red' };
    default:
      return p.overdueDays
        ? { label: `已逾期 ${late} 天`, tone: 'red' }
        : { label: p.status === 'FIXING' ? '整改中' : '待整改', tone: 'orange' };
  }
}

/**
 * The status line every recipient reads, so every card tells the same story: the status, who acted
 * last, who has acknowledged, the unit's risk code (at most 100 characters).
 */
function statusLine(p: Progress): string {
  const open = OPEN.has(p.status);
  const parts = [`状态：${STATUS_TEXT[p.status]}`];
  const last = p.last;
  if (last && p.status === 'SUBMITTED') parts.push(`${last.submittedBy} 已提交整改`);
  if (last?.decision === 'APPROVED' && p.status === 'CLOSED') parts.push(`${last.decidedBy ?? ''} 复核通过`);
  if (last?.decision === 'REJECTED' && p.status !== 'CLOSED' && p.status !== 'SUBMITTED')
    parts.push(`整改被${last.decidedBy ?? ''}驳回，请重新提交`);
  if (p.ackedBy.length > 0 && open) parts.push(`${p.ackedBy.join('、')} 已知悉`);
  parts.push(`单位风险码：${RiskColor.label(p.riskColor)}`);
  return parts.join('；').slice(0, 100).trim();
}

/** The card's status: as given in words, else worded from the progress. */
function cardStatus(d: Data): Data['status'] {
  if (d.status || !d.progress) return d.status;
  return { text: statusLine(d.progress), actionsVisible: OPEN.has(d.progress.status), state: hazardState(d.progress) };
}

function view(d: Data) {
  return {
    ...d,
    typeLabel: d.hazard.typeText ?? HazardType.label(d.hazard.type),
    levelLabel: HazardLevel.label(d.hazard.level),
    sourceLabel: d.hazard.source ? HazardSource.label(d.hazard.source) : '',
    noticeLabel: d.notice ? `${NoticeDocKind.label(d.notice.kind)}（${d.notice.no}）` : '',
    major: d.hazard.level === 'MAJOR',
  };
}

/** 防雷安全隐患整改通知 */
export const hazardAlert = defineTemplate({
  kind: 'hazard-alert',
  title: '防雷安全隐患整改通知',
  schema,
  statutory: true,
  urgency: 'urgent',
  summary: '【{{ levelLabel }}】{{ unit.name }}：{{ typeLabel }}，请于{{ deadline | cn_date }}前整改',
  view,
  markdown: `### {% if major %}<font color=#D0021B>重大隐患</font> {% endif %}防雷安全隐患整改通知

**{{ unit.name }}**：

经{% if sourceLabel %}{{ sourceLabel }}{% else %}检查{% endif %}发现你单位存在以下防雷安全隐患，请按要求限期整改。

- 隐患类型：{{ typeLabel }}（{{ levelLabel }}）
- 隐患情况：{{ hazard.description }}{% if hazard.location %}（位置：{{ hazard.location }}）{% endif %}
- 发现日期：{{ hazard.foundAt | cn_date }}
- **整改期限：{{ deadline | cn_date }}**
{% if noticeLabel %}- 文书：{{ noticeLabel }}
{% endif %}
**整改要求**

{% for r in requirements %}{{ forloop.index }}. {{ r }}
{% endfor %}
依据：{{ legalBasis | join: '；' }}

{{ issuer }}

[提交整改]({{ links.submit | url }}){% if links.extension %} ｜ [申请延期]({{ links.extension | url }}){% endif %}`,
  actionCard: {
    title: '【{{ levelLabel }}】{{ unit.name }}：防雷安全隐患整改通知',
    text: `### 防雷安全隐患整改通知

**{{ unit.name }}**：经{% if sourceLabel %}{{ sourceLabel }}{% else %}检查{% endif %}发现防雷安全隐患，请于 **{{ deadline | cn_date }}** 前完成整改。

- 隐患：{{ typeLabel }}（{{ levelLabel }}）
- 情况：{{ hazard.description | truncate: 80 }}

{{ issuer }}`,
    buttons: [
      { title: '提交整改', url: '{{ links.submit | url }}' },
      { title: '申请延期', url: '{{ links.extension | url }}' },
      { title: '查看详情', url: '{{ links.detail | url }}' },
    ],
  },
  // 重大隐患: the manager is also DINGed (issue #4) so the notice is not missed.
  ding: `【{{ levelLabel }}】{{ unit.name }}：{{ issuer }}发现{{ typeLabel }}，请于{{ deadline | cn_date }}前完成整改。{% if major %}请立即采取临时防护措施。{% endif %}详情请查看钉钉中的隐患整改通知卡片。`,
  card: {
    layout: 'hazard-alert',
    params: (d) => {
      const v = view(d);
      const status = cardStatus(d);
      return {
        // The unit first, the state in words and colour (issue #23).
        ...stateHeader(
          `${d.unit.name}：${v.major ? '重大隐患' : '隐患'}整改通知`,
          status?.state,
          v.major ? 'red' : 'orange',
        ),
        unitName: plain(d.unit.name),
        hazardType: plain(v.typeLabel),
        hazardLevel: plain(v.levelLabel),
        foundAt: formatDate(d.hazard.foundAt),
        deadline: formatDate(d.deadline),
        description: md(
          d.hazard.location ? `${d.hazard.description}（位置：${d.hazard.location}）` : d.hazard.description,
        ),
        requirements: mdList(d.requirements, true),
        legalBasis: plain(d.legalBasis.join('；')),
        issuer: plain(v.noticeLabel ? `${d.issuer} · ${v.noticeLabel}` : d.issuer),
        statusText: plain(status?.text ?? ''),
        statusVisible: flag(Boolean(status)),
        actionsVisible: flag(status ? status.actionsVisible : true),
        hazardId: plain(d.hazardId),
        submitUrl: link(d.links.submit),
        extensionUrl: link(d.links.extension),
        extensionVisible: flag(Boolean(d.links.extension)),
        ackVisible: flag(true),
        submitVisible: flag(true),
      };
    },
    privateParams: (d) => {
      const own: Record<string, Record<string, string>> = {};
      for (const u of d.viewers?.acked ?? []) own[u] = { ...own[u], ackVisible: flag(false) };
      for (const u of d.viewers?.readOnly ?? [])
        own[u] = { ...own[u], submitVisible: flag(false), extensionVisible: flag(false) };
      return own;
    },
  },
  sample: {
    hazardId: 'HZ-2025-000123',
    unit: { name: '杭州示例石化仓储有限公司', uscc: '91330110MA2H000017', regionName: '余杭区' },
    hazard: {
      type: 'EARTH_R',
      level: 'GENERAL',
      source: 'TEST',
      description: '储罐区 3 号罐防直击雷接地电阻实测 18.6 Ω，超过 10 Ω 的限值，接地极存在锈蚀断裂。',
      location: '储罐区 3 号罐',
      foundAt: '2025-07-10',
    },
    notice: { kind: 'RECTIFY_OPINION', no: '余气防整〔2025〕第018号' },
    deadline: '2025-07-25',
    legalBasis: ['《防雷减灾管理办法》（中国气象局令第24号）第十九条、第三十五条', 'GB 50057《建筑物防雷设计规范》'],
    requirements: [
      '立即组织检修储罐区接地装置，更换锈蚀断裂的接地极',
      '整改完成后委托具有相应资质的检测机构复测并出具检测报告',
      '在整改期限内上传整改照片和复测报告',
    ],
    issuer: '杭州市余杭区气象局',
    progress: { status: 'FIXING', ackedBy: ['陈晓峰'], riskColor: 'YELLOW' },
    links: {
      submit: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123/rectify',
      extension: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123/extension',
      detail: 'https://leiguard.example.gov.cn/m/hazards/HZ-2025-000123',
    },
  },
});
