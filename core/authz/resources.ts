// How the policy finds where a resource sits: one loader per resource type. A route names
// `{ type, param }` and the middleware loads it before the handler runs, so jurisdiction is never
// checked by hand. Each domain keeps its loaders beside its code as a table; the list of every
// type is core/authz/resource-list.ts.
import type { PrismaClient } from '../db';
import type { ResourceScope } from './scope';

/** Loads a resource's scope by id; null when it does not exist. */
export type ResourceLoader = (prisma: PrismaClient, id: string) => Promise<ResourceScope | null>;

/** One resource type: its loader and its name in messages. */
export interface ResourceType {
  load: ResourceLoader;
  /** Chinese name for "not found" messages, e.g. 隐患. */
  label: string;
}

/** Resource types by name, as each domain lists its own. */
export type ResourceTable = Readonly<Record<string, ResourceType>>;

/** Prisma `select` of a row's unit, for unitScope. */
export const UNIT_OF = { unit: { select: { id: true, regionCode: true } } } as const;

/** The scope of a row that belongs to a unit; null when the row (or its unit) does not exist. */
export function unitScope(
  row: { unit: { id: string; regionCode: string } | null } | null,
  extra: Partial<ResourceScope> = {},
): ResourceScope | null {
  return row?.unit ? { unitId: row.unit.id, regionCode: row.unit.regionCode, ...extra } : null;
}

/** Resources of the hazard loop and the units themselves. */
export const HAZARD_RESOURCES = {
  hazard: {
    label: '隐患',
    load: async (prisma, id) => unitScope(await prisma.hazard.findUnique({ where: { id }, select: UNIT_OF })),
  },
  unit: {
    label: '单位',
    load: async (prisma, id) => {
      const u = await prisma.unit.findUnique({ where: { id }, select: { id: true, regionCode: true } });
      return unitScope(u && { unit: u });
    },
  },
} satisfies ResourceTable;
