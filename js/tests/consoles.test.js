// Two clients on different agents; a client that disconnects hands its
// agents back to their synthetic behaviour, and can come back.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../index.js";
import { serverForFile, startServer, DESK, AVAILABLE, BREAK, recorder, ALL_EVENTS } from "./support.js";

const server = serverForFile(DESK, ["--clock", "stepped"]);

test("two clients on different agents each get their own agent's events only", async () => {
  const a = await connect(server.url, { agent: 0 });
  const b = await connect(server.url, { agent: "Desk:1" });
  assert.equal(a.agent, 0);
  assert.equal(b.agent, 1);
  assert.equal(b.info.agents[0].group, "Desk");
  await assert.rejects(connect(server.url, { agent: "Desk:1" }), /already has a console/);
  const seenA = recorder(a, ALL_EVENTS);
  const seenB = recorder(b, ALL_EVENTS);
  await a.setServicePresenceStatus({ statusId: BREAK });
  await b.setServicePresenceStatus({ statusId: BREAK });
  await a.advance("1m");
  await b.setServicePresenceStatus({ statusId: AVAILABLE });
  assert.ok(seenA.every(([n, p]) => n !== "omniChannelWorkAssigned"), "A stayed on its break");
  const pushedToB = seenB.filter(([n]) => n === "omniChannelWorkAssigned").map(([, p]) => p.workId);
  assert.ok(pushedToB.length > 0);
  const worksB = JSON.parse((await b.getAgentWorks()).works).map((w) => w.workId);
  assert.deepEqual(worksB, pushedToB);
  await assert.rejects(a.acceptAgentWork({ workId: pushedToB[0] }), /not assigned to this agent/);
  await a.close();
  await b.close();
});

test("a client that disconnects hands its agent back; another can take it over", async () => {
  const a = await connect(server.url, { agent: "Desk:0" });
  await a.setServicePresenceStatus({ statusId: BREAK });
  await a.close();
  // The synthetic agent is back in its login status and works again.
  const again = await connect(server.url, { agent: "Desk:0" });
  assert.equal((await again.getServicePresenceStatusId()).statusApiName, "Available");
  await again.detach();
  await again.advance("10m");
  const b = await again.console("Desk:0");
  const works = JSON.parse((await b.getAgentWorks()).works);
  assert.ok(works.every((w) => w.isEngaged), "the synthetic agent answered its pushes");
  await again.close();
});

test("a connection lost mid-call rejects what is pending and fires omniChannelConnectionError", async () => {
  const probe = await startServer(DESK, ["--clock", "stepped"]);
  const omni = await connect(probe.url, { agent: 0 });
  const lost = new Promise((resolve) => omni.on("lightning:omniChannelConnectionError", resolve));
  assert.equal(await probe.stop("SIGINT"), 130);
  const event = await lost;
  assert.match(event.getParam("reason"), /closed/);
  await assert.rejects(omni.getAgentWorks(), /closed/);
});
