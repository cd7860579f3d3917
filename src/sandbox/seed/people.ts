// The demo helpdesk's people: agents (who answer tickets) and guests (who open them), Chinese and
// English names alike. Ids are fixed open_ids so the console can offer them as mentions.
import { stableHex } from '@helpdesk-bot/feishu-standin/ids';
import type { RawAgentSchedule, RawTicketUser } from '@helpdesk-bot/feishu-standin';

const openId = (seed: string): string => `ou_${stableHex(`demo:${seed}`, 32)}`;
const avatar = (id: string): string => `https://example.com/avatar/${id.slice(3, 15)}.png`;

function person(key: string, name: string, email: string, department?: string, city?: string, country?: string): RawTicketUser {
  const id = openId(key);
  return {
    id,
    avatar_url: avatar(id),
    name,
    email,
    ...(department === undefined ? {} : { department }),
    ...(city === undefined ? {} : { city }),
    ...(country === undefined ? {} : { country }),
  };
}

/** The helpdesk's agents. The console's user is the first one, so `mine` finds tickets. */
export const DEMO_AGENTS: readonly RawTicketUser[] = [
  person('agent:chenjing', '陈静', 'chen.jing@example.com', 'IT 服务台', '上海', 'CN'),
  person('agent:wanglei', '王磊', 'wang.lei@example.com', 'IT 服务台', '北京', 'CN'),
  person('agent:emily', 'Emily Zhang', 'emily.zhang@example.com', 'IT Service Desk', 'Singapore', 'SG'),
  person('agent:liuyang', '刘洋', 'liu.yang@example.com', 'IT 服务台', '深圳', 'CN'),
  person('agent:david', 'David Chen', 'david.chen@example.com', 'IT Service Desk', 'London', 'GB'),
  person('agent:zhaomin', '赵敏', 'zhao.min@example.com', '财务共享中心', '杭州', 'CN'),
  person('agent:sarah', 'Sarah Lin', 'sarah.lin@example.com', 'People Ops', 'Shanghai', 'CN'),
];

/** The agents as the helpdesk's agent schedules list them: some online, some offline or off duty. */
export const DEMO_AGENT_SCHEDULES: readonly RawAgentSchedule[] = DEMO_AGENTS.map((a, i) => ({
  status: [1, 1, 2, 1, 3, 1, 2][i] ?? 1,
  agent: { id: a.id!, name: a.name!, ...(a.email ? { email: a.email } : {}), ...(a.department ? { department: a.department } : {}) },
  schedule: [1, 2, 3, 4, 5].map((weekday) => ({ start_time: '09:00', end_time: '18:00', weekday })),
}));

/** Who closed a ticket the helpdesk's own bot closed. */
export const HELPDESK_BOT: RawTicketUser = { id: openId('helpdesk-bot'), name: '服务台机器人 Helpdesk Assistant' };

// [key, name, email local part, department, city, country]; some lack a department or city, as
// guests do when the app may not read them.
const GUESTS: [string, string, string, string?, string?, string?][] = [
  ['wangxiaoming', '王小明', 'xiaoming.wang', '财务部', '杭州', 'CN'],
  ['lina', '李娜', 'na.li', '人力资源部', '北京', 'CN'],
  ['zhangwei', '张伟', 'wei.zhang', '研发中心', '上海', 'CN'],
  ['liuyifei', '刘亦菲', 'yifei.liu', '市场部', '上海', 'CN'],
  ['huangjun', '黄俊', 'jun.huang', '销售部', '广州', 'CN'],
  ['zhouxun', '周迅', 'xun.zhou', '法务部', '北京', 'CN'],
  ['wuhao', '吴昊', 'hao.wu', '研发中心', '深圳', 'CN'],
  ['zhengshuang', '郑爽', 'shuang.zheng', '行政部', '成都', 'CN'],
  ['sunli', '孙丽', 'li.sun', '财务部', '杭州', 'CN'],
  ['mayun', '马云飞', 'yunfei.ma', '采购部', '苏州', 'CN'],
  ['guojing', '郭靖', 'jing.guo', '客户成功部', '武汉', 'CN'],
  ['xuqing', '徐晴', 'qing.xu', undefined, '南京', 'CN'],
  ['heyu', '何雨', 'yu.he', '设计中心', undefined, 'CN'],
  ['linfeng', '林峰', 'feng.lin', '研发中心', '厦门', 'CN'],
  ['tangyan', '唐嫣', 'yan.tang', '市场部', '上海', 'CN'],
  ['luohan', '罗晗', 'han.luo', '运营部', '西安', 'CN'],
  ['gaoyuan', '高圆', 'yuan.gao', '产品部', '北京', 'CN'],
  ['xiefang', '谢芳', 'fang.xie', '人力资源部', '广州', 'CN'],
  ['ouyang', '欧阳娜娜', 'nana.ouyang', '国际业务部', '台北', 'CN'],
  ['shenteng', '沈腾', 'teng.shen', '销售部', '天津', 'CN'],
  ['james', 'James Wilson', 'james.wilson', 'Sales', 'London', 'GB'],
  ['olivia', 'Olivia Brown', 'olivia.brown', 'Marketing', 'New York', 'US'],
  ['priya', 'Priya Sharma', 'priya.sharma', 'Engineering', 'Bangalore', 'IN'],
  ['kenji', 'Kenji Tanaka', 'kenji.tanaka', 'Operations', 'Tokyo', 'JP'],
  ['lucas', 'Lucas Müller', 'lucas.mueller', 'Finance', 'Berlin', 'DE'],
  ['sofia', 'Sofía García', 'sofia.garcia', 'Legal', 'Madrid', 'ES'],
  ['noah', 'Noah Kim', 'noah.kim', 'Design', 'Seoul', 'KR'],
  ['emma', 'Emma Thompson', 'emma.thompson', undefined, 'Sydney', 'AU'],
  ['michael', 'Michael Lee', 'michael.lee', 'Customer Success', 'Singapore', 'SG'],
  ['anna', 'Anna Ivanova', 'anna.ivanova', 'Engineering', undefined, 'DE'],
  ['tom', "Tom O'Brien", 'tom.obrien', 'IT', 'Dublin', 'IE'],
  ['grace', 'Grace Huang', 'grace.huang', 'People Ops', 'Shanghai', 'CN'],
];

export const DEMO_GUESTS: readonly RawTicketUser[] = GUESTS.map(([key, name, local, department, city, country]) => person(`guest:${key}`, name, `${local}@example.com`, department, city, country));

/** A guest whose name is markup, to show it is only ever displayed as text. */
export const HOSTILE_GUEST: RawTicketUser = person('guest:hostile', '<img src=x onerror=alert(1)>', 'hostile@example.com', 'QA', 'Nowhere', 'CN');
