// Checklists in the database: the current version per key (created from the shipped template on
// first use), new versions saved by an admin, and the score of a set of answers.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import type { ItemResult, UnitCategory } from '../db/generated/enums';
import { ValidationError } from '../errors';
import { CHECKLIST_TEMPLATES, checklistKey, type ChecklistItem } from './checklist-templates';

const HAZARD_TYPES = [
  'EARTH_R',
  'BONDING',
  'SPD_FAIL',
  'AIR_TERM',
  'DOWN_COND',
  'OVERDUE',
  'NO_PERMIT',
  'UNQUALIFIED_AGENCY',
  'NO_SYSTEM',
  'NO_PLAN',
  'ARCHIVE',
  'OTHER',
] as const;

/** Schema of one stored item (admin edits are checked with it too). */
export const checklistItemSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]{1,40}$/, '检查项编号只能包含小写字母、数字和 -'),
  text: z.string().trim().min(4, '检查项内容至少 4 个字').max(200),
  legalBasis: z.string().trim().min(2).max(200),
  hazardType: z.enum(HAZARD_TYPES),
  grade: z.enum(['GENERAL', 'MAJOR']),
  deadlineWorkingDays: z.number().int().min(1).max(120),
  weight: z.number().int().min(1).max(100),
  short: z.boolean().optional(),
});

/** Schema of a checklist's item list: at least one item, keys unique. */
export const checklistItemsSchema = z
  .array(checklistItemSchema)
  .min(1, '检查表至少需要 1 项')
  .max(60)
  .refine((items) => new Set(items.map((i) => i.key)).size === items.length, '检查项编号不能重复');

/** Most items the chat self-check card asks (its layout has this many choice fields). */
export const SHORT_ITEMS_MAX = 6;

/** The items the chat self-check card asks: those marked short, in order, at most SHORT_ITEMS_MAX. */
export function shortItems<T extends { short?: boolean }>(items: readonly T[]): T[] {
  return items.filter((i) => i.short).slice(0, SHORT_ITEMS_MAX);
}

/** A checklist as the rest of the code uses it. */
export interface ChecklistView {
  id: string;
  key: string;
  name: string;
  version: number;
  items: ChecklistItem[];
}

type Db = PrismaClient | Tx;

function view(row: { id: string; key: string; name: string; version: number; items: unknown }): ChecklistView {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    version: row.version,
    items: checklistItemsSchema.parse(row.items),
  };
}

/** The newest version of a category's checklist, writing the shipped template as version 1 if none. */
export async function currentChecklist(db: Db, category: UnitCategory): Promise<ChecklistView> {
  const key = checklistKey(category);
  const latest = await db.checklist.findFirst({ where: { key }, orderBy: { version: 'desc' } });
  if (latest) return view(latest);
  const t = CHECKLIST_TEMPLATES[category];
  // Two first inspections at once: the unique (key, version) lets only one row in.
  await db.checklist.createMany({
    data: [{ key, name: t.name, version: 1, items: t.items as object[] }],
    skipDuplicates: true,
  });
  return view(await db.checklist.findFirstOrThrow({ where: { key }, orderBy: { version: 'desc' } }));
}

/** A checklist by id (the version an inspection was started with). */
export async function checklistById(db: Db, id: string): Promise<ChecklistView> {
  return view(await db.checklist.findUniqueOrThrow({ where: { id } }));
}

/** Saves an admin's edit of a category's checklist as a new version (audited). */
export async function saveChecklistVersion(
  prisma: PrismaClient,
  actorPersonId: string | null,
  category: UnitCategory,
  raw: unknown,
): Promise<ChecklistView> {
  const parsed = z.object({ name: z.string().trim().min(2).max(60), items: checklistItemsSchema }).safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '检查表', { forPrograms: true });
  return prisma.$transaction(async (tx) => {
    const current = await currentChecklist(tx, category);
    const row = await tx.checklist.create({
      data: {
        key: current.key,
        name: parsed.data.name,
        version: current.version + 1,
        items: parsed.data.items as object[],
      },
    });
    await appendAudit(tx, {
      actorKind: actorPersonId ? 'PERSON' : 'SYSTEM',
      actorPersonId,
      action: 'checklist.versioned',
      subjectType: 'checklist',
      subjectId: row.id,
      data: { key: row.key, version: row.version, items: parsed.data.items.length },
    });
    return view(row);
  });
}

/** Score 0–100: weight of passed items over weight of applicable (not NA) items; 100 when none apply. */
export function checklistScore(items: ChecklistItem[], answers: ReadonlyMap<string, ItemResult>): number {
  let applicable = 0;
  let passed = 0;
  for (const item of items) {
    const r = answers.get(item.key);
    if (r === 'NA' || r === undefined) continue;
    applicable += item.weight;
    if (r === 'PASS') passed += item.weight;
  }
  return applicable === 0 ? 100 : Math.round((passed * 100) / applicable);
}
