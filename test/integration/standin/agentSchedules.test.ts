// The stand-in's agent schedules API (the SDK's helpdesk.v1.agentSchedule.list), as the platform
// serves it: the agents in the statuses asked for, the status required, the helpdesk credential too.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { httpFailure, sdkClient, startStandIn } from '../../support/standin.js';

let standin: StandIn;
beforeAll(async () => {
  standin = await startStandIn({
    agentSchedules: [
      { status: 1, agent: { id: 'ou_a', name: 'Online Agent' } },
      { status: 3, agent: { id: 'ou_b', name: 'Off Duty' }, schedule: [{ start_time: '09:00', end_time: '18:00', weekday: 1 }] },
      { status: 4, agent: { id: 'ou_c', name: 'Removed' } },
    ],
  });
});
afterAll(() => standin.close());

describe('GET /open-apis/helpdesk/v1/agent_schedules', () => {
  it('lists the agents in the statuses asked for, through the SDK', async () => {
    const res = await sdkClient(standin).helpdesk.v1.agentSchedule.list({ params: { status: [1, 2, 3] } }, lark.withHelpDeskCredential());
    expect(res.code).toBe(0);
    expect(res.data?.agent_schedules?.map((s) => s.agent?.name)).toEqual(['Online Agent', 'Off Duty']);
    expect(standin.callsTo('agent_schedules').at(-1)!.query.status).toEqual(['1', '2', '3']);
  });

  it('refuses a missing or unknown status with 154000, and a missing helpdesk credential with 154001', async () => {
    const client = sdkClient(standin);
    const missing = await httpFailure(client.helpdesk.v1.agentSchedule.list({ params: { status: [] } }, lark.withHelpDeskCredential()));
    expect([missing.status, missing.data.code]).toEqual([400, 154000]);
    const unknown = await httpFailure(client.helpdesk.v1.agentSchedule.list({ params: { status: [9] } }, lark.withHelpDeskCredential()));
    expect([unknown.status, unknown.data.code]).toEqual([400, 154000]);
    const unauthorized = await httpFailure(client.helpdesk.v1.agentSchedule.list({ params: { status: [1] } }));
    expect(unauthorized.data.code).toBe(154001);
  });
});
