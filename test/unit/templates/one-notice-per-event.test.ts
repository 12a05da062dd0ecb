// One notice per event (issue #23): the regulator's notice when a hazard becomes overdue and the one
// when it is escalated are two events and never read the same; both name the unit first.
import { getTemplate, renderNotice } from '../../../templates';

test('the overdue and the escalation notices to a regulator differ, and name the unit first', () => {
  const sample = { ...(getTemplate('hazard-overdue').sample as Record<string, unknown>), audience: 'REGULATOR' };
  const overdue = renderNotice('hazard-overdue', sample, 'ROBOT_OTO') as { msgParam: string };
  const escalated = renderNotice('hazard-overdue', { ...sample, escalated: true }, 'ROBOT_OTO') as {
    msgParam: string;
  };
  const a = JSON.parse(overdue.msgParam) as { title: string; text: string };
  const b = JSON.parse(escalated.msgParam) as { title: string; text: string };
  expect(a.title).not.toBe(b.title);
  expect(a.text).not.toBe(b.text);
  expect(b.title).toContain('已升级');
  expect(b.text).toContain('萧山示例加油站：隐患逾期未整改，已升级处理');
  expect(a.text).toContain('萧山示例加油站：防雷安全隐患逾期未整改');
});
