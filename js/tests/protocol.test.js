// The wire protocol's bounds: malformed input gets an error reply and the
// centre goes on; message size, request rate, connections and the token
// are enforced.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "../index.js";
import { serverForFile, startServer, raw, binary, tempDir, DESK } from "./support.js";

const server = serverForFile(DESK, ["--clock", "stepped", "--max-message-bytes", "1024", "--max-requests-per-second", "20", "--max-connections", "3"]);

test("malformed input, unknown methods and bad arguments get error replies; the centre goes on", async () => {
  const c = await raw(server.url);
  await c.opened;
  const cases = [
    ["{not json", null, "MalformedRequest"],
    ["[1, 2]", null, "MalformedRequest"],
    ['{"method": "logout"}', null, "MalformedRequest"],
    ['{"id": 1, "metod": "logout"}', 1, "MalformedRequest"],
    ['{"id": 2, "method": "acceptAgentWorks", "args": {"workId": "0Bz000000000001"}}', 2, "UnknownMethod"],
    ['{"id": 3, "method": "acceptAgentWork", "args": "0Bz000000000001"}', 3, "InvalidArgument"],
    ['{"id": 4, "method": "acceptAgentWork", "args": {"workId": 42}}', 4, "InvalidArgument"],
    ['{"id": 5, "method": "logout"}', 5, "NotAttached"],
    ['{"id": 6, "attach": "Nobody:0"}', 6, "UnknownAgent"],
    ['{"id": 7, "advance": "later"}', 7, "InvalidArgument"],
  ];
  for (const [text, id, code] of cases) {
    c.send(text);
    const reply = await c.next();
    assert.equal(reply.id, id, text);
    assert.equal(reply.error.code, code, `${text}: ${reply.error.message}`);
    assert.ok(reply.error.message.length > 10);
  }
  c.send(Buffer.from([1, 2, 3]));
  assert.equal((await c.next()).error.code, "MalformedRequest");
  // Still serving.
  c.send('{"id": 8, "attach": 2}');
  assert.equal((await c.next()).ok.agents[0].group, "Auto");
  c.close();
  await c.closed;
});

test("a message over --max-message-bytes closes the connection with code 1009", async () => {
  const c = await raw(server.url);
  await c.opened;
  c.send(JSON.stringify({ id: 1, method: "getAgentWorks", args: { pad: "x".repeat(2000) } }));
  const { code, reason } = await c.closed;
  assert.equal(code, 1009);
  assert.match(reason, /at most 1024 bytes/);
  // The server still takes connections.
  const omni = await connect(server.url, { agent: 0 });
  await omni.close();
});

test("requests over --max-requests-per-second are refused, not served", async () => {
  const c = await raw(server.url);
  await c.opened;
  for (let i = 0; i < 30; i++) c.send(JSON.stringify({ id: i, advance: 0 }));
  const codes = [];
  for (let i = 0; i < 30; i++) codes.push((await c.next()).error?.code ?? "ok");
  assert.equal(codes.filter((x) => x === "ok").length, 20);
  assert.equal(codes.filter((x) => x === "RateLimited").length, 10);
  c.close();
  await c.closed;
});

test("connections beyond --max-connections are refused with 503", async () => {
  const open = [];
  for (let i = 0; i < 3; i++) {
    const c = await raw(server.url);
    await c.opened;
    open.push(c);
  }
  const extra = await raw(server.url);
  await assert.rejects(extra.opened, /503|refused/);
  open[0].close();
  await open[0].closed;
  // Given back: a new one gets in (the server notices the close promptly).
  let again;
  for (let tries = 0; tries < 50; tries++) {
    again = await raw(server.url);
    try {
      await again.opened;
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await again.opened;
  for (const c of [...open.slice(1), again]) c.close();
});

test("a token file makes the server ask for the token", async () => {
  const dir = tempDir();
  const tokenFile = join(dir, "token.txt");
  writeFileSync(tokenFile, "s3cret-token\n");
  const guarded = await startServer(DESK, ["--clock", "stepped", "--token-file", tokenFile]);
  await assert.rejects(connect(guarded.url, { agent: 0 }), /401|Unexpected server response|cannot connect/);
  await assert.rejects(connect(guarded.url, { agent: 0, token: "wrong" }), /401|Unexpected server response|cannot connect/);
  const omni = await connect(guarded.url, { agent: 0, token: "s3cret-token" });
  assert.equal(omni.agent, 0);
  await omni.close();
  assert.equal(await guarded.stop(), 143);
});

test("listening beyond loopback without a token is refused at start", () => {
  const r = spawnSync(binary(), ["serve", DESK, "--listen", "0.0.0.0:0"], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--token-file/);
  const bad = spawnSync(binary(), ["serve", DESK, "--clock", "stepped", "--speed", "2"], { encoding: "utf8" });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--speed paces the wall clock/);
});
