// A load test of `omnisim serve` through its sockets: one Node process is
// the console of many agents (one connection each, as each agent would have
// its own browser), accepts every push at once and closes it after a handle
// time, and measures each toolkit call's round trip through the socket and
// the pushes handled per second.
//
//   cargo run --release -- serve scenarios/load.toml --speed 100 &
//   node js/load/load-test.js ws://127.0.0.1:7878/ --agents 1000 --speed 100 --duration 30
//
// --speed must be the server's: it turns the scenario's handle time (--aht,
// 300 s in scenarios/load.toml) into wall time. Prints a table and one JSON
// line with the figures.

import { connect } from "../index.js";
import { performance } from "node:perf_hooks";

function args(argv) {
  const o = { url: "ws://127.0.0.1:7878/", agents: 1000, speed: 100, duration: 30, warmup: 5, aht: 300 };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      o.url = a;
      continue;
    }
    const key = a.slice(2);
    if (!(key in o)) throw new Error(`unknown option ${a}; the options are ${Object.keys(o).filter((k) => k !== "url").map((k) => `--${k}`).join(", ")}`);
    const v = Number(argv[++i]);
    if (!(v > 0)) throw new Error(`${a} takes a positive number`);
    o[key] = v;
  }
  return o;
}

/** Percentiles of round trips in ms, from a sorted copy. */
function percentiles(values) {
  const s = Float64Array.from(values).sort();
  const at = (q) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN);
  return { count: s.length, p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99), max_ms: s.length ? s[s.length - 1] : NaN };
}

export async function loadTest(o, log = console.log) {
  const rtts = [];
  let measuring = false;
  let handled = 0;
  let refused = 0;
  const reasons = new Map();
  const refuse = (e) => {
    refused++;
    reasons.set(String(e), (reasons.get(String(e)) || 0) + 1);
  };
  let events = 0;
  const timed = async (call) => {
    const t0 = performance.now();
    try {
      return await call();
    } finally {
      if (measuring) rtts.push(performance.now() - t0);
    }
  };
  const timers = new Set();
  const closeLater = (omni, workId) => {
    // Exponential handle time, scaled to the wall clock.
    const ms = (-Math.log(1 - Math.random()) * o.aht * 1000) / o.speed;
    const timer = setTimeout(() => {
      timers.delete(timer);
      timed(() => omni.closeAgentWork({ workId })).catch(refuse);
    }, ms);
    timers.add(timer);
  };
  const take = (omni, workId) =>
    timed(() => omni.acceptAgentWork({ workId })).then(
      () => {
        if (measuring) handled++;
        closeLater(omni, workId);
      },
      refuse,
    );

  const started = performance.now();
  const consoles = [];
  for (let start = 0; start < o.agents; start += 100) {
    const batch = [];
    for (let a = start; a < Math.min(o.agents, start + 100); a++) batch.push(connect(o.url, { agent: a }));
    consoles.push(...(await Promise.all(batch)));
  }
  for (const omni of consoles) {
    omni.on("lightning:omniChannelWorkAssigned", (e) => {
      if (measuring) events++;
      take(omni, e.getParam("workId"));
    });
    // Work the synthetic agent held when the console took over.
    const works = JSON.parse((await omni.getAgentWorks()).works);
    for (const w of works) {
      if (w.isEngaged) closeLater(omni, w.workId);
      else take(omni, w.workId);
    }
  }
  log(`attached ${consoles.length} agents in ${((performance.now() - started) / 1000).toFixed(1)} s; warming up ${o.warmup} s`);
  await new Promise((r) => setTimeout(r, o.warmup * 1000));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, o.duration * 1000));
  measuring = false;
  const window = (performance.now() - t0) / 1000;
  for (const t of timers) clearTimeout(t);
  await Promise.all(consoles.map((c) => c.close()));
  const rtt = percentiles(rtts);
  return {
    agents: consoles.length,
    speed: o.speed,
    window_s: window,
    pushes_per_s: events / window,
    handled_per_s: handled / window,
    toolkit_calls_per_s: rtt.count / window,
    refused,
    refusals: Object.fromEntries(reasons),
    toolkit_rtt: rtt,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = args(process.argv);
  const r = await loadTest(o);
  const f = (x) => x.toFixed(3);
  console.log(`agents ${r.agents}, speed ${r.speed}x, window ${r.window_s.toFixed(2)} s`);
  console.log(`pushes ${r.pushes_per_s.toFixed(1)}/s, handled (accepted) ${r.handled_per_s.toFixed(1)}/s, toolkit calls ${r.toolkit_calls_per_s.toFixed(1)}/s, refused ${r.refused}`);
  console.log(`toolkit round trip [ms]  count ${r.toolkit_rtt.count}  p50 ${f(r.toolkit_rtt.p50_ms)}  p90 ${f(r.toolkit_rtt.p90_ms)}  p99 ${f(r.toolkit_rtt.p99_ms)}  max ${f(r.toolkit_rtt.max_ms)}`);
  console.log(JSON.stringify(r));
}
