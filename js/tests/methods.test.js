// Every toolkit method's success and each rejection of omni-reference
// §2.12, through the wire, with the values Salesforce documents.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../index.js";
import { serverForFile, DESK, AVAILABLE, BREAK, SUPERVISOR_ONLY, deskOnBreak } from "./support.js";

const server = serverForFile(DESK, ["--clock", "stepped"]);

test("every method resolves to what Salesforce documents, and every rejection is a string by default", async () => {
  const omni = await connect(server.url, { agent: "Desk:0" });
  const desk1 = await deskOnBreak(omni);

  assert.equal(await omni.logout(), true);
  await assert.rejects(omni.getAgentWorks(), (e) => typeof e === "string" && /not logged in/.test(e));
  await assert.rejects(omni.login({ statusId: "0N5000000000099" }), /unknown presence status/);
  await assert.rejects(omni.login({ statusId: SUPERVISOR_ONLY }), /not granted to this agent/);
  await assert.rejects(omni.login({}), /invalid statusId/);
  assert.equal(await omni.login({ statusId: AVAILABLE }), true);
  await assert.rejects(omni.login({ statusId: AVAILABLE }), /already logged in/);

  assert.deepEqual(await omni.getServicePresenceStatusId(), {
    statusName: "Available - Chat",
    statusApiName: "Available",
    statusId: AVAILABLE,
  });
  const channels = JSON.parse((await omni.getServicePresenceStatusChannels()).channels);
  assert.deepEqual(channels, [{ channelId: "0N9000000000000", developerName: "chat" }]);

  const result = await omni.getAgentWorks();
  assert.equal(typeof result.works, "string", "works is a JSON string, as component code parses it");
  const works = JSON.parse(result.works);
  assert.equal(works.length, 2);
  assert.deepEqual(Object.keys(works[0]).sort(), ["isEngaged", "workId", "workItemId"]);
  assert.equal(works[0].isEngaged, false);
  assert.match(works[0].workId, /^0Bz\d{12}$/);
  assert.match(works[0].workItemId, /^500\d{12}$/);
  assert.deepEqual(await omni.getAgentWorkload(), {
    configuredCapacity: 2,
    currentWorkload: 2,
    configuredInterruptibleCapacity: 2,
    currentInterruptibleWorkload: 0,
  });

  const [w0, w1] = works.map((w) => w.workId);
  await assert.rejects(omni.acceptAgentWork({}), /invalid workId/);
  await assert.rejects(omni.acceptAgentWork({ workId: "0Bz000000009999" }), /unknown work/);
  await assert.rejects(desk1.acceptAgentWork({ workId: w0 }), /not assigned to this agent/);
  await assert.rejects(omni.declineAgentWork({ workId: w1, declineReason: "Lunch" }), /not one of the configured reasons/);
  assert.equal(await omni.acceptAgentWork({ workId: w0 }), true);
  await assert.rejects(omni.acceptAgentWork({ workId: w0 }), /is Opened; this call is not allowed/);
  assert.equal(JSON.parse((await omni.getAgentWorks()).works)[0].isEngaged, true);
  assert.equal(await omni.raiseAgentWorkFlag({ workId: w0, message: "help" }), true);
  assert.equal(await omni.lowerAgentWorkFlag({ workId: w0 }), true);
  assert.equal(await omni.declineAgentWork({ workId: w1, declineReason: "Busy" }), true);
  assert.equal(await omni.closeAgentWork({ workId: w0 }), true);
  await assert.rejects(omni.closeAgentWork({ workId: w0 }), /is Closed/);

  const set = await omni.setServicePresenceStatus({ statusId: BREAK });
  assert.deepEqual(set, { statusName: "On a break", statusApiName: "Break", statusId: BREAK, channels: "[]" });

  const auto = await omni.console("Auto:0");
  const autoWork = JSON.parse((await auto.getAgentWorks()).works)[0].workId;
  await assert.rejects(auto.declineAgentWork({ workId: autoWork }), /does not allow declining/);
  await omni.close();
});

test("errors: \"objects\" rejects with {code, message}", async () => {
  const omni = await connect(server.url, { agent: "Desk:0", errors: "objects" });
  await omni.logout();
  await assert.rejects(omni.getAgentWorkload(), (e) => {
    assert.equal(e.code, "NotLoggedIn");
    assert.match(e.message, /not logged in/);
    return true;
  });
  await assert.rejects(omni.acceptAgentWork({ workId: "0Bz000000000001" }), { code: "NotLoggedIn" });
  await omni.login({ statusId: AVAILABLE });
  await assert.rejects(omni.acceptAgentWork({ workId: "nope" }), { code: "InvalidArgument" });
  await assert.rejects(omni.acceptAgentWork({ workId: "0Bz000000099999" }), { code: "UnknownWork" });
  await omni.close();
});

test("the older callback style gets {success, …fields} and never rejects", async () => {
  const omni = await connect(server.url, { agent: "Desk:1" });
  const got = await new Promise((resolve) => omni.getServicePresenceStatusId({ callback: resolve }));
  assert.equal(got.success, true);
  assert.equal(got.statusApiName, "Available");
  const works = await new Promise((resolve) => omni.getAgentWorks({ callback: resolve }));
  assert.equal(works.success, true);
  assert.ok(Array.isArray(JSON.parse(works.works)));
  const failed = await new Promise((resolve) => omni.acceptAgentWork({ workId: "0Bz000000099999", callback: resolve }));
  assert.equal(failed.success, false);
  assert.match(failed.error, /unknown work/);
  const done = await new Promise((resolve) => omni.setServicePresenceStatus({ statusId: AVAILABLE, callback: resolve }));
  assert.equal(done.success, true);
  assert.equal(done.statusId, AVAILABLE);
  await omni.close();
});
