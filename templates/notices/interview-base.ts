// What every interview notice names: the summoned unit and the interview's page.
import { z } from 'zod';
import { zName, zUrl } from '../schemas';

/** The unit and the interview's page. */
export const interviewBase = z.object({
  unit: z.object({ name: zName }),
  links: z.object({ detail: zUrl }),
});

/** Sample values of interviewBase. */
export const INTERVIEW_SAMPLE = {
  unit: { name: '萧山示例加油站' },
  links: { detail: 'https://leiguard.example.gov.cn/m/interviews/7f3c0000-0000-4000-8000-000000000001' },
};
