// An inspection's task: while it is in progress, each person it is assigned to completes it (the
// unit's managers their self-check, inspectors a drawn or started inspection).
import type { Tx } from '../../db';
import { label } from '../../domain/labels';
import type { Derivation } from '../types';

/** Derives the open tasks of inspection `id`. */
export async function deriveInspection(tx: Tx, id: string): Promise<Derivation> {
  const insp = await tx.inspection.findUnique({
    where: { id },
    select: { id: true, mode: true, status: true, inspectorIds: true, unit: { select: { name: true } } },
  });
  if (!insp || insp.status === 'CANCELLED') return { open: [], ended: () => 'DELETED' };
  if (insp.status !== 'IN_PROGRESS') return { open: [] };
  return {
    open: insp.inspectorIds.map((personId) => ({
      taskKey: `inspection.do:${insp.id}`,
      personId,
      facts: {
        kind: 'inspection.do' as const,
        unit: insp.unit?.name ?? '',
        modeLabel: label('InspectionMode', insp.mode),
        selfCheck: insp.mode === 'SELF_CHECK',
      },
      dueAt: null,
      priority: 20 as const,
      path: `/m/inspections/${insp.id}`,
    })),
  };
}
