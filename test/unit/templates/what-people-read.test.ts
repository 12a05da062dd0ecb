// What people read in every notice and card (issue #23): one way to write dates (2026-12-06, times
// 2026-12-06 07:54), the subject (unit, project) named in the first line a person sees, and a card's
// state in its header, in words and colour, once the matter has moved on.
import { channelsOf, getTemplate, listTemplates, renderNotice, type Channel } from '../../../templates';
import { shippedLayouts, type CardLayout } from '../../../templates/layout';

/** Dates and times written any other way than 2026-12-06 / 2026-12-06 07:54. */
const OTHER_DATES = [
  /\d{4}\/\d{1,2}\/\d{1,2}/, // 2026/12/06
  /\d{1,2}月\d{1,2}日/, // 12月6日
  /\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日/, // 2026 年 12 月 6 日
  /\d{1,2}:\d{2}:\d{2}/, // seconds
  /\d{4}-\d{2}-\d{2}T\d{2}/, // ISO
  /(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)(?<!\d{4}-\d{2}-\d{2})/, // 2026-12-6
];

/**
 * Text written by someone else and quoted as is (the warning as its 气象台 issued it, an operator's
 * free notice): not ours to reformat.
 */
const QUOTED: Record<string, (sample: Record<string, unknown>) => string[]> = {
  'lightning-warning': (s) => [String(s.text)],
  'generic-text': (s) => [String(s.text ?? ''), String(s.content ?? '')],
};

/**
 * What each notice is about, as its sample names it. Kinds not listed are about several units or a
 * whole region (lists, rankings, the digest: the region or the count comes first) or, for the
 * lightning warning, about the warning itself (its issuer comes first; the card says whom it is to).
 */
const SUBJECT: Record<string, (sample: Record<string, unknown>) => string> = {};
const unitName = (s: Record<string, unknown>) => (s.unit as { name: string }).name;
for (const kind of [
  'hazard-alert',
  'hazard-reminder',
  'hazard-overdue',
  'hazard-status',
  'rectification-verify',
  'extension-request',
  'ranking-notice',
  'interview-summons',
  'interview-proposal',
  'test-report-anomaly',
  'self-check',
  'test-plan',
  'test-report-due',
  'inspection-repeat',
])
  SUBJECT[kind] = unitName;
SUBJECT['approval-task'] = (s) => String(s.title);
SUBJECT['approval-status'] = (s) => String(s.title);
SUBJECT['inspection-due'] = (s) => String((s.unit as { name?: string } | undefined)?.name ?? s.unitName);

const cases = listTemplates().flatMap((t) => channelsOf(t.kind).map((c) => [t.kind, c] as const));

/** The card layout variables a person sees (not button parameters or links). */
function shownVariables(layout: CardLayout): Set<string> {
  const shown = new Set<string>();
  const add = (s: string) => [...s.matchAll(/\$\{([^}]*)\}/g)].forEach((m) => shown.add(m[1]!));
  for (const b of layout.blocks) {
    if (b.type === 'header' || b.type === 'markdown' || b.type === 'note') add(b.text);
    else if (b.type === 'fields') b.items.forEach((i) => (add(i.label), add(i.value)));
    else if (b.type === 'choices') add(b.label);
    else if (b.type === 'input') add(b.placeholder);
  }
  return shown;
}

/** The text a person reads, and the first line they see (message title, card header, DING text). */
function read(kind: string, channel: Channel, data: unknown): { text: string; first: string } {
  const out = renderNotice(kind, data, channel) as Record<string, unknown>;
  switch (channel) {
    case 'CARD': {
      const map = out.cardParamMap as Record<string, string>;
      const layout = shippedLayouts().layouts.get(out.layout as string)!;
      const shown = shownVariables(layout);
      return {
        text: Object.keys(map)
          .filter((k) => shown.has(k))
          .map((k) => map[k])
          .join('\n'),
        first: map.title!,
      };
    }
    case 'DING':
      return { text: String(out.content), first: String(out.content) };
    case 'ROBOT_OTO':
    case 'ROBOT_GROUP': {
      const p = JSON.parse(String(out.msgParam)) as Record<string, string>;
      return { text: Object.values(p).join('\n'), first: p.title! };
    }
    default: {
      // An OA work notice: its title is the first line, its rows and text what is read (not its link).
      if (out.msgtype === 'oa') {
        const oa = out.oa as { body: { title: string }; status_bar?: unknown };
        return { text: JSON.stringify([oa.body, oa.status_bar]), first: oa.body.title };
      }
      const body = (out.markdown ?? out.action_card ?? out.actionCard) as Record<string, unknown>;
      return { text: JSON.stringify(body), first: String(body.title) };
    }
  }
}

describe('one way to write dates', () => {
  it.each(cases)('%s on %s', (kind, channel) => {
    const sample = getTemplate(kind).sample as Record<string, unknown>;
    let { text } = read(kind, channel, sample);
    for (const q of QUOTED[kind]?.(sample) ?? []) if (q) text = text.split(q).join('');
    for (const re of OTHER_DATES) expect(text).not.toMatch(re);
  });
});

describe('the subject in the first line', () => {
  it.each(cases.filter(([kind]) => SUBJECT[kind]))('%s on %s', (kind, channel) => {
    const sample = getTemplate(kind).sample as Record<string, unknown>;
    const subject = SUBJECT[kind]!(sample);
    expect(subject).toBeTruthy();
    expect(read(kind, channel, sample).first).toContain(subject);
  });
});

describe("a card's state in its header", () => {
  const layoutOf = (kind: string) => shippedLayouts().layouts.get(kind)!;
  // Cards with a status line (statusText) take the state given with it; approval-status says its
  // own status (its statusText is only a note for the applicant, e.g. after 催办); a plan notice
  // (test-plan) has no state to show.
  const cards = listTemplates()
    .map((t) => t.kind)
    .filter(
      (k) => k !== 'approval-status' && channelsOf(k).includes('CARD') && layoutOf(k).variables.includes('statusText'),
    );
  expect(cards.length).toBeGreaterThanOrEqual(8);
  const state = { label: '已同意', tone: 'green' } as const;
  it.each(cards)('%s', (kind) => {
    const sample = getTemplate(kind).sample as Record<string, unknown>;
    const out = renderNotice(kind, { ...sample, status: { text: '已由 王执法 同意', state } }, 'CARD');
    const map = out.cardParamMap as Record<string, string>;
    expect(map.title).toMatch(/^【已同意】/);
    expect(map.headerColor).toBe('green');
    expect(layoutOf(kind).blocks.find((b) => b.type === 'header')).toMatchObject({
      text: '${title}',
      color: '${headerColor}',
    });
  });
  it('approval-status', () => {
    const sample = getTemplate('approval-status').sample as Record<string, unknown>;
    const map = renderNotice('approval-status', sample, 'CARD').cardParamMap as Record<string, string>;
    expect(map.title).toBe(`【审批中】${String(sample.title)}`);
    expect(layoutOf('approval-status').blocks.find((b) => b.type === 'header')).toMatchObject({
      color: '${headerColor}',
    });
  });
});
