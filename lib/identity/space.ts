// Which sites share one identity space: the same chat read by two readers of one service.
// Telegram Web K and Web A show the same peers, and both readers spell a peer's key the same
// way (lib/readers/sites/telegram-shared.ts), so a customer linked in one is known in the other.
// An explicit list; identities of other sites live under the site's own id.

const SPACES: Readonly<Record<string, string>> = {
  'telegram-k': 'telegram',
  'telegram-a': 'telegram',
};

/** The `site` under which a conversation's identities are stored. */
export function identitySpace(site: string): string {
  return Object.hasOwn(SPACES, site) ? SPACES[site]! : site;
}

/**
 * Where an identity of this site may have been stored: its space first, then each site of the
 * space (mappings recorded before the two Telegram readers shared one space).
 */
export function identitySites(site: string): string[] {
  const space = identitySpace(site);
  if (space === site) return [site];
  return [space, ...Object.keys(SPACES).filter((s) => SPACES[s] === space)];
}
