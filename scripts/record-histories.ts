/**
 * npm run histories:record [-- NAME ...]
 *
 * Records the event histories the replay test (tests/integration/replay.test.ts) replays in
 * CI: one run of each shape of the released workflow code, with mocked activities (the
 * workflow's own commands are what replay checks), on a real dev server. Run it when a
 * release deliberately changes the workflow (and guard in-flight runs with `patched()`). With
 * names, only those cases are recorded: the older histories stay as the released code made
 * them, so they keep proving that runs in flight during a deploy still replay.
 * `released-promote-search-attributes.binpb` (a promotion with search attributes) was recorded
 * by the code before OPS_PATCH (main at 935e8cb): it fails to replay without that patch.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { startRetrain } from '../src/temporal/startRetrain';
import { WORKFLOWS_PATH } from '../worker/createWorker';
import type { RetrainInput } from '../workflows/types';
import { mockActivities } from '../tests/helpers/mockActivities';
import { startTestServer } from '../tests/helpers/temporal';

export const HISTORY_CASES: { name: string; input: RetrainInput; mock?: Parameters<typeof mockActivities>[0] }[] = [
  { name: 'two-tasks-promote', input: { asOf: '2006-01-28' } },
  { name: 'meta-refit', input: { asOf: '2006-01-28', tasks: ['strategy'] }, mock: { refit: [{ candidate: 'meta', members: ['logistic', 'random_forest'] }] } },
  { name: 'refused', input: { asOf: '2006-01-28', tasks: ['signal'] }, mock: { verdict: { action: 'none', reason: 'no candidate proves skill', pValue: 0.4 } } },
  // Since the ops patch: search attributes for the champion, notifications, drift, an approval that times out.
  { name: 'ops-promote-drift-notify', input: { asOf: '2006-01-28', searchAttributes: true }, mock: { flagged: ['vix_level'] } },
  { name: 'ops-approval-timeout', input: { asOf: '2006-01-28', tasks: ['signal'], config: { gate: { approval: 'required', approvalTimeout: '1s' } } } },
];

async function main(): Promise<void> {
  const server = await startTestServer();
  try {
    const only = process.argv.slice(2);
    for (const c of HISTORY_CASES.filter((x) => only.length === 0 || only.includes(x.name))) {
      const taskQueue = `record-${randomUUID()}`;
      const worker = await Worker.create({ connection: server.env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: mockActivities(c.mock).activities });
      const workflowId = `history-${c.name}`;
      await worker.runUntil(async () => (await startRetrain(server.env.client, { taskQueue, workflowId, input: c.input })).result());
      const history = await server.env.client.workflow.getHandle(workflowId).fetchHistory();
      // Binary protobuf: the SDK's JSON helpers trip over a second protobufjs copy in node_modules.
      writeFileSync(`tests/histories/${c.name}.binpb`, proto.temporal.api.history.v1.History.encode(history).finish());
      console.log(`tests/histories/${c.name}.binpb: ${history.events?.length} events`);
    }
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
