// Runs the accept button against `omnisim serve scenarios/quickstart.toml`:
// becomes the console of the agent Support:0, waits for a real push, clicks
// "Accept" and checks that the work is now engaged.
//
//   cargo run --release -- serve scenarios/quickstart.toml --clock stepped &
//   node js/examples/accept-button/run.js [ws://127.0.0.1:7878/]
//
// On a stepped server it advances the simulated clock ten seconds at a
// time until the push comes; on a wall-clock server it waits for it.

import { connect } from "../../index.js";
import { loadComponent } from "../../aura.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the example; resolves to what happened, for the tests and the log. */
export async function acceptFirstPush(url, { agent = "Support:0", timeoutMs = 60_000, log = console } = {}) {
  const omni = await connect(url, { agent, strict: true });
  try {
    const component = await loadComponent({
      markup: join(here, "acceptButton.cmp"),
      controller: join(here, "acceptButtonController.js"),
      toolkit: omni,
      console: log,
    });
    const pushed = new Promise((resolve) => {
      const off = omni.on("lightning:omniChannelWorkAssigned", (event) => {
        off();
        resolve(event);
      });
    });
    let stepped = true;
    const deadline = Date.now() + timeoutMs;
    let push = null;
    while (!push) {
      if (Date.now() > deadline) throw new Error(`no work was pushed to ${agent} in ${timeoutMs} ms`);
      if (stepped) {
        await omni.advance("10s").catch((e) => {
          if (!String(e).includes("wall clock")) throw new Error(e);
          stepped = false;
        });
      }
      push = await Promise.race([pushed, new Promise((r) => setTimeout(() => r(null), stepped ? 0 : 200))]);
    }
    await component.click("Accept");
    const works = JSON.parse((await omni.getAgentWorks()).works);
    const accepted = works.find((w) => w.workId === push.getParam("workId"));
    if (component.errors.length) throw component.errors[0];
    return { workId: push.getParam("workId"), pushedAt: push.time, engaged: Boolean(accepted && accepted.isEngaged) };
  } finally {
    await omni.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.argv[2] || process.env.OMNISIM_URL || "ws://127.0.0.1:7878/";
  const result = await acceptFirstPush(url);
  console.log(`pushed ${result.workId} at ${result.pushedAt}; engaged after the click: ${result.engaged}`);
  if (!result.engaged) process.exit(1);
}
