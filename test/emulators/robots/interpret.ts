// What a group member would see as a mention, a link or an HTML-ish tag in a message the
// emulator accepted, per the syntax each vendor documents (Slack <!channel>/<@U…>/<url|text>;
// Feishu <at user_id>, post at/a elements; DingTalk at.isAtAll/atMobiles and markdown links;
// WeCom mentioned_list "@all", markdown links, <@userid>, <font>). Used by the hostile-text tests:
// customer text must come out as none of these.
import { isObj, isStr, type RecordedMessage } from './state';

export interface Interpreted {
  mentions: string[];
  links: string[];
  tags: string[];
}

const MD_LINK = /(?<!\\)!?\[([^\]\n]*?)(?<!\\)\]\(([^)\n]+)\)/g;

function markdown(text: string, out: Interpreted) {
  for (const m of text.matchAll(MD_LINK)) out.links.push(m[2]!);
  for (const m of text.matchAll(/<(@[^>\s]+)>/g)) out.mentions.push(m[1]!);
  for (const m of text.matchAll(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi)) out.tags.push(m[1]!.toLowerCase());
}

function slackMrkdwn(text: string, out: Interpreted) {
  for (const m of text.matchAll(/<([^<>\n]+)>/g)) {
    const inner = m[1]!;
    if (inner.startsWith('!') || inner.startsWith('@')) out.mentions.push(inner);
    else if (!inner.startsWith('#')) out.links.push(inner.split('|')[0]!);
  }
}

export function interpret(m: RecordedMessage): Interpreted {
  const out: Interpreted = { mentions: [], links: [], tags: [] };
  const b = m.body;
  switch (m.vendor) {
    case 'slack': {
      if (isStr(b.text)) slackMrkdwn(b.text, out);
      for (const bl of Array.isArray(b.blocks) ? b.blocks : [])
        if (isObj(bl) && isObj(bl.text) && bl.text.type === 'mrkdwn' && isStr(bl.text.text)) slackMrkdwn(bl.text.text, out);
      break;
    }
    case 'feishu': {
      const at = (s: string) => {
        for (const x of s.matchAll(/<at\s+user_id\s*=\s*"?([^">\s]*)/gi)) out.mentions.push(x[1]!);
      };
      const c = b.content;
      if (isObj(c) && isStr(c.text)) at(c.text);
      if (isObj(c) && isObj(c.post))
        for (const loc of Object.values(c.post))
          for (const para of isObj(loc) && Array.isArray(loc.content) ? loc.content : [])
            for (const el of Array.isArray(para) ? para : []) {
              if (!isObj(el)) continue;
              if (el.tag === 'at') out.mentions.push(String(el.user_id));
              if (el.tag === 'a') out.links.push(String(el.href));
              if (el.tag === 'text' && isStr(el.text)) at(el.text);
            }
      break;
    }
    case 'dingtalk': {
      const at = b.at;
      if (isObj(at)) {
        if (at.isAtAll === true) out.mentions.push('all');
        for (const x of [...(Array.isArray(at.atMobiles) ? at.atMobiles : []), ...(Array.isArray(at.atUserIds) ? at.atUserIds : [])]) out.mentions.push(String(x));
      }
      const md = b.markdown;
      if (isObj(md) && isStr(md.text)) markdown(md.text, out);
      break;
    }
    case 'wecom': {
      const t = b.text;
      if (isObj(t)) for (const x of [...(Array.isArray(t.mentioned_list) ? t.mentioned_list : []), ...(Array.isArray(t.mentioned_mobile_list) ? t.mentioned_mobile_list : [])]) out.mentions.push(String(x));
      for (const k of ['markdown', 'markdown_v2']) {
        const md = b[k];
        if (isObj(md) && isStr(md.content)) markdown(md.content, out);
      }
      break;
    }
  }
  return out;
}
