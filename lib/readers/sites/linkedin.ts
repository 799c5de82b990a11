// Reader for LinkedIn messaging (www.linkedin.com/messaging/thread/<id>/). 'current' is the
// 2025-26 page (.msg-s-event-listitem[data-event-urn] rows in .msg-s-message-list-content, the
// title inside .msg-thread__link-to-profile); 'legacy' the older one (.msg-s-message-list__event
// rows straight in .msg-s-message-list, the title beside the profile link).
// Each variant name has a saved page: test/fixtures/sites/linkedin/<name>.html.
// LinkedIn prints times only as localized text ("12:34 PM" under "Today"): no `at` is guessed.
import type { RawMessage, ReaderContext, SiteReader } from '../types';

// The thread id LinkedIn puts in the URL and in each conversation card's link.
const THREAD = /\/messaging\/thread\/([^/?#]{1,200})/;
// A profile link's public identifier: /in/<slug>/.
const PROFILE = /\/in\/([^/?#]{1,100})/;

/** The thread id from a URL or link, or null. */
export function linkedinThreadId(href: string | null | undefined): string | null {
  const id = href ? THREAD.exec(href)?.[1] : undefined;
  return id && id !== 'new' ? id : null;
}

/** The sender of a row: its own group header, else the header of the group it continues. */
function groupSender(row: Element, ctx: ReaderContext): string | undefined {
  const event = row.closest('.msg-s-message-list__event') ?? row;
  for (let el: Element | null = event; el; el = el.previousElementSibling) {
    const name = ctx.text('sender', el);
    if (name) return name;
  }
  return undefined;
}

export const linkedinReader: SiteReader = {
  id: 'linkedin',
  matches: ['https://www.linkedin.com/messaging/*'],
  // People open messaging from the feed, a profile or the top bar's icon: in-app navigation.
  spa: { injectOn: ['https://www.linkedin.com/*'] },
  selectors: {
    root: [
      { name: 'current', css: '.msg-convo-wrapper' },
      { name: 'legacy', css: '.scaffold-layout__detail' },
    ],
    pane: [
      { name: 'current', css: '.msg-convo-wrapper .msg-thread' },
      { name: 'legacy', css: '.msg-thread' },
    ],
    // The open conversation's card links to its thread (the URL is read first).
    threadKey: [
      { name: 'current', css: '.msg-conversation-card--active a[href*="/messaging/thread/"]' },
      { name: 'legacy', css: '.msg-conversations-container__convo-item-link--active[href*="/messaging/thread/"]' },
    ],
    title: [
      { name: 'current', css: '.msg-thread__link-to-profile .msg-entity-lockup__entity-title' },
      { name: 'legacy', css: '.msg-entity-lockup__entity-title' },
    ],
    messageList: [
      { name: 'current', css: '.msg-s-message-list-content' },
      { name: 'legacy', css: '.msg-s-message-list' },
    ],
    messageRow: [
      { name: 'current', css: '.msg-s-event-listitem[data-event-urn]' },
      { name: 'legacy', css: '.msg-s-message-list__event' },
    ],
    // LinkedIn marks the other side's rows; anything else is ours.
    outgoing: [{ name: 'current', css: '.msg-s-event-listitem:not(.msg-s-event-listitem--other)' }],
    sender: [
      { name: 'current', css: '.msg-s-message-group__name' },
      { name: 'legacy', css: '.msg-s-message-group__profile-link' },
    ],
    text: [{ name: 'current', css: '.msg-s-event-listitem__body' }],
    // A group thread shows several faces instead of one profile link.
    groupMarker: [{ name: 'current', css: '.msg-thread .msg-facepile-grid' }],
  },
  optional: ['groupMarker'],
  // The page under the global nav: the conversation list and the composer shrink with it.
  layout: { container: ['.application-outlet', '#main', 'main'], widthPx: 340 },

  threadKey(ctx) {
    const fromUrl = linkedinThreadId(ctx.url);
    if (fromUrl) {
      ctx.note('threadKey', 'url');
      return fromUrl;
    }
    return linkedinThreadId(ctx.query('threadKey', ctx.doc)?.getAttribute('href'));
  },

  parseMessage(row, ctx): RawMessage | null {
    const text = (ctx.query('text', row)?.textContent ?? '').trim();
    const urn = row.getAttribute('data-event-urn') ?? row.querySelector('[data-event-urn]')?.getAttribute('data-event-urn');
    const sender = groupSender(row, ctx);
    return {
      ...(urn ? { siteId: urn } : {}),
      direction: ctx.query('outgoing', row) ? 'out' : 'in',
      ...(sender ? { sender } : {}),
      text,
    };
  },

  contact(ctx) {
    const displayName = (ctx.text('title') ?? '').trim();
    // Not a field of its own: every design so far has kept this class on the header's link.
    const href = ctx.scope.querySelector('.msg-thread__link-to-profile')?.getAttribute('href') ?? '';
    const slug = PROFILE.exec(href)?.[1];
    // The profile's public id follows the person across threads; the display name does not.
    return { displayName, handles: { phones: [], emails: [], ...(slug ? { username: slug, siteId: `in/${slug}` } : {}) } };
  },

  isGroup(ctx) {
    return ctx.query('groupMarker') !== null;
  },
};
