// Human words for the helpdesk's codes, in both languages. Unknown codes get a neutral label
// that still shows the number, so a new code never breaks a card. Status names are the filter
// language's own (commands/filters/statuses.ts): what a card says is what a person can type.
import { statusName } from '../commands/filters/statuses.js';
import { l, type HeaderColor, type L10n, type TagColor } from './kit.js';

export interface StatusLook {
  label: L10n;
  tag: TagColor;
  header: HeaderColor;
}

const COLORS: Record<number, Omit<StatusLook, 'label'>> = {
  1: { tag: 'blue', header: 'blue' },
  2: { tag: 'orange', header: 'orange' },
  3: { tag: 'yellow', header: 'yellow' },
  4: { tag: 'violet', header: 'violet' },
  5: { tag: 'indigo', header: 'indigo' },
  50: { tag: 'neutral', header: 'grey' },
  51: { tag: 'green', header: 'green' },
  52: { tag: 'turquoise', header: 'turquoise' },
};

export function statusLook(code: number | undefined): StatusLook {
  if (code === undefined) return { label: l('状态未知', 'Unknown status'), tag: 'neutral', header: 'grey' };
  const name = statusName(code);
  const colors = COLORS[code];
  return name && colors ? { label: name, ...colors } : { label: l(`状态 ${code}`, `Status ${code}`), tag: 'neutral', header: 'grey' };
}

export function typeLabel(code: number): L10n {
  if (code === 1) return l('机器人', 'Bot');
  if (code === 2) return l('人工', 'Human');
  return l(`类型 ${code}`, `Type ${code}`);
}

/** Known channels only: 0 and codes the API has not named are left out rather than shown as a number. */
export function channelLabel(code: number): L10n | undefined {
  switch (code) {
    case 9:
      return l('开放接口', 'Open API');
    case 2:
      return l('二维码', 'QR code');
    case 14:
      return l('分享', 'Share');
    case 13:
      return l('搜索', 'Search');
    default:
      return undefined;
  }
}

export function solvedLabel(code: number): { label: L10n; color: TagColor } {
  if (code === 2) return { label: l('已解决', 'Solved'), color: 'green' };
  if (code === 1) return { label: l('未解决', 'Unsolved'), color: 'red' };
  return { label: l(`解决状态 ${code}`, `Solved code ${code}`), color: 'neutral' };
}

export function scoreLabel(code: number): { label: L10n; color: TagColor } {
  if (code === 1) return { label: l('不满意', 'Unsatisfied'), color: 'red' };
  if (code === 2) return { label: l('一般', 'Neutral'), color: 'yellow' };
  if (code === 3) return { label: l('满意', 'Satisfied'), color: 'green' };
  return { label: l(`评分 ${code}`, `Score ${code}`), color: 'neutral' };
}
