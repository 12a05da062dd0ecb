// zod parsing for the test API: bad input -> 400 with a Chinese message. The Chinese locale is
// passed per parse, never set globally, because the product shares the zod instance in tests.
import { z } from 'zod';
import { describeIssues } from '../cards/layout';
import { SimInputError } from '../http/errors';

const zhCN = z.locales.zhCN();

/** Parses `input` or throws a 400 SimInputError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {}, { error: zhCN.localeError });
  if (!r.success) throw new SimInputError(`请求参数不合法：${describeIssues(r.error)}`);
  return r.data;
}
