// The directory (people, units, bureaus, regions) and what imports accept.
import { z } from 'zod';
import { setting } from './setting';

/** Directory settings. */
export const directorySettings = {
  /**
   * The province this installation serves (6-digit GB/T 2260 code, e.g. 330000): directory imports
   * refuse regions of other provinces, and import templates offer its regions in drop-down lists.
   * Unset = the whole country.
   */
  provinceCode: setting(
    'PROVINCE_CODE',
    z
      .string()
      .regex(/^\d{2}0000$/, '必须是省级行政区划代码（6 位数字，以 0000 结尾，如 330000）')
      .optional(),
  ),
} as const;
