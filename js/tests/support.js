// Starting and stopping `omnisim serve` for the tests.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { EVENTS } from "../index.js";
import { before, after } from "node:test";
import assert from "node:assert/strict";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DESK = join(ROOT, "tests", "fixtures", "serve_desk.toml");
export const QUICKSTART = join(ROOT, "scenarios", "quickstart.toml");
export const AVAILABLE = "0N5000000000000";
export const BREAK = "0N5000000000001";
export const SUPERVISOR_ONLY = "0N5000000000002";

/** The omnisim binary: $OMNISIM_BIN, else the release build, else the debug one. */
export function binary() {
  if (process.env.OMNISIM_BIN) return process.env.OMNISIM_BIN;
  for (const profile of ["release", "debug"]) {
    const path = join(ROOT, "target", profile, "omnisim");
    if (existsSync(path)) return path;
  }
  throw new Error("no omnisim binary: run `cargo build --release` first, or set OMNISIM_BIN");
}

/** A fresh temporary folder. */
export function tempDir() {
  return mkdtempSync(join(tmpdir(), "omnisim-serve-"));
}

/**
 * Starts `omnisim serve scenario …args` on a free port; resolves once it
 * listens, with its url, output folder and `stop(signal)`, which resolves
 * to the exit code.
 */
export function startServer(scenario, args = [], { out = join(tempDir(), "results") } = {}) {
  const child = spawn(binary(), ["serve", scenario, "--listen", "127.0.0.1:0", "--out", out, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = /ws:\/\/(127\.0\.0\.1:\d+)\//.exec(stdout);
      if (m && !resolve.done) {
        resolve.done = true;
        resolve({
          url: `ws://${m[1]}/`,
          out,
          output: () => ({ stdout, stderr }),
          exited,
          stop: (signal = "SIGTERM") => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`omnisim serve exited (${code}) before listening:\n${stderr}`)));
  });
}

/** Collects every console event of a console, as `[name, params]`. */
export function recorder(omni, names) {
  const seen = [];
  for (const name of names) {
    omni.on(name, (e) => seen.push([e.getName(), e.getParams(), e.time]));
  }
  return seen;
}

/** Every console event but the connection's own. */
export const ALL_EVENTS = EVENTS.filter((e) => !e.endsWith("ConnectionError"));

/** Desk:0 and Desk:1 on a break while chats queue for two minutes. */
export async function deskOnBreak(omni) {
  const other = await omni.console("Desk:1");
  await omni.setServicePresenceStatus({ statusId: BREAK });
  await other.setServicePresenceStatus({ statusId: BREAK });
  await omni.advance("2m");
  return other;
}

/** The WebSocket class: the global one where Node has it, else the ws package. */
export async function WebSocketClass() {
  return typeof globalThis.WebSocket === "function" ? globalThis.WebSocket : (await import("ws")).default;
}

/**
 * A raw connection for protocol tests: `send(text)`, `next()` (the next
 * frame, parsed), `closed` (resolves to {code, reason}), `opened` (resolves
 * once open, rejects with the HTTP refusal).
 */
export async function raw(url) {
  const WebSocket = await WebSocketClass();
  const socket = new WebSocket(url);
  const frames = [];
  const waiting = [];
  socket.onmessage = (e) => {
    const frame = JSON.parse(e.data.toString());
    const w = waiting.shift();
    if (w) w(frame);
    else frames.push(frame);
  };
  const closed = new Promise((resolve) => {
    socket.onclose = (e) => resolve({ code: e.code, reason: e.reason.toString() });
  });
  const opened = new Promise((resolve, reject) => {
    socket.onopen = resolve;
    // ws names the HTTP status; a global WebSocket only says it failed.
    socket.onerror = (e) => reject(new Error(e.message || (e.error && e.error.message) || "connection refused"));
  });
  return {
    socket,
    opened,
    closed,
    send: (text) => socket.send(text),
    next: () => (frames.length ? Promise.resolve(frames.shift()) : new Promise((r) => waiting.push(r))),
    close: () => socket.close(),
  };
}

/**
 * One server for a test file: started before its tests, stopped after them
 * with SIGTERM (which must exit 143). Its fields (`url`, `out`, …) are
 * there once the tests run.
 */
export function serverForFile(scenario, args) {
  const server = {};
  before(async () => Object.assign(server, await startServer(scenario, args)));
  after(async () => assert.equal(await server.stop(), 143));
  return server;
}
