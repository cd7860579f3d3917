// The answer to /signout: the person's sign-in is forgotten (or there was none, or sign-in is off).
import { card, header, l, markdown, type Json } from './kit.js';

export function signOutCard(outcome: 'signed-out' | 'not-signed-in' | 'off'): Json {
  const text = {
    'signed-out': l('机器人已删除你的服务台登录（你的令牌）。下次以本人身份操作时会再请你登录。', 'The bot has forgotten your helpdesk sign-in (your tokens). Acting as yourself will ask you to sign in again.'),
    'not-signed-in': l('你没有在机器人这里登录过，没有需要删除的内容。', 'You were not signed in with the bot; there was nothing to forget.'),
    off: l('这个机器人没有开启登录，不保存任何人的令牌。', "Sign-in is off for this bot: it keeps nobody's tokens."),
  }[outcome];
  return card(header({ title: l('退出登录', 'Sign out'), color: outcome === 'signed-out' ? 'green' : 'grey' }), [markdown(text)]);
}
