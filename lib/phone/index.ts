export { normalizePhone, toHalfWidth, type CountryCode } from './normalize';
export { extractPhones } from './extract';
