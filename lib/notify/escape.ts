// Keeps customer text as text in each vendor's message syntax. Only VALUES from the customer,
// the chat or the CRM go through these; the literal text an admin wrote in a template is theirs
// (they may use the vendor's markdown on purpose).
//
// What each syntax interprets (sources in each kind's file header):
// - Slack mrkdwn: & < > are control characters (<!channel>, <@U…>, <url|text>); Slack's
//   "Formatting message text" page says to replace them with &amp; &lt; &gt; — nothing else.
// - Feishu text: <at user_id="all">…</at> mentions everyone. A zero-width space after "<"
//   stops any tag from forming; Feishu text has no entity decoding to lean on.
// - DingTalk and WeCom markdown: a markdown subset plus HTML-ish tags (WeCom <font color>,
//   <@userid> mentions in markdown_v2). Neither vendor documents backslash escapes, so the
//   escape works whether or not the renderer honours them: a backslash before the inline marks
//   (\ ` * _ [ ] ~), so "[a](b)" becomes "\[a\](b)" (no "](" adjacency left: no link either way),
//   "<" becomes "&lt;" (no tag either way), and line-start marks (# > + - and "1.") are escaped
//   only at a line start, so dates, phones and amounts (2026-03-05, +86…, 3.65) stay clean.
// DingTalk text and WeCom text mention only through the body's at/mentioned_list fields, which
// we never fill from customer data, so "@所有人" in a customer's message notifies nobody.

const ZWSP = '\u200B';

export type Escaper = (value: string) => string;

export const escapeSlack: Escaper = (v) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const escapeFeishuText: Escaper = (v) => v.replace(/</g, `<${ZWSP}`);

const MD_INLINE = /[\\`*_[\]~]/g;
export const escapeMarkdown: Escaper = (v) =>
  v
    .replace(MD_INLINE, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/^([ \t]*)([#>+-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)\./gm, '$1\\.');

/** Plain text fields where nothing is interpreted (DingTalk/WeCom text, Slack plain_text). */
export const noEscape: Escaper = (v) => v;
