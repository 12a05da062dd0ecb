// How the policy finds where a resource sits: one loader per resource type, registered once.
// A route names `{ type, param }` and the middleware loads it before the handler runs, so
// jurisdiction is never checked by hand. Add a type with defineResource next to its domain code.
import type { PrismaClient } from '../db';
import type { ResourceScope } from './scope';

/** Loads a resource's scope by id; null when it does not exist. */
export type ResourceLoader = (prisma: PrismaClient, id: string) => Promise<ResourceScope | null>;

interface ResourceType {
  load: ResourceLoader;
  /** Chinese name for "not found" messages, e.g. 隐患. */
  label: string;
}

const TYPES = new Map<string, ResourceType>();

/** Registers a resource type (once per type; a second definition is a programming error). */
export function defineResource(type: string, label: string, load: ResourceLoader): void {
  if (TYPES.has(type)) throw new Error(`resource type ${type} is already defined`);
  TYPES.set(type, { label, load });
}

/** The registered resource type, or undefined. */
export function resourceType(type: string): ResourceType | undefined {
  return TYPES.get(type);
}

/** Names of every registered type (tests enumerate them). */
export function resourceTypes(): string[] {
  return [...TYPES.keys()];
}

defineResource('hazard', '隐患', async (prisma, id) => {
  const h = await prisma.hazard.findUnique({
    where: { id },
    select: { unit: { select: { id: true, regionCode: true } } },
  });
  return h ? { unitId: h.unit.id, regionCode: h.unit.regionCode } : null;
});

defineResource('unit', '单位', async (prisma, id) => {
  const u = await prisma.unit.findUnique({ where: { id }, select: { id: true, regionCode: true } });
  return u ? { unitId: u.id, regionCode: u.regionCode } : null;
});
