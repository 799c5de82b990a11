// The service worker's phone chunk (lib/background-start/boundary.ts): libphonenumber-js with its
// full ('max') metadata, which lib/phone/normalize.ts needs to tell real numbers from plausible ones.
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { provideChunk } from '@/lib/background-start/chunks';

export interface PhoneChunk {
  parsePhoneNumberFromString: typeof parsePhoneNumberFromString;
  getCountries: typeof getCountries;
  getCountryCallingCode: typeof getCountryCallingCode;
}

export default defineUnlistedScript(() => provideChunk('phone', { parsePhoneNumberFromString, getCountries, getCountryCallingCode } satisfies PhoneChunk));
