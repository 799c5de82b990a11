// The service worker's 'libphonenumber-js/max' (./vite-plugin.ts swaps it in): the library and
// its full metadata (~190 kB) in the phone chunk, loaded on the first phone number parsed.
import type * as Phone from 'libphonenumber-js/max';
import { loadChunk } from '../chunks';
import type { PhoneChunk } from '@/entrypoints/background-phone';

const phone = () => loadChunk<PhoneChunk>('phone');
export const parsePhoneNumberFromString: typeof Phone.parsePhoneNumberFromString = (...args: Parameters<typeof Phone.parsePhoneNumberFromString>) => phone().parsePhoneNumberFromString(...args);
export const getCountries: typeof Phone.getCountries = () => phone().getCountries();
export const getCountryCallingCode: typeof Phone.getCountryCallingCode = (country) => phone().getCountryCallingCode(country);
