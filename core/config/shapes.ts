// One helper per shape of value an environment variable can hold. Every setting in this folder is
// built from these, so a shape (a JSON map, a comma list, a clock time) is parsed one way only.
import { z } from 'zod';

/** true/false, 1/0, yes/no. */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A TCP port (0 = any free port). */
export const port = z.coerce.number().int().min(0).max(65535);

/** A whole number > 0. */
export const positiveInt = z.coerce.number().int().positive();

/** A whole number within [min, max]. */
export function intBetween(min: number, max: number): z.ZodCoercedNumber<unknown> {
  return z.coerce.number().int().min(min).max(max);
}

/** An absolute URL. */
export const url = z.string().url();

/** A secret of at least `min` characters. */
export function secret(min: number) {
  return z.string().min(min, `至少 ${min} 个字符`);
}

/** A time of day, HH:mm (Asia/Shanghai); `example` is shown in the error. */
export function clockTime(example: string) {
  return z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, `格式为 HH:mm，如 ${example}`);
}

/** A cron pattern (five fields), evaluated in the configured time zone. */
export const cron = z.string().min(9);

/**
 * A JSON text whose value follows `schema`; `fallback` (JSON text) when unset; `message` says what
 * is wanted when the text is not such a value.
 */
export function json<T extends z.ZodType>(schema: T, fallback: string, message: string) {
  return z
    .string()
    .default(fallback)
    .transform((s, ctx): z.output<T> => {
      let value: unknown;
      try {
        value = JSON.parse(s);
      } catch {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      const r = schema.safeParse(value);
      if (r.success) return r.data;
      // The schema's own words (what is wrong with which entry) say more than the general example.
      const own = r.error.issues.filter((i) => i.code === 'custom').map((i) => i.message);
      ctx.addIssue({ code: 'custom', message: own.length > 0 ? own.join('；') : message });
      return z.NEVER;
    });
}

/**
 * A JSON object whose keys and values follow the given schemas; `example` is shown when the text
 * is not such an object.
 */
export function jsonRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, example: string) {
  return json(z.record(key, value), '{}', `必须是 JSON 对象，如 ${example}`);
}

/** A comma-separated list whose items (trimmed) follow `item`. */
export function csvList<T extends z.ZodType<unknown, string>>(item: T, count: { min: number; max?: number }) {
  const list = z.array(item).min(count.min);
  return z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(count.max === undefined ? list : list.max(count.max));
}

/** A comma-separated list of numbers (each trimmed and coerced). */
export function csvNumbers(item: z.ZodNumber, count: { min: number; max: number }) {
  return z
    .string()
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(z.array(item).min(count.min).max(count.max));
}

/** A hazard plan offset (core/hazard/plan.ts): working days (`3wd`, `5`) or a duration (`90s`). */
const OFFSET_RE = /^\d{1,4}(wd|s|m|h)?$/;

/** A comma list of plan offsets, kept as text (the hazard plan parses it). */
export const planOffsets = z
  .string()
  .refine(
    (s) => s.split(',').every((i) => i.trim() === '' || OFFSET_RE.test(i.trim())),
    '格式为逗号分隔的 3wd、0wd、90s、10m、2h',
  );

/** One plan offset, kept as text. */
export const planOffset = z
  .string()
  .refine((s) => OFFSET_RE.test(s.trim()), '格式为工作日数（如 5）或时长（如 30s、10m）');
