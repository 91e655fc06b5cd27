// Console events: the parameters Salesforce documents, read with
// getParam as in Aura, in omni-reference §3 order; and a push timeout
// racing an accept, exactly as the Rust tests race them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../index.js";
import { serverForFile, DESK, AVAILABLE, BREAK, recorder, ALL_EVENTS, deskOnBreak } from "./support.js";

const server = serverForFile(DESK, ["--clock", "stepped"]);

test("events arrive in §3 order with their documented parameters, before the call's promise resolves", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:0" });
  t.after(() => omni.close());
  await deskOnBreak(omni);
  await omni.logout();
  const seen = recorder(omni, ALL_EVENTS);
  await omni.login({ statusId: AVAILABLE });
  // Login, then the status it sets, then the pushes it allowed: each push
  // is its work event, then the workload it changed.
  assert.deepEqual(
    seen.map(([n]) => n),
    [
      "omniChannelLoginSuccess",
      "omniChannelStatusChanged",
      "omniChannelWorkAssigned",
      "omniChannelWorkloadChanged",
      "omniChannelWorkAssigned",
      "omniChannelWorkloadChanged",
    ],
  );
  assert.deepEqual(seen[0][1], { statusId: AVAILABLE });
  const status = seen[1][1];
  assert.equal(status.statusId, AVAILABLE);
  assert.equal(status.statusName, "Available - Chat");
  assert.equal(status.statusApiName, "Available");
  assert.equal(status.reason, "OmniLoginStatusChange");
  assert.deepEqual(JSON.parse(status.channels), [{ channelId: "0N9000000000000", developerName: "chat" }]);
  assert.deepEqual(Object.keys(seen[2][1]).sort(), ["workId", "workItemId"]);
  assert.deepEqual(seen[3][1], {
    configuredCapacity: 2,
    previousWorkload: 0,
    newWorkload: 1,
    configuredInterruptibleCapacity: 2,
    previousInterruptibleWorkload: 0,
    newInterruptibleWorkload: 0,
  });

  const [first, second] = [seen[2][1].workId, seen[4][1].workId];
  // The events each call causes, in order; a call that frees capacity may
  // be followed by the push that takes it.
  const during = async (call) => {
    seen.length = 0;
    await call();
    return seen.map(([n, p]) => [n.replace("omniChannel", ""), p]);
  };
  const names = (events) => events.map(([n]) => n);
  assert.deepEqual(names(await during(() => omni.acceptAgentWork({ workId: first }))), ["WorkAccepted"]);
  const flag = await during(() => omni.raiseAgentWorkFlag({ workId: first, message: "customer is upset" }));
  assert.deepEqual(flag, [
    ["WorkFlagUpdated", { workId: first, isFlagged: true, message: "customer is upset", roleUpdatedBy: "AGENT", updatedBy: "005000000000000" }],
  ]);
  const declined = await during(() => omni.declineAgentWork({ workId: second, declineReason: "Wrong skill" }));
  assert.deepEqual(names(declined).slice(0, 2), ["WorkDeclined", "WorkloadChanged"]);
  assert.equal(declined[0][1].onPushTimeout, false);
  const closed = names(await during(() => omni.closeAgentWork({ workId: first })));
  assert.deepEqual(closed.slice(0, 2), ["WorkClosed", "WorkloadChanged"]);
  const onBreak = await during(() => omni.setServicePresenceStatus({ statusId: BREAK }));
  assert.deepEqual(names(onBreak), ["StatusChanged"]);
  assert.equal(onBreak[0][1].reason, "OmniToolkitStatusChange");
  // Going offline with pushes unanswered: the workload first, then the logout.
  const out = await during(() => omni.logout());
  assert.deepEqual(names(out), ["WorkloadChanged", "Logout"]);
  assert.equal(out[0][1].newWorkload, 0);
  assert.deepEqual(out[1][1], {}, "a voluntary logout has no reason");
});

test("Aura events: getParam, getParams, getName, getType", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:1" });
  t.after(() => omni.close());
  await omni.setServicePresenceStatus({ statusId: BREAK });
  const event = await new Promise((resolve) => {
    omni.on("lightning:omniChannelStatusChanged", resolve);
    omni.setServicePresenceStatus({ statusId: AVAILABLE });
  });
  assert.equal(event.getParam("statusApiName"), "Available");
  assert.equal(event.getParam("nothing"), undefined);
  assert.equal(event.getParams().statusId, AVAILABLE);
  assert.equal(event.getName(), "omniChannelStatusChanged");
  assert.equal(event.getType(), "lightning:omniChannelStatusChanged");
  assert.match(event.time, /^\d\d:\d\d:\d\d\.\d{3}$/);
});

test("an accept at the push timeout's instant loses to the timer; a millisecond earlier it wins", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:0" });
  t.after(() => omni.close());
  const desk1 = await deskOnBreak(omni);
  const seen = recorder(omni, ["lightning:omniChannelWorkAssigned", "lightning:omniChannelWorkDeclined"]);
  await omni.setServicePresenceStatus({ statusId: AVAILABLE });
  const [, pushed, at] = seen[0];
  const now = (await omni.advance(0)).time;
  assert.equal(at, now, "pushed the instant the agent became available");
  const { time } = await omni.advance("30s");
  const timedOut = seen.find(([n, p]) => n === "omniChannelWorkDeclined" && p.workId === pushed.workId);
  assert.ok(timedOut, "the push timed out");
  assert.equal(timedOut[1].onPushTimeout, true);
  assert.equal(timedOut[2], time);
  await assert.rejects(omni.acceptAgentWork({ workId: pushed.workId }), /is DeclinedOnPushTimeout/);

  const seen1 = recorder(desk1, ["lightning:omniChannelWorkAssigned"]);
  await desk1.setServicePresenceStatus({ statusId: AVAILABLE });
  await desk1.advance("29.999s");
  assert.equal(await desk1.acceptAgentWork({ workId: seen1[0][1].workId }), true);
});
