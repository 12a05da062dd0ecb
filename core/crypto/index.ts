// Personal data protection: the data key, AES-256-GCM, blind indexes, masks.
export { loadDataKey, deriveDataKey, parseKey, SECRET_KEY_FILE, type DataKey } from './data-key';
export {
  encrypt,
  decrypt,
  encryptOptional,
  decryptOptional,
  blindIndex,
  normalizeMobile,
  mobileBlindIndex,
  protectMobile,
  revealMobile,
  protectIdNumber,
  revealIdNumber,
  DecryptionError,
} from './cipher';
export { maskMobile, maskIdNumber, maskName } from './mask';
