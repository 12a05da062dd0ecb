// Chinese messages for schema failures, worded for the operator who reads a TemplateDataError
// ("长度不能超过 40 个字符" rather than zod's generic "数值过大"); other issues use zod's zh-CN locale.
import { z } from 'zod';

const fallback = z.locales.zhCN().localeError;

const FORMATS: Record<string, string> = {
  date: '日期（YYYY-MM-DD）',
  datetime: '带时区的时间（如 2025-07-15T14:30:00+08:00）',
  url: 'http(s) 网址',
  regex: '规定格式',
};

const TYPES: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '是或否',
  array: '列表',
  object: '对象',
  date: '日期',
};

/** zod error map with Chinese messages; pass as `safeParse(data, { error: zhErrorMap })`. */
export const zhErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return '缺少此字段';
      if (iss.input === null) return '不能为空';
      return `类型不正确（应为${TYPES[iss.expected] ?? iss.expected}）`;
    case 'too_small':
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? '不能为空' : `长度不能少于 ${iss.minimum} 个字符`;
      if (iss.origin === 'array') return `至少需要 ${iss.minimum} 项`;
      if (iss.origin === 'number') return `不能小于 ${iss.minimum}`;
      break;
    case 'too_big':
      if (iss.origin === 'string') return `长度不能超过 ${iss.maximum} 个字符`;
      if (iss.origin === 'array') return `最多 ${iss.maximum} 项`;
      if (iss.origin === 'number') return `不能大于 ${iss.maximum}`;
      break;
    case 'invalid_value':
      return `取值不在允许范围内（可选：${iss.values.map(String).join('、')}）`;
    case 'invalid_format':
      if (iss.message) return iss.message;
      return `格式不正确，应为${FORMATS[iss.format] ?? iss.format}`;
    case 'unrecognized_keys':
      return `包含未知字段：${iss.keys.join('、')}`;
    default:
      break;
  }
  return fallback(iss);
};
