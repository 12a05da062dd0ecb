import {
  CHANNELS,
  TemplateChannelError,
  TemplateDataError,
  UnknownTemplateError,
  channelsOf,
  getTemplate,
  listTemplates,
  renderNotice,
  type Channel,
} from '../../../templates';
import { hazardAlert } from '../../../templates/notices/hazard-alert';
import { shippedLayouts } from '../../../templates/layout';

const ROBOT_KEYS: Record<string, string[]> = {
  sampleMarkdown: ['title', 'text'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
  sampleActionCard2: ['title', 'text', 'actionTitle1', 'actionURL1', 'actionTitle2', 'actionURL2'],
  sampleActionCard3: [
    'title',
    'text',
    'actionTitle1',
    'actionURL1',
    'actionTitle2',
    'actionURL2',
    'actionTitle3',
    'actionURL3',
  ],
  sampleActionCard4: ['title', 'text', ...[1, 2, 3, 4].flatMap((i) => [`actionTitle${i}`, `actionURL${i}`])],
  sampleActionCard5: ['title', 'text', ...[1, 2, 3, 4, 5].flatMap((i) => [`actionTitle${i}`, `actionURL${i}`])],
};

function expectShape(kind: string, channel: Channel, out: unknown): void {
  const o = out as Record<string, unknown>;
  switch (channel) {
    case 'ROBOT_OTO':
    case 'ROBOT_GROUP': {
      expect(typeof o.msgKey).toBe('string');
      expect(typeof o.msgParam).toBe('string');
      const param = JSON.parse(o.msgParam as string) as Record<string, string>;
      expect(Object.keys(param).sort()).toEqual([...(ROBOT_KEYS[o.msgKey as string] ?? ['?'])].sort());
      for (const v of Object.values(param)) expect(v.length).toBeGreaterThan(0);
      break;
    }
    case 'WORK_NOTICE':
      expect(['markdown', 'action_card', 'oa']).toContain(o.msgtype);
      expect(o[o.msgtype as string]).toBeDefined();
      expect(Buffer.byteLength(JSON.stringify(o))).toBeLessThanOrEqual(2048);
      if (o.msgtype === 'oa') {
        // DingTalk's required OA fields: the link, the header's colour (AARRGGBB) and text, a body.
        const oa = o.oa as { message_url: string; head: { bgcolor: string; text: string }; body: object };
        expect(oa.message_url).toMatch(/^https:\/\//);
        expect(oa.head.bgcolor).toMatch(/^[0-9A-F]{8}$/);
        expect(oa.head.text.length).toBeLessThanOrEqual(10);
        expect(oa.body).toBeDefined();
      }
      break;
    case 'WEBHOOK':
      expect(['markdown', 'actionCard']).toContain(o.msgtype);
      expect(o[o.msgtype as string]).toBeDefined();
      break;
    case 'DING':
      expect(typeof o.content).toBe('string');
      expect((o.content as string).length).toBeGreaterThan(0);
      break;
    case 'CARD': {
      const layout = shippedLayouts().layouts.get(o.layout as string);
      expect(layout).toBeDefined();
      expect(o.templateId).toBe(layout?.templateId);
      const map = o.cardParamMap as Record<string, unknown>;
      expect(Object.keys(map).sort()).toEqual([...(layout?.variables ?? [])].sort());
      for (const v of Object.values(map)) {
        expect(typeof v).toBe('string');
        expect(Buffer.byteLength(v as string)).toBeLessThanOrEqual(1024);
      }
      break;
    }
  }
  expect(kind).toBeTruthy();
}

describe('every kind renders its sample on each supported channel', () => {
  const cases = listTemplates().flatMap((t) => channelsOf(t.kind).map((c) => [t.kind, c] as const));
  it.each(cases)('%s on %s', (kind, channel) => {
    const out = renderNotice(kind, getTemplate(kind).sample, channel);
    expectShape(kind, channel, out);
  });

  it.each(
    listTemplates()
      .filter((t) => t.markdown && t.actionCard)
      .map((t) => t.kind),
  )('%s renders both message forms', (kind) => {
    const md = renderNotice(kind, getTemplate(kind).sample, 'ROBOT_GROUP', { format: 'markdown' });
    const ac = renderNotice(kind, getTemplate(kind).sample, 'ROBOT_GROUP', { format: 'actionCard' });
    expect(md.msgKey).toBe('sampleMarkdown');
    expect(ac.msgKey).toMatch(/^sampleActionCard\d?$/);
  });

  it('an OA work notice keeps its rows and link whole and clips its text to 2,048 bytes', () => {
    const sample = getTemplate('lightning-warning').sample as Record<string, unknown>;
    const long = '雷电活动强烈，请各单位立即落实防雷措施。'.repeat(25).slice(0, 500);
    const out = renderNotice('lightning-warning', { ...sample, text: long }, 'WORK_NOTICE');
    if (out.msgtype !== 'oa') throw new Error(`expected an OA notice, got ${out.msgtype}`);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeGreaterThan(1900);
    expect(out.oa.body.content).toMatch(/^请立即落实防雷安全措施，并打开本消息点击「收到」确认。雷电活动强烈/);
    expect(out.oa.body.content!.endsWith('…')).toBe(true);
    expect(out.oa.body.form!.map((f) => f.key)).toEqual(['影响区域：', '发布时间：', '有效期至：']);
    expect(out.oa.message_url).toBe((sample.links as { ack: string }).ack);
    expect(out.oa.status_bar).toEqual({ status_value: '待确认收到', status_bg: 'FFB3261E' });
  });

  it('every kind has a Chinese title, a schema and at least one channel', () => {
    for (const t of listTemplates()) {
      expect(t.title).toMatch(/[\u4e00-\u9fa5]/);
      expect(channelsOf(t.kind).length).toBeGreaterThan(0);
    }
  });
});

describe('errors', () => {
  it('bad data → TemplateDataError naming the fields, nothing rendered', () => {
    const params = jest.spyOn(hazardAlert.card!, 'params');
    const bad = { ...hazardAlert.sample, unit: { name: '' }, deadline: '2025-13-40', legalBasis: [] };
    let err: unknown;
    try {
      renderNotice('hazard-alert', bad, 'CARD');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateDataError);
    const e = err as TemplateDataError;
    expect(e.code).toBe('TEMPLATE_DATA_INVALID');
    expect(e.fields.map((f) => f.path).sort()).toEqual(['deadline', 'legalBasis', 'unit.name']);
    expect(e.message).toContain('防雷安全隐患整改通知');
    expect(e.message).toContain('unit.name：不能为空');
    expect(e.message).toContain('legalBasis：至少需要 1 项');
    expect(params).not.toHaveBeenCalled();
    params.mockRestore();
  });

  it('missing fields are named', () => {
    expect(() => renderNotice('generic-text', { paragraphs: ['x'] }, 'DING')).toThrow('title：缺少此字段');
  });

  it('unknown kind → UnknownTemplateError', () => {
    expect(() => renderNotice('no-such-kind', {}, 'DING')).toThrow(UnknownTemplateError);
    expect(() => getTemplate('no-such-kind')).toThrow(expect.objectContaining({ code: 'TEMPLATE_UNKNOWN' }));
  });

  it('a channel the kind has no form for → TemplateChannelError', () => {
    expect(() => renderNotice('generic-text', getTemplate('generic-text').sample, 'CARD')).toThrow(
      TemplateChannelError,
    );
  });
});

describe('cards', () => {
  it('uses the tenant template id from DINGTALK_CARD_TEMPLATES when configured', () => {
    const out = renderNotice('hazard-alert', hazardAlert.sample, 'CARD', {
      cardTemplates: { 'hazard-alert': 'tpl-123.schema' },
    });
    expect(out.templateId).toBe('tpl-123.schema');
    expect(out.layout).toBe('hazard-alert');
  });

  it('keeps every value a string of at most 1 KB even with the longest data', () => {
    const cardKinds = listTemplates().filter((t) => t.card);
    expect(cardKinds.length).toBeGreaterThan(0);
    const long = {
      ...hazardAlert.sample,
      unit: { name: '雷'.repeat(60) },
      hazard: { ...hazardAlert.sample.hazard, description: '[*]'.repeat(100), location: '#'.repeat(60) },
      legalBasis: ['律'.repeat(120), '法'.repeat(120), '规'.repeat(120)],
      requirements: Array.from({ length: 5 }, () => '_'.repeat(120)),
    };
    const { cardParamMap } = renderNotice('hazard-alert', long, 'CARD');
    for (const v of Object.values(cardParamMap)) {
      expect(typeof v).toBe('string');
      expect(Buffer.byteLength(v)).toBeLessThanOrEqual(1024);
    }
  });

  it('shows a status line and hides the buttons after a decision', () => {
    const out = renderNotice(
      'hazard-alert',
      { ...hazardAlert.sample, status: { text: '张三已于 7月11日 09:30 确认知悉' } },
      'CARD',
    );
    expect(out.cardParamMap.statusText).toBe('张三已于 7月11日 09:30 确认知悉');
    expect(out.cardParamMap.statusVisible).toBe('true');
    expect(out.cardParamMap.actionsVisible).toBe('false');
  });

  it('channel list constant covers the payload map', () => {
    expect([...CHANNELS].sort()).toEqual(['CARD', 'DING', 'ROBOT_GROUP', 'ROBOT_OTO', 'WEBHOOK', 'WORK_NOTICE']);
  });
});
