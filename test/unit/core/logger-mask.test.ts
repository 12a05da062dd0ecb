// core/logger maskText: personal numbers never reach a log line in clear.
import { PassThrough } from 'node:stream';
import { createLogger, maskText } from '../../../core/logger';

test('masks mobiles and ID numbers in free text, leaves other numbers alone', () => {
  expect(maskText('导入 陈晓峰 13800000071 身份证 11010519491231002X 完成')).toBe(
    '导入 陈晓峰 138****0071 身份证 110105********002X 完成',
  );
  expect(maskText('id 110105194912310021,')).toBe('id 110105********0021,');
  expect(maskText('统一社会信用代码 91330110MA0000001T，行政区划 330110，共 20000 行')).toBe(
    '统一社会信用代码 91330110MA0000001T，行政区划 330110，共 20000 行',
  );
});

test('the logger masks every string of the logged object, errors (message, stack, fields, cause) included', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const logger = createLogger({ stream: out, level: 'info' });
  const err = Object.assign(
    new Error('手机号 13800000001 在钉钉中不存在', { cause: new Error('身份证 11010519491231002X') }),
    { details: { mobile: '13900000002' } },
  );
  logger.warn(
    { err, mobile: '13700000003', rows: [{ note: '联系 13600000004' }], n: 3, at: new Date(0) },
    '导入 13500000005',
  );
  expect(text).toContain('138****0001');
  expect(text).toContain('110105********002X');
  for (const clear of ['13800000001', '11010519491231002X', '13900000002', '13700000003', '13600000004', '13500000005'])
    expect(text).not.toContain(clear);
  const line = JSON.parse(text) as { err: { type: string; stack: string }; n: number; at: string };
  expect(line).toMatchObject({ n: 3, at: '1970-01-01T00:00:00.000Z', err: { type: 'Error' } });
  expect(line.err.stack).toContain('logger-mask.test.ts');
});
