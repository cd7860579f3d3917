// The helpdesk's event subscription, as the platform keeps it: POST
// /open-apis/helpdesk/v1/events/subscribe (and unsubscribe) with the helpdesk credential, and, once
// an app has subscribed, every ticket created or changed is pushed to it as a
// helpdesk.ticket.created_v1 / updated_v1 event, through whatever carries events to the bot (signed
// webhook deliveries, or frames over the long connection). Nothing is pushed without a subscription.
import type { RequestHandler } from 'express';
import { ticketCreatedEvent, ticketUpdatedEvent } from './deliveries.js';
import { bodyOf } from './body.js';
import { E } from './codes.js';
import { isObject } from './json.js';
import { append } from './retention.js';
import { sendError, sendJson } from './respond.js';
import type { RawTicket } from './types.js';

/** The events the subscribe API takes (type / subtype), from its documentation page. */
const KNOWN = new Set(['helpdesk.ticket/ticket.created_v1', 'helpdesk.ticket/ticket.updated_v1', 'helpdesk.ticket_message/ticket_message.created_v1', 'helpdesk.notification/notification.approve_v1']);

/** Where events go: the transport the bot receives them over, and the token payloads carry. */
export interface EventSink {
  token: string;
  event(payload: object): Promise<{ ok: true; body: unknown } | { ok: false; error: string }>;
}

export interface PushedEvent {
  eventId: string;
  type: 'helpdesk.ticket.created_v1' | 'helpdesk.ticket.updated_v1';
  ticketId: string;
  payload: object;
  /** Whether the bot acknowledged it; why not, otherwise. */
  delivered: boolean;
  error?: string;
}

export class HelpdeskEvents {
  private readonly subscribed = new Set<string>();
  /** Ticket events pushed, in order (the newest `cap`). */
  readonly pushed: PushedEvent[] = [];
  private sink: EventSink | undefined;

  constructor(
    private readonly appId: string,
    private readonly helpdeskId: string,
    private readonly now: () => number,
    private readonly cap = Infinity,
  ) {}

  /** The events subscribed to, as "type/subtype". */
  get subscriptions(): string[] {
    return [...this.subscribed];
  }

  setSink(sink: EventSink | undefined): void {
    this.sink = sink;
  }

  /** POST …/events/subscribe and …/events/unsubscribe: `{events: [{type, subtype}]}`. */
  route(subscribe: boolean): RequestHandler {
    return (req, res) => {
      const body = bodyOf(req).json;
      const events = isObject(body) ? body['events'] : undefined;
      if (!Array.isArray(events) || events.length === 0) return sendError(res, E.helpdeskBadRequest, { ext: 'events is required: a non-empty array of {type, subtype}' });
      const names: string[] = [];
      for (const [i, event] of events.entries()) {
        const type = isObject(event) ? event['type'] : undefined;
        const subtype = isObject(event) ? event['subtype'] : undefined;
        if (typeof type !== 'string' || typeof subtype !== 'string') return sendError(res, E.helpdeskBadRequest, { ext: `events[${i}] needs a type and a subtype` });
        if (!KNOWN.has(`${type}/${subtype}`)) return sendError(res, E.helpdeskBadRequest, { ext: `events[${i}]: no event ${type} ${subtype}` });
        names.push(`${type}/${subtype}`);
      }
      for (const name of names) subscribe ? this.subscribed.add(name) : this.subscribed.delete(name);
      sendJson(res, 200, { code: 0, msg: 'success', data: {} });
    };
  }

  /** A ticket was created: pushed if subscribed (resolves once the bot answered, or not). */
  created(ticket: RawTicket): Promise<PushedEvent | undefined> {
    if (!this.subscribed.has('helpdesk.ticket/ticket.created_v1')) return Promise.resolve(undefined);
    return this.push('helpdesk.ticket.created_v1', ticket.ticket_id, (token) => ticketCreatedEvent({ token, appId: this.appId, ticket, helpdeskId: this.helpdeskId, createTime: this.now() }));
  }

  /** A ticket changed from `before`: pushed if subscribed. */
  updated(ticket: RawTicket, before: RawTicket): Promise<PushedEvent | undefined> {
    if (!this.subscribed.has('helpdesk.ticket/ticket.updated_v1')) return Promise.resolve(undefined);
    return this.push('helpdesk.ticket.updated_v1', ticket.ticket_id, (token) => ticketUpdatedEvent({ token, appId: this.appId, ticket, before, helpdeskId: this.helpdeskId, createTime: this.now() }));
  }

  /** Pushes a recorded event again, unchanged (same event_id), as the platform's retries do. */
  async again(eventId: string): Promise<PushedEvent | undefined> {
    const first = this.pushed.find((p) => p.eventId === eventId);
    if (!first) return undefined;
    return this.deliver({ ...first, delivered: false });
  }

  private async push(type: PushedEvent['type'], ticketId: string, build: (token: string) => { header: { event_id: string } }): Promise<PushedEvent> {
    const payload = build(this.sink?.token ?? '');
    return this.deliver({ eventId: payload.header.event_id, type, ticketId, payload, delivered: false });
  }

  private async deliver(event: PushedEvent): Promise<PushedEvent> {
    append(this.pushed, event, this.cap);
    if (!this.sink) {
      event.error = 'nothing receives events (no transport set)';
      return event;
    }
    const result = await this.sink.event(event.payload);
    event.delivered = result.ok;
    if (!result.ok) event.error = result.error;
    return event;
  }
}
