// The importable kinds, by slug (CLI argument and admin API path segment).
import type { KindSpec } from '../types';
import { agencyKind } from './agency.kind';
import { personKind, regulatorKind } from './person.kind';
import { unitKind } from './unit.kind';

/** Every kind, in the order an operator imports them (units and agencies before their people). */
export const KINDS: ReadonlyArray<KindSpec<unknown>> = [
  unitKind,
  agencyKind,
  personKind,
  regulatorKind,
] as ReadonlyArray<KindSpec<unknown>>;

/** Kind slugs: units, agencies, people, regulators. */
export const KIND_SLUGS = KINDS.map((k) => k.slug);

/** The kind with this slug, or undefined. */
export function kindBySlug(slug: string): KindSpec<unknown> | undefined {
  return KINDS.find((k) => k.slug === slug);
}
