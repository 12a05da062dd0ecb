// Keys protecting personal data at rest (core/crypto/data-key.ts).
import { z } from 'zod';
import { setting } from './setting';

/** Data-key settings. */
export const cryptoSettings = {
  /** 32-byte key (hex or base64) encrypting personal data at rest; generated into DATA_DIR if absent. */
  dataKey: setting('DATA_ENCRYPTION_KEY', z.string().min(32).optional()),
  /**
   * Keys DATA_ENCRYPTION_KEY replaced, newest first, comma-separated: still read (never written)
   * until `leiguard keys rotate` has moved every value to the current key.
   */
  previousDataKeys: setting('DATA_ENCRYPTION_KEYS_PREVIOUS', z.string().optional()),
} as const;
