// Shipped checklist templates are valid data, and the score weighs passed items over applicable ones.
import type { UnitCategory } from '../../../core/db/generated/enums';
import { CHECKLIST_TEMPLATES } from '../../../core/inspection/checklist-templates';
import { checklistItemsSchema, checklistScore } from '../../../core/inspection/checklists';
import { codeInspectionEligible, nextCodeInspectionDue } from '../../../core/inspection/supervision-rule';

test('every category has a valid template with a short list for the chat card', () => {
  for (const [category, t] of Object.entries(CHECKLIST_TEMPLATES) as Array<
    [UnitCategory, (typeof CHECKLIST_TEMPLATES)[UnitCategory]]
  >) {
    expect(checklistItemsSchema.safeParse(t.items).success).toBe(true);
    expect(t.items.some((i) => i.short)).toBe(true);
    expect(t.name).toContain('检查表');
    expect(category).toMatch(/^[A-Z_]+$/);
  }
  expect(CHECKLIST_TEMPLATES.FLAMMABLE.items.find((i) => i.key === 'permit')?.grade).toBe('MAJOR');
});

test('score = passed weight / applicable weight; NA items do not count', () => {
  const items = CHECKLIST_TEMPLATES.OTHER.items;
  const all = new Map(items.map((i) => [i.key, 'PASS' as const]));
  expect(checklistScore(items, all)).toBe(100);
  const oneFail = new Map(all);
  oneFail.set('test-on-time', 'FAIL' as never);
  const total = items.reduce((s, i) => s + i.weight, 0);
  const w = (key: string) => items.find((i) => i.key === key)!.weight;
  expect(checklistScore(items, oneFail)).toBe(Math.round(((total - w('test-on-time')) * 100) / total));
  const na = new Map(oneFail);
  na.set('earth-resistance', 'NA' as never);
  const applicable = total - w('earth-resistance');
  expect(checklistScore(items, na)).toBe(Math.round(((applicable - w('test-on-time')) * 100) / applicable));
  expect(checklistScore(items, new Map(items.map((i) => [i.key, 'NA' as const])))).toBe(100);
});

test('differentiated supervision: A credit, green code and no serious open hazard → code inspections', () => {
  const rule = { creditGrades: ['A'] as const, riskColors: ['GREEN'] as const, intervalDays: 90 };
  expect(codeInspectionEligible({ creditLevel: 'A', riskColor: 'GREEN', seriousOpenHazards: 0 }, rule)).toBe(true);
  expect(codeInspectionEligible({ creditLevel: 'B', riskColor: 'GREEN', seriousOpenHazards: 0 }, rule)).toBe(false);
  expect(codeInspectionEligible({ creditLevel: null, riskColor: 'GREEN', seriousOpenHazards: 0 }, rule)).toBe(false);
  expect(codeInspectionEligible({ creditLevel: 'A', riskColor: 'YELLOW', seriousOpenHazards: 0 }, rule)).toBe(false);
  expect(codeInspectionEligible({ creditLevel: 'A', riskColor: 'GREEN', seriousOpenHazards: 1 }, rule)).toBe(false);
  const now = new Date('2026-06-01T00:00:00Z');
  expect(nextCodeInspectionDue(null, rule, now)).toEqual(now);
  expect(nextCodeInspectionDue(new Date('2026-05-01T00:00:00Z'), rule, now)).toEqual(new Date('2026-07-30T00:00:00Z'));
});
