// Which login host the OAuth URLs use ({{loginHost}} in spec.oauth), from the connect form's
// values. Pure and UI-safe: the background expands the spec's templates with it before starting
// the flow, and the adapter refreshes tokens against the same host.
import { isLoopback } from '../../oauth/authorize';
import { SALESFORCE_LOGIN_HOSTS } from './spec';

/** The login origin (https://login.salesforce.com …), or null when the values don't name one. */
export function salesforceLoginOrigin(values: Record<string, unknown>): string | null {
  const host = values.loginHost;
  if (host === 'production' || host === undefined) return SALESFORCE_LOGIN_HOSTS.production;
  if (host === 'sandbox') return SALESFORCE_LOGIN_HOSTS.sandbox;
  if (host !== 'my-domain' || typeof values.myDomain !== 'string') return null;
  let url: URL;
  try {
    url = new URL(values.myDomain.trim());
  } catch {
    return null;
  }
  // https only; http is accepted on the loopback interface for the emulator.
  if (url.protocol !== 'https:' && !isLoopback(url)) return null;
  return url.origin;
}

/** The values to expand spec.oauth's {{loginHost}} templates with. */
export function salesforceOAuthValues(values: Record<string, unknown>): { loginHost: string } {
  const loginHost = salesforceLoginOrigin(values);
  if (!loginHost) throw new Error('Salesforce: choose a login host, or enter an https My Domain URL');
  return { loginHost };
}
