export {
  AddressCategories,
  classifyAddress,
  createAddressPolicy,
  validateAllowedPrivateHosts,
} from './address-policy.js';
export type {
  AddressCategory,
  AddressClassification,
  AddressPolicy,
  PolicyDecision,
} from './address-policy.js';
export { assertUrlAllowed, downloadToFile, postJson, safeFetch } from './safe-fetch.js';
export type {
  DownloadResult,
  HostResolver,
  PostJsonOptions,
  ResolvedAddress,
  SafeFetchOptions,
  SafeResponse,
} from './safe-fetch.js';
