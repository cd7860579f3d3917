// GET /open-apis/helpdesk/v1/agent_schedules?status=1&status=2: the helpdesk's agents with their
// working schedules, those in the statuses asked for (1 online, 2 offline, 3 off duty, 4 removed).
// `status` is required (the SDK's type says so); an unknown status is a bad request.
import type { RequestHandler } from 'express';
import { E } from './codes.js';
import { queryOf } from './request.js';
import { sendError, sendJson } from './respond.js';
import type { RawAgentSchedule } from './types.js';

const STATUSES = new Set(['1', '2', '3', '4']);

export function listAgentSchedules(schedules: () => readonly RawAgentSchedule[]): RequestHandler {
  return (req, res) => {
    const asked = queryOf(req).status;
    const statuses = asked === undefined ? [] : Array.isArray(asked) ? asked : [asked];
    if (statuses.length === 0) return sendError(res, E.helpdeskBadRequest, { ext: 'status is required' });
    const bad = statuses.find((s) => !STATUSES.has(s));
    if (bad !== undefined) return sendError(res, E.helpdeskBadRequest, { ext: `status must be 1, 2, 3 or 4, got "${bad}"` });
    const agentSchedules = schedules().filter((s) => statuses.includes(String(s.status)));
    sendJson(res, 200, { code: 0, msg: 'success', data: { agent_schedules: agentSchedules } });
  };
}
