// The application essentials every approval card and page shows.
import { z } from 'zod';

/** Fields (label/value) and attachments (links into the mini-app) of an application. */
export const approvalDataSchema = z.object({
  fields: z
    .array(z.object({ label: z.string().trim().min(1).max(12), value: z.string().trim().min(1).max(200) }))
    .max(8)
    .default([]),
  attachments: z
    .array(z.object({ name: z.string().trim().min(1).max(60), url: z.string().url() }))
    .max(8)
    .default([]),
});

/** Parsed essentials. */
export type ApprovalData = z.output<typeof approvalDataSchema>;
