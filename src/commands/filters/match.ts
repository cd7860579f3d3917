// Whether a ticket matches a filter, as the list API would decide: the same TicketFilter that
// /tickets sends, checked against one ticket the bot already has (a watch deciding on a ticket
// event). Pure. Where the list API's documentation is silent, this follows what the stand-in's
// list does, and a property test keeps the two in agreement.
import type { Ticket, TicketFilter } from '../../helpdesk/types.js';

export function matches(filter: TicketFilter, ticket: Ticket): boolean {
  const within = (at: number | undefined, range: { start: number; end: number } | undefined) => range === undefined || (at !== undefined && at >= range.start && at <= range.end);
  const same = <T>(actual: T | undefined, wanted: T | undefined) => wanted === undefined || actual === wanted;
  const tagNames = new Set(ticket.tags.map((t) => t.name));
  // Any agent on the ticket counts, its owner included (agent_id is "an agent of the ticket").
  const agentIds = new Set([...ticket.agents, ...(ticket.agentOwner ? [ticket.agentOwner] : [])].map((a) => a.id));
  return (
    same(ticket.id, filter.ticketId) &&
    (filter.agentId === undefined || agentIds.has(filter.agentId)) &&
    same(ticket.closedBy?.id, filter.closedById) &&
    same(ticket.type, filter.type) &&
    same(ticket.channel, filter.channel) &&
    same(ticket.solved, filter.solved) &&
    same(ticket.score, filter.score) &&
    (filter.statuses === undefined || filter.statuses.length === 0 || (ticket.status !== undefined && filter.statuses.includes(ticket.status))) &&
    (filter.guestName === undefined || (ticket.guest?.name ?? '').toLowerCase().includes(filter.guestName.toLowerCase())) &&
    same(ticket.guest?.id, filter.guestId) &&
    (filter.tags === undefined || filter.tags.every((tag) => tagNames.has(tag))) &&
    within(ticket.createdAt, filter.created) &&
    within(ticket.updatedAt, filter.updated)
  );
}
