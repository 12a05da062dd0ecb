import type { z } from 'zod';
import type { NoticeTemplate } from './types';

/** Identity helper that infers a template's data type from its schema. */
export function defineTemplate<S extends z.ZodTypeAny>(t: NoticeTemplate<S>): NoticeTemplate<S> {
  return t;
}
