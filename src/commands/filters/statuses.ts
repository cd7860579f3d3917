// The helpdesk's ticket statuses in words, one table per language. The first word of each status
// is its name on every card and on the board; every word of it filters that status in /tickets,
// so the name a person reads on a card is one they can type back. Codes: feishu-platform.md §5.

export const OPEN_STATUSES = [1, 2, 3, 4, 5] as const;
export const CLOSED_STATUSES = [50, 51, 52] as const;

type Words = Readonly<Record<number, readonly [name: string, ...words: string[]]>>;

export const STATUS_WORDS: Readonly<{ en: Words; zh: Words }> = {
  en: {
    1: ['New', 'awaiting response'],
    2: ['In progress', 'processing'],
    3: ['Queued'],
    4: ['Pending', 'on hold'],
    5: ['Waiting for customer', 'waiting', 'waiting on customer', 'waiting for the customer', 'waiting on the customer', 'waiting for user', 'waiting on user'],
    50: ['Closed by bot', 'closed-by-bot'],
    51: ['Closed by agent', 'closed-by-agent'],
    52: ['Closed by user', 'closed-by-user', 'closed by customer'],
  },
  zh: {
    1: ['新建', '已创建', '待响应'],
    2: ['处理中'],
    3: ['排队中'],
    4: ['待定', '挂起'],
    5: ['待用户响应', '等待客户回复', '等待用户回复'],
    50: ['机器人关闭'],
    51: ['客服关闭'],
    52: ['用户关闭'],
  },
};

/** The status's name in each language, or undefined for a code the helpdesk has not named. */
export function statusName(code: number): { zh_cn: string; en_us: string } | undefined {
  const en = STATUS_WORDS.en[code];
  const zh = STATUS_WORDS.zh[code];
  return en && zh ? { zh_cn: zh[0], en_us: en[0] } : undefined;
}

/** Every status with its filter words in both languages, in code order. */
export const STATUS_CODES: readonly number[] = Object.keys(STATUS_WORDS.en).map(Number);
