// Strict mode: the common misuses are rejected before they reach the
// wire, with a message that names the fix; without it they go through
// and fail as the real toolkit fails them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../index.js";
import { serverForFile, DESK, AVAILABLE } from "./support.js";

const server = serverForFile(DESK, ["--clock", "stepped"]);

test("strict mode names the fix for each misuse", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:0", strict: true });
  t.after(() => omni.close());
  await assert.rejects(
    omni.acceptAgentWork("0Bz000000000001"),
    (e) => e.includes('acceptAgentWork({workId: "0Bz000000000001"})'),
  );
  await assert.rejects(
    omni.setServicePresenceStatus({ statusName: "Available" }),
    /pass \{statusId: "0N5…"\}, not its name/,
  );
  await assert.rejects(omni.login({ statusApiName: "Available" }), /not its API name/);
  await assert.rejects(omni.acceptAgentWorks({ workId: "0Bz000000000001" }), /did you mean acceptAgentWork\?/);
  await assert.rejects(omni.getAgentWork(), /did you mean getAgentWorks\?/);
  await assert.rejects(omni.declineAgentWork({ workId: "0Bz1", reason: "Busy" }), /unknown argument `reason`; it reads `workId`, `declineReason`/);
  await assert.rejects(omni.acceptAgentWork({ workItemId: "500000000000001" }), /workItemId is the routed record/);
  await assert.rejects(omni.acceptAgentWork({ workId: 17 }), /`workId` must be a string/);
  assert.throws(() => omni.on("lightning:omniChannelWorkAssign", () => {}), /not an Omni-Channel console event/);
  // Correct calls pass, callbacks included.
  assert.equal((await omni.getServicePresenceStatusId()).statusId, AVAILABLE);
  const r = await new Promise((resolve) => omni.getAgentWorkload({ callback: resolve }));
  assert.equal(r.success, true);
});

test("strict mode with errors: \"objects\" rejects with code StrictMode", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:1", strict: true, errors: "objects" });
  t.after(() => omni.close());
  await assert.rejects(omni.closeAgentWork("0Bz000000000001"), { code: "StrictMode" });
});

test("without strict mode a misuse reaches the centre and fails there, as in an org", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:0" });
  t.after(() => omni.close());
  await assert.rejects(omni.acceptAgentWork("0Bz000000000001"), /`args` must be an object/);
  // {statusName} is ignored like any unknown key: no statusId given.
  await assert.rejects(omni.setServicePresenceStatus({ statusName: "Available" }), /invalid statusId/);
  assert.equal(omni.acceptAgentWorks, undefined, "a misspelt method is simply not there");
});
