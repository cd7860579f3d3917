// The page an agent's browser lands on at the end of a sign-in (GET /oauth/callback): signed in,
// go back to Feishu, or what went wrong and what to do, in Chinese and English (the browser's
// language says nothing about the Feishu client's). Nothing from the request is echoed; the name
// is the platform's, escaped.
import type { SignInOutcome } from '../bot/index.js';

export interface Page {
  status: number;
  html: string;
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const AGAIN = { zh: '请回到飞书，再点一次刚才的按钮。', en: 'Go back to Feishu and click the button again.' };

const WORDS: Record<Exclude<SignInOutcome, { ok: true }>['reason'] | 'unavailable', { status: number; zh: string; en: string }> = {
  invalid: { status: 400, zh: `这个登录链接无效。${AGAIN.zh}`, en: `This sign-in link is not valid. ${AGAIN.en}` },
  expired: { status: 400, zh: `这个登录链接已过期（10 分钟内有效）。${AGAIN.zh}`, en: `This sign-in link has expired (it works for 10 minutes). ${AGAIN.en}` },
  used: { status: 400, zh: `这个登录链接已经用过了。${AGAIN.zh}`, en: `This sign-in link was used already. ${AGAIN.en}` },
  denied: { status: 400, zh: '你没有授权，什么都没有更改。', en: 'You did not allow it; nothing was changed.' },
  mismatch: {
    status: 403,
    zh: '登录的飞书账号不是点击按钮的人，所以没有登录，也没有更改任何内容。请用你自己的飞书账号点按钮。',
    en: 'The Feishu account that signed in is not the person who clicked, so nobody was signed in and nothing was changed. Click the button with your own Feishu account.',
  },
  outside: { status: 403, zh: '你的账号不在这个应用的可用范围内，请联系管理员。', en: "Your account is outside the app's availability; ask an administrator." },
  failed: { status: 502, zh: `飞书没有完成登录。${AGAIN.zh}`, en: `Feishu did not complete the sign-in. ${AGAIN.en}` },
  off: { status: 404, zh: '这个机器人没有开启登录：管理员需要设置 USER_TOKEN_KEY。', en: 'Sign-in is off for this bot: an operator must set USER_TOKEN_KEY.' },
  unavailable: { status: 503, zh: `机器人暂时无法完成登录。${AGAIN.zh}`, en: `The bot cannot complete the sign-in right now. ${AGAIN.en}` },
};

export function signInPage(outcome: SignInOutcome | { ok: false; reason: 'unavailable' }): Page {
  if (outcome.ok) {
    const name = esc(outcome.name);
    return page(
      200,
      '已登录 · Signed in',
      `已登录${name ? `为 ${name}` : ''}。请回到飞书：刚才的操作正在完成，卡片会更新。`,
      `Signed in${name ? ` as ${name}` : ''}. Go back to Feishu: what you clicked is being done, and the card will update.`,
    );
  }
  const words = WORDS[outcome.reason];
  return page(words.status, '未登录 · Not signed in', words.zh, words.en);
}

function page(status: number, title: string, zh: string, en: string): Page {
  return {
    status,
    html:
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>` +
      '<style>body{font:16px/1.6 system-ui,sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#1f2329}h1{font-size:1.3em}p{margin:.6em 0}.en{color:#555}</style>' +
      `</head><body><h1>${title}</h1><p lang="zh-CN">${zh}</p><p lang="en" class="en">${en}</p></body></html>`,
  };
}
