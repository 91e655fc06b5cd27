// The Aura harness: markup, controller and helper loaded as written;
// console events routed to the handlers the markup names; attributes,
// $A.getCallback and $A.enqueueAction stand-ins.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "../index.js";
import { loadComponent } from "../aura.js";
import { serverForFile, DESK, BREAK, deskOnBreak, AVAILABLE } from "./support.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "autoAccept");
const files = {
  markup: join(fixture, "autoAccept.cmp"),
  controller: join(fixture, "autoAcceptController.js"),
  helper: join(fixture, "autoAcceptHelper.js"),
};

const server = serverForFile(DESK, ["--clock", "stepped"]);

test("a component's handler accepts real pushes through its helper", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:0", strict: true });
  t.after(() => omni.close());
  await deskOnBreak(omni);
  const greetings = [];
  const component = await loadComponent({
    ...files,
    toolkit: omni,
    apex: { getGreeting: (params) => (greetings.push(params), `Hello ${params.agent}`) },
  });
  assert.equal(component.cmp.get("v.lastAccepted"), "none", "the attribute's default");
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(greetings, [{ agent: "Support:0" }]);
  assert.equal(component.cmp.get("v.greeting"), "Hello Support:0", "init ran the Apex stand-in");

  const accepted = [];
  omni.on("lightning:omniChannelWorkAccepted", (e) => accepted.push(e.getParam("workId")));
  await omni.setServicePresenceStatus({ statusId: AVAILABLE });
  // Two pushes (capacity 2); the handler accepts each as it arrives.
  for (let i = 0; i < 50 && accepted.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(accepted.length, 2);
  assert.equal(component.cmp.get("v.lastAccepted"), accepted[1]);
  const works = JSON.parse((await omni.getAgentWorks()).works);
  assert.deepEqual(works.filter((w) => w.isEngaged).map((w) => w.workId), accepted);

  const set = await component.click("Go on a break");
  assert.equal(set.statusId, BREAK);
  assert.throws(() => component.click("Nope"), /no lightning:button labelled "Nope"/);
  assert.deepEqual(component.errors, []);
  component.destroy();
});

test("an Apex action without a stand-in reports ERROR to its callback", async (t) => {
  const omni = await connect(server.url, { agent: "Desk:1" });
  t.after(() => omni.close());
  const component = await loadComponent({ ...files, toolkit: omni });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(component.cmp.get("v.greeting"), undefined, "the callback saw no SUCCESS");
  assert.throws(() => component.cmp.get("x.y"), /expected "v.attribute" or "c.serverAction"/);
  component.destroy();
});
