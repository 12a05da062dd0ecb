// The importable kinds, by slug (CLI argument and admin API path segment).
import type { KindSpec } from '../types';
import { agencyKind } from './agency.kind';
import { bureauKind } from './bureau.kind';
import { personKind, regulatorKind } from './person.kind';
import { testerKind } from './tester.kind';
import { unitKind } from './unit.kind';

/**
 * Every kind, in the order a workbook's sheets are imported: what a row refers to comes first
 * (a unit's people need the unit, a tester the agency). Bureaus and units may come in any order:
 * supervising bureaus are resolved after each import (../supervision.ts).
 */
export const KINDS: ReadonlyArray<KindSpec<unknown>> = [
  bureauKind,
  unitKind,
  agencyKind,
  personKind,
  regulatorKind,
  testerKind,
] as ReadonlyArray<KindSpec<unknown>>;

/** Kind slugs: bureaus, units, agencies, people, regulators, testers. */
export const KIND_SLUGS = KINDS.map((k) => k.slug);

/** The kind with this slug, or undefined. */
export function kindBySlug(slug: string): KindSpec<unknown> | undefined {
  return KINDS.find((k) => k.slug === slug);
}
