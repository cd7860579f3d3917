// Our own view of a helpdesk ticket. helpdesk/ maps the SDK's raw shapes into these; nothing else
// in the bot sees the API's field names. Every time is epoch milliseconds, every duration is
// milliseconds (the API mixes minutes, seconds and milliseconds; the mapping normalises them).

export interface Person {
  id?: string;
  name?: string;
  email?: string;
  department?: string;
  city?: string;
  country?: string;
}

export interface Tag {
  id?: string;
  name: string;
}

export interface CustomField {
  id?: string;
  key?: string;
  label: string;
  value: string;
  position?: number;
}

export interface TicketComment {
  content: string;
  createdAt?: number;
  authorName?: string;
}

export interface LocalizedText {
  zh_cn?: string;
  en_us?: string;
  ja_jp?: string;
}

/** Status codes from the API: 1–5 open, 50–52 closed. Unknown codes are kept as numbers. */
export type StatusCode = number;

export interface TicketDurations {
  /** Bot service: ticket creation to agent entry. */
  botService?: number;
  /** Agent first response: agent entry to first reply. */
  agentFirstResponse?: number;
  /** Agent service: agent entry to last reply. */
  agentService?: number;
  /** Agent resolution: first agent entry to close. */
  agentResolution?: number;
  /** Actual processing: resolution minus time spent pending. */
  actualProcessing?: number;
}

export interface Ticket {
  id: string;
  helpdeskId?: string;
  status?: StatusCode;
  /** 1 bot, 2 human. */
  type?: number;
  channel?: number;
  /** 1 unsolved, 2 solved. */
  solved?: number;
  /** 1 unsatisfied, 2 neutral, 3 satisfied. */
  score?: number;
  dissatisfactionReason?: LocalizedText;
  guest?: Person;
  agents: Person[];
  agentOwner?: Person;
  collaborators: Person[];
  closedBy?: Person;
  createdAt?: number;
  updatedAt?: number;
  closedAt?: number;
  agentEntryAt?: number;
  agentFirstResponseAt?: number;
  agentLastResponseAt?: number;
  durations: TicketDurations;
  tags: Tag[];
  customFields: CustomField[];
  comments: TicketComment[];
}

/** The list API's filters, in our words. Ranges are always complete pairs, in epoch ms. */
export interface TicketFilter {
  ticketId?: string;
  agentId?: string;
  closedById?: string;
  type?: number;
  channel?: number;
  solved?: number;
  score?: number;
  statuses?: number[];
  guestName?: string;
  guestId?: string;
  tags?: string[];
  created?: { start: number; end: number };
  updated?: { start: number; end: number };
}

export interface TicketPage {
  total: number;
  tickets: Ticket[];
}

/** One message of a ticket's conversation (the chat between the guest, the helpdesk bot and agents). */
export interface Message {
  id: string;
  /** text, post, image, file, media, or another kind the API adds later. */
  kind: string;
  /** The words of a text or rich-text message, clipped to MAX_MESSAGE_CHARS. */
  text?: string;
  /** Images in the message (an image message, or pictures inside a rich-text one). */
  images?: number;
  createdAt?: number;
  authorName?: string;
  /** The author's open_id; the guest's messages have the ticket's guest id. */
  authorId?: string;
}

/**
 * What the bot keeps of a conversation: its first and its latest messages (oldest first, no
 * duplicates) and how many there are in all. Enough for a card's summary and recent messages.
 */
export interface Conversation {
  total: number;
  messages: Message[];
}

/** An agent of the helpdesk, as its agent schedules list them. */
export interface Agent {
  id: string;
  name: string;
}
