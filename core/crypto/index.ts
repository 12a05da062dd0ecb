// Personal data protection: the data key (and the keys it replaced), AES-256-GCM, blind indexes,
// masks, key rotation.
export {
  loadDataKey,
  deriveDataKey,
  parseKey,
  keyring,
  generateMasterKey,
  SECRET_KEY_FILE,
  type DataKey,
} from './data-key';
export {
  encrypt,
  decrypt,
  encryptOptional,
  decryptOptional,
  ciphertextKeyId,
  blindIndex,
  blindIndexes,
  normalizeMobile,
  normalizeIdNumber,
  mobileBlindIndex,
  mobileBlindIndexes,
  protectMobile,
  revealMobile,
  protectIdNumber,
  revealIdNumber,
  DecryptionError,
} from './cipher';
export { maskMobile, maskIdNumber, maskName } from './mask';
export { pinnedSecret } from './secret-settings';
