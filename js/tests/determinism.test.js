// The stepped clock: a scripted client gives byte-identical result files
// twice.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "../index.js";
import { startServer, DESK, AVAILABLE, BREAK } from "./support.js";

/** A console that accepts its pushes once a minute and closes them a minute later, for 20 minutes. */
async function scriptedRun() {
  const server = await startServer(DESK, ["--clock", "stepped"]);
  const omni = await connect(server.url, { agent: "Desk:0" });
  const opened = [];
  omni.on("lightning:omniChannelWorkAssigned", (e) => opened.push(e.getParam("workId")));
  await omni.setServicePresenceStatus({ statusId: BREAK });
  await omni.advance("3m");
  await omni.setServicePresenceStatus({ statusId: AVAILABLE });
  for (let minute = 0; minute < 20; minute++) {
    // Pushes that came during the last minute may have timed out (30 s):
    // their accept is refused, the same way in both runs.
    const accepted = [];
    for (const workId of opened.splice(0)) {
      if (await omni.acceptAgentWork({ workId }).catch(() => false)) accepted.push(workId);
    }
    await omni.advance("1m");
    for (const workId of accepted) await omni.closeAgentWork({ workId });
  }
  const { time } = await omni.advance("7s");
  await omni.close();
  assert.equal(await server.stop("SIGTERM"), 143);
  const files = {};
  for (const f of ["summary.json", "intervals.csv", "agents.csv", "work.csv"]) {
    files[f] = readFileSync(join(server.out, f));
  }
  return { files, time };
}

test("the same script on the stepped clock gives the same result files, byte for byte", async () => {
  const first = await scriptedRun();
  const second = await scriptedRun();
  assert.equal(first.time, "08:23:07.000");
  for (const f of Object.keys(first.files)) {
    assert.ok(first.files[f].length > 0, f);
    assert.ok(first.files[f].equals(second.files[f]), `${f} differs between the two runs`);
  }
  assert.match(first.files["work.csv"].toString(), /\n/);
});
