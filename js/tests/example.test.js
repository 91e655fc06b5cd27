// The accept-button example against `omnisim serve scenarios/quickstart.toml`:
// the component's own controller accepts a real push.

import { test } from "node:test";
import assert from "node:assert/strict";
import { acceptFirstPush } from "../examples/accept-button/run.js";
import { startServer, QUICKSTART } from "./support.js";

const quiet = { log() {}, error() {}, warn() {} };

test("the accept button accepts the first push (stepped clock)", async () => {
  const server = await startServer(QUICKSTART, ["--clock", "stepped"]);
  const result = await acceptFirstPush(server.url, { log: quiet });
  assert.equal(result.engaged, true);
  assert.match(result.workId, /^0Bz/);
  assert.equal(await server.stop(), 143);
});

test("the accept button accepts the first push (wall clock)", async () => {
  const server = await startServer(QUICKSTART, ["--speed", "60"]);
  const result = await acceptFirstPush(server.url, { log: quiet, timeoutMs: 30_000 });
  assert.equal(result.engaged, true);
  assert.equal(await server.stop("SIGINT"), 130);
});
