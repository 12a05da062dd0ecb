import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkTemplates, listTemplates, type AnyNoticeTemplate } from '../../../templates';
import { CARDS_DIR } from '../../../templates/layout';
import { hazardAlert } from '../../../templates/notices/hazard-alert';

const noConfig = { cardTemplates: {} };

function copyCards(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leiguard-cards-'));
  for (const f of fs.readdirSync(CARDS_DIR))
    if (f.endsWith('.card.json')) fs.copyFileSync(path.join(CARDS_DIR, f), path.join(dir, f));
  return dir;
}

describe('checkTemplates', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  function cards(): string {
    const d = copyCards();
    dirs.push(d);
    return d;
  }

  it('finds nothing wrong with the shipped templates', () => {
    expect(checkTemplates(noConfig)).toEqual([]);
  });

  it('accepts tenant ids for known card kinds and rejects unknown or card-less kinds', () => {
    expect(checkTemplates({ cardTemplates: { 'hazard-alert': 'abc.schema' } })).toEqual([]);
    const problems = checkTemplates({ cardTemplates: { 'hazard-alrt': 'x', 'generic-text': 'y' } });
    expect(problems.map((p) => p.kind).sort()).toEqual(['generic-text', 'hazard-alrt']);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/hazard-alrt.*不是已知的通知类型/);
  });

  it('finds a layout that is not JSON', () => {
    const dir = cards();
    fs.writeFileSync(path.join(dir, 'hazard-alert.card.json'), '{ "kind": "hazard-alert", ');
    const problems = checkTemplates(noConfig, { cardsDir: dir });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'hazard-alert.card.json',
          message: expect.stringContaining('不是合法的 JSON'),
        }),
        expect.objectContaining({ kind: 'hazard-alert', channel: 'CARD' }),
      ]),
    );
  });

  it('finds a layout whose variables differ from what params produce or that uses undeclared ones', () => {
    const dir = cards();
    const file = path.join(dir, 'hazard-alert.card.json');
    const layout = JSON.parse(fs.readFileSync(file, 'utf8')) as { variables: string[]; blocks: unknown[] };
    layout.variables = layout.variables.filter((v) => v !== 'issuer');
    fs.writeFileSync(file, JSON.stringify(layout));
    const msgs = checkTemplates(noConfig, { cardsDir: dir })
      .map((p) => p.message)
      .join('\n');
    expect(msgs).toContain('未在 variables 中声明的变量 issuer');
  });

  it('finds a layout with a bad block, colour or button', () => {
    const dir = cards();
    const file = path.join(dir, 'hazard-alert.card.json');
    const layout = JSON.parse(fs.readFileSync(file, 'utf8')) as { blocks: Array<Record<string, unknown>> };
    layout.blocks[0] = { type: 'header', text: '${title}', color: 'pink' };
    layout.blocks.push({ type: 'actions', buttons: [{ text: 'x', action: 'callback' }] });
    fs.writeFileSync(file, JSON.stringify(layout));
    const problems = checkTemplates(noConfig, { cardsDir: dir }).filter((p) => p.file === 'hazard-alert.card.json');
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('finds params that produce a key the layout does not list, and a sample that does not fit', () => {
    const broken: AnyNoticeTemplate = {
      ...(hazardAlert as unknown as AnyNoticeTemplate),
      card: { layout: 'hazard-alert', params: (d) => ({ ...hazardAlert.card!.params(d as never), extra: 'x' }) },
    };
    const badSample: AnyNoticeTemplate = {
      ...(listTemplates().find((t) => t.kind === 'generic-text') as AnyNoticeTemplate),
      sample: { title: '' },
    };
    const problems = checkTemplates(noConfig, { templates: [broken, badSample] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'hazard-alert', channel: 'CARD', message: expect.stringContaining('extra') }),
        expect.objectContaining({ kind: 'generic-text', message: expect.stringContaining('样例数据不符合模板') }),
      ]),
    );
  });

  it('finds a liquid syntax error', () => {
    const t: AnyNoticeTemplate = {
      ...(listTemplates().find((x) => x.kind === 'generic-text') as AnyNoticeTemplate),
      markdown: '{% if x %}未闭合',
    };
    const problems = checkTemplates(noConfig, { templates: [t] });
    expect(problems.filter((p) => p.kind)).toEqual([
      expect.objectContaining({ kind: 'generic-text', message: expect.stringContaining('liquid') }),
    ]);
  });
});

describe('templates/README.md', () => {
  it('holds the current output of describe.ts', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { describeCards } = require('../../../templates/describe') as typeof import('../../../templates/describe');
    const readme = fs.readFileSync(path.join(__dirname, '../../../templates/README.md'), 'utf8');
    expect(readme).toContain(describeCards());
  });
});
