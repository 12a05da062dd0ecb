// core/logger maskText: personal numbers never reach a log line in clear.
import { maskText } from '../../../core/logger';

test('masks mobiles and ID numbers in free text, leaves other numbers alone', () => {
  expect(maskText('导入 陈晓峰 13800000071 身份证 11010519491231002X 完成')).toBe('导入 陈晓峰 138****0071 身份证 110105********002X 完成');
  expect(maskText('id 110105194912310021,')).toBe('id 110105********0021,');
  expect(maskText('统一社会信用代码 91330110MA0000001T，行政区划 330110，共 20000 行')).toBe('统一社会信用代码 91330110MA0000001T，行政区划 330110，共 20000 行');
});
