/** cardParamMap value limit in UTF-8 bytes (reference §4). */
export const LIMITS_CARD_VALUE = 1024;
