// Shapes shared by the stand-in's modules and its users. Ticket shapes follow the helpdesk get API
// page (ticket_v2, snake_case) exactly, so seed data can be pasted from real responses.

export interface RawTicketUser {
  id?: string;
  avatar_url?: string;
  name?: string;
  email?: string;
  department?: string;
  city?: string;
  country?: string;
}

export interface RawTicketComments {
  content?: string;
  created_at?: number;
  id?: number;
  user_avatar_url?: string;
  user_name?: string;
  user_id?: number;
}

export interface RawI18n {
  zh_cn?: string;
  en_us?: string;
  ja_jp?: string;
}

export interface RawCustomizedField {
  id?: string;
  value?: string;
  key_name?: string;
  display_name?: string;
  position?: number;
  required?: boolean;
  editable?: boolean;
}

export interface RawTicketTag {
  id?: string;
  name?: string;
}

export interface RawTicket {
  ticket_id: string;
  helpdesk_id?: string;
  guest?: RawTicketUser;
  comments?: RawTicketComments;
  /** 1 bot, 2 human. */
  ticket_type?: number;
  /** 1–5 open, 50–52 closed. */
  status?: number;
  /** 1 unsatisfied, 2 neutral, 3 satisfied. */
  score?: number;
  created_at?: number;
  /** -1 when never updated. */
  updated_at?: number;
  closed_at?: number;
  dissatisfaction_reason?: RawI18n;
  agents?: RawTicketUser[];
  channel?: number;
  /** 1 unsolved, 2 solved. */
  solve?: number;
  closed_by?: RawTicketUser;
  collaborators?: RawTicketUser[];
  customized_fields?: RawCustomizedField[];
  /** Minutes (float). */
  agent_service_duration?: number;
  /** Seconds. */
  agent_first_response_duration?: number;
  /** Seconds. */
  bot_service_duration?: number;
  /** Seconds. */
  agent_resolution_time?: number;
  /** Seconds. */
  actual_processing_time?: number;
  agent_entry_time?: number;
  agent_first_response_time?: number;
  agent_last_response_time?: number;
  agent_owner?: RawTicketUser;
  tags?: RawTicketTag[];
}

/**
 * One message of a ticket's conversation, as GET /open-apis/helpdesk/v1/tickets/:id/messages
 * answers it. `content` is a JSON string: {"content": "…", "msg_type": "text"} for text,
 * {"content": "<post JSON>", "msg_type": "post", "image_keys": […]} for rich text,
 * {"image_key": "img_…", "msg_type": "image"} for an image.
 */
export interface RawTicketMessage {
  id: string;
  message_id?: string;
  message_type: string;
  /** Epoch ms. */
  created_at?: number;
  content: string;
  user_name?: string;
  avatar_url?: string;
  /** The author's open_id. */
  user_id?: string;
}

/** One of the helpdesk's FAQs, as faq.search answers its items. */
export interface RawFaq {
  faq_id: string;
  question: string;
  answer: string;
  tags?: string[];
  categories?: { category_id: string; name: string }[];
  create_time?: string;
  update_time?: string;
}

/** One agent as GET /open-apis/helpdesk/v1/agent_schedules answers it. */
export interface RawAgentSchedule {
  /** 1 online, 2 offline, 3 off duty, 4 removed. */
  status: number;
  agent: { id: string; name?: string; email?: string; department?: string; avatar_url?: string; company_name?: string };
  schedule?: { start_time?: string; end_time?: string; weekday?: number }[];
  agent_skills?: { id?: string; name?: string; is_default?: boolean }[];
}

/** The platform's routes, by the names the stand-in records, injects faults on and reports. */
export const ROUTES = [
  'tenant_token',
  'oauth_authorize',
  'oauth_consent',
  'oauth_token',
  'device_authorization',
  'device_verify',
  'user_info',
  'ticket_update',
  'ticket_message_create',
  'faq_search',
  'bot_info',
  'ticket_get',
  'ticket_list',
  'ticket_messages',
  'agent_schedules',
  'reply',
  'send',
  'patch',
  'card_update',
  'scopes',
  'ws_endpoint',
  'helpdesk_subscribe',
  'helpdesk_unsubscribe',
] as const;

export type Route = (typeof ROUTES)[number];

export interface RecordedCall {
  route: Route | 'unknown';
  method: string;
  /** Path without the query string. */
  path: string;
  /** Repeated parameters become arrays, in the order sent. */
  query: Record<string, string | string[]>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  /** 0 until the stand-in has answered. */
  status: number;
  /** The `code` of the JSON answer. */
  responseCode?: number;
  /** Epoch ms, from the stand-in's clock. */
  at: number;
}

export interface Fault {
  /** Wait this long first; without status or code the request is then handled normally. */
  delayMs?: number;
  status?: number;
  code?: number;
  msg?: string;
  /** How many requests it applies to; forever when absent. */
  times?: number;
  /** Sent as the `x-ogw-ratelimit-reset` header, as the platform's gateway does on HTTP 429. */
  rateLimitResetSeconds?: number;
  /**
   * Answer with exactly this JSON (status 200 unless given), whatever shape it has: a body that is
   * not what the API documents (`[1,2,3]`, `{"code":"0"}`, a ticket with a field of the wrong type).
   */
  body?: unknown;
}

export interface SentMessage {
  messageId: string;
  /** The message this one replies to; absent for a message sent on its own (not a reply). */
  replyTo?: string;
  /** The root of the reply tree (the first message replied to); absent for a message sent on its own. */
  rootId?: string;
  chatId?: string;
  /** Set when the reply was posted in a thread. */
  threadId?: string;
  msgType: string;
  /** The content as last set: the reply's content, a patch's, or JSON.stringify(card) of a card update. */
  content: string;
  uuid?: string;
  updates: number;
  createdAt: number;
  updatedAt: number;
}
