// omnisim's `lightning:omniToolkitAPI` for Node: the 12 toolkit methods and
// the Omni-Channel console events of an agent in a centre served by
// `omnisim serve`, with the names, argument objects and results Salesforce
// documents, so console component code runs against the simulated centre
// unchanged. The wire protocol is described in docs/serve.md.

/** The 12 methods, by their Salesforce names, with the argument keys each reads. */
export const METHODS = Object.freeze({
  acceptAgentWork: ["workId"],
  closeAgentWork: ["workId"],
  declineAgentWork: ["workId", "declineReason"],
  getAgentWorks: [],
  getAgentWorkload: [],
  getServicePresenceStatusChannels: [],
  getServicePresenceStatusId: [],
  login: ["statusId"],
  logout: [],
  setServicePresenceStatus: ["statusId"],
  raiseAgentWorkFlag: ["workId", "message"],
  lowerAgentWorkFlag: ["workId"],
});

/** The Omni-Channel console events of Lightning Experience. */
export const EVENTS = Object.freeze([
  "lightning:omniChannelConnectionError",
  "lightning:omniChannelLoginSuccess",
  "lightning:omniChannelStatusChanged",
  "lightning:omniChannelLogout",
  "lightning:omniChannelWorkAssigned",
  "lightning:omniChannelWorkAccepted",
  "lightning:omniChannelWorkDeclined",
  "lightning:omniChannelWorkClosed",
  "lightning:omniChannelWorkFlagUpdated",
  "lightning:omniChannelWorkloadChanged",
]);

/** Keys that are a known mix-up, with the fix to name. */
const MIX_UPS = {
  statusName: 'the toolkit takes the presence status\'s id: pass {statusId: "0N5…"}, not its name',
  statusApiName: 'the toolkit takes the presence status\'s id: pass {statusId: "0N5…"}, not its API name',
  workItemId: 'pass the AgentWork id as {workId: "0Bz…"}; workItemId is the routed record, not the work',
  id: 'name the argument: {workId: "0Bz…"} or {statusId: "0N5…"}',
};

/**
 * The WebSocket class to use: the global one (Node ≥ 22, browsers), else
 * the `ws` package (Node 18 and 20, installed by `npm install` in js/).
 */
async function webSocketClass() {
  if (typeof globalThis.WebSocket === "function") return globalThis.WebSocket;
  try {
    return (await import("ws")).default;
  } catch {
    throw new Error(
      "no WebSocket available: Node 22 and later have one built in; on Node 18 or 20 run `npm install` in js/ to get the ws package",
    );
  }
}

/** Edit distance, for naming the method a misspelt one was meant to be. */
function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
    }
  }
  return d[a.length][b.length];
}

/** The closest method name to `name`, if it is close enough to be a typo. */
export function closestMethod(name) {
  let best = null;
  for (const m of Object.keys(METHODS)) {
    const dist = distance(name, m);
    if (dist <= 3 && (!best || dist < best.dist)) best = { m, dist };
  }
  return best && best.m;
}

/**
 * What strict mode says about a call, or null when it is fine: a bare
 * value instead of the argument object, a known mix-up, or a key the method
 * does not read.
 */
export function strictProblem(method, args) {
  const keys = METHODS[method];
  if (args === undefined || args === null) {
    if (keys.length === 0 || method === "declineAgentWork") return null;
    return `${method} needs an argument object: ${method}({${keys[0]}: "…"})`;
  }
  if (typeof args !== "object" || Array.isArray(args)) {
    const shown = typeof args === "string" ? `the string ${JSON.stringify(args)}` : JSON.stringify(args);
    if (keys.length === 0) return `${method} takes no arguments (or only {callback}); got ${shown}`;
    return `${method} takes an object, not a bare value: write ${method}({${keys[0]}: ${typeof args === "string" ? JSON.stringify(args) : "…"}}) instead of passing ${shown}`;
  }
  for (const key of Object.keys(args)) {
    if (key === "callback" || keys.includes(key)) continue;
    if (MIX_UPS[key]) return `${method}: unknown argument \`${key}\`; ${MIX_UPS[key]}`;
    const allowed = keys.length ? keys.map((k) => `\`${k}\``).join(", ") : "none";
    return `${method}: unknown argument \`${key}\`; it reads ${allowed}`;
  }
  for (const key of keys) {
    if (key in args && args[key] !== undefined && args[key] !== null && typeof args[key] !== "string") {
      return `${method}: \`${key}\` must be a string, got ${typeof args[key]}`;
    }
  }
  return null;
}

/**
 * An Omni-Channel console event as an Aura event: `getParam(name)`,
 * `getParams()`, `getName()`, `getType()`, plus the agent and simulated
 * time it happened at.
 */
export class ConsoleEvent {
  constructor(type, params, agent, time) {
    this.type = type;
    this.params = Object.freeze({ ...params });
    this.agent = agent;
    this.time = time;
  }
  /** A parameter of the event, as Aura's `event.getParam(name)`. */
  getParam(name) {
    return this.params[name];
  }
  /** Every parameter, as Aura's `event.getParams()`. */
  getParams() {
    return { ...this.params };
  }
  /** The event's name without namespace, e.g. `omniChannelWorkAssigned`. */
  getName() {
    return this.type.split(":").pop();
  }
  /** The event's descriptor, e.g. `lightning:omniChannelWorkAssigned`. */
  getType() {
    return this.type;
  }
}

/** One WebSocket connection to `omnisim serve`, shared by the consoles on it. */
class Connection {
  constructor(socket, options) {
    this.socket = socket;
    this.options = options;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map();
    this.closed = false;
    socket.onmessage = (e) => this.receive(typeof e.data === "string" ? e.data : e.data.toString());
    socket.onclose = (e) => this.lost(e);
    socket.onerror = () => {};
  }

  /** Sends a request and resolves with its `ok` value or rejects with its error object. */
  request(body) {
    if (this.closed) return Promise.reject({ code: "Disconnected", message: "the connection to omnisim is closed" });
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, ...body }));
    });
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.event) {
      const event = new ConsoleEvent(frame.event, frame.params || {}, frame.agent, frame.time);
      this.dispatch(event);
      return;
    }
    const waiting = this.pending.get(frame.id);
    if (!waiting) return;
    this.pending.delete(frame.id);
    if ("ok" in frame) waiting.resolve(frame.ok);
    else waiting.reject(frame.error);
  }

  dispatch(event) {
    for (const [handler, filter] of this.listeners.get(event.type) || []) {
      // An event of the connection (agent undefined) concerns every console on it.
      if (filter !== undefined && event.agent !== undefined && filter !== event.agent) continue;
      try {
        handler(event);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  on(type, handler, agent) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Map());
    this.listeners.get(type).set(handler, agent);
    return () => this.off(type, handler);
  }

  off(type, handler) {
    this.listeners.get(type)?.delete(handler);
  }

  lost(e) {
    const wasOpen = !this.closed;
    this.closed = true;
    const error = { code: "Disconnected", message: `the connection to omnisim closed${e && e.reason ? `: ${e.reason}` : ""}` };
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    if (wasOpen && !this.closing) {
      this.dispatch(new ConsoleEvent("lightning:omniChannelConnectionError", { reason: error.message }, undefined, undefined));
    }
  }

  close() {
    this.closing = true;
    this.closed = true;
    return new Promise((resolve) => {
      if (this.socket.readyState === 3) return resolve();
      this.socket.addEventListener("close", () => resolve());
      this.socket.close();
    });
  }
}

/**
 * An agent's console: the toolkit's 12 methods, event subscriptions, and
 * (for tests) the centre's clock.
 */
class Console {
  constructor(connection, agent, info, options) {
    this.connection = connection;
    this.agent = agent;
    this.info = info;
    this.options = options;
    for (const method of Object.keys(METHODS)) {
      this[method] = (args) => this.call(method, args);
    }
  }

  /** How a rejection is given: a string by default, `{code, message}` with `errors: "objects"`. */
  rejection(error) {
    return this.options.errors === "objects" ? { code: error.code, message: error.message } : error.message;
  }

  call(method, args) {
    const callback = args && typeof args === "object" && typeof args.callback === "function" ? args.callback : null;
    let problem = this.options.strict ? strictProblem(method, args) : null;
    let wire = {};
    if (args && typeof args === "object" && !Array.isArray(args)) {
      for (const [k, v] of Object.entries(args)) if (k !== "callback" && v !== undefined) wire[k] = v;
    } else if (args !== undefined && args !== null) {
      wire = args;
    }
    const result = problem
      ? Promise.reject({ code: "StrictMode", message: problem })
      : this.connection.request({ agent: this.agent, method, args: wire });
    if (callback) {
      // The older style: the callback gets {success, …fields}; nothing rejects.
      return result.then(
        (value) => {
          const r = typeof value === "object" && value !== null ? { success: true, ...value } : { success: value === true };
          callback(r);
          return r;
        },
        (error) => {
          const r = { success: false, error: this.rejection(error) };
          callback(r);
          return r;
        },
      );
    }
    return result.catch((error) => {
      throw this.rejection(error);
    });
  }

  /** Subscribes to a console event of this agent; returns the function that unsubscribes. */
  on(type, handler) {
    if (this.options.strict && !EVENTS.includes(type)) {
      throw new Error(`${type} is not an Omni-Channel console event; the events are ${EVENTS.join(", ")}`);
    }
    return this.connection.on(type, handler, this.agent);
  }

  /** Unsubscribes a handler. */
  off(type, handler) {
    this.connection.off(type, handler);
  }

  /** Stepped clock: runs the centre `duration` further (`"30s"`, `90`); resolves to `{time, ended}`. */
  advance(duration) {
    return this.connection.request({ advance: duration }).catch((e) => {
      throw this.rejection(e);
    });
  }

  /** Stepped clock: runs the centre to a clock time (`"10:00"`); resolves to `{time, ended}`. */
  advanceTo(time) {
    return this.connection.request({ advance_to: time }).catch((e) => {
      throw this.rejection(e);
    });
  }

  /** The console of another agent on this connection, attaching to it first. */
  async console(agent) {
    const reply = await this.connection.request({ attach: agent }).catch((e) => {
      throw this.rejection(e);
    });
    return wrap(new Console(this.connection, reply.agents[0].agent, reply, this.options));
  }

  /** Hands this console's agent back to its synthetic behaviour (the connection stays open). */
  detach() {
    return this.connection.request({ detach: this.agent }).catch((e) => {
      throw this.rejection(e);
    });
  }

  /** Closes the connection: every agent on it goes back to its synthetic behaviour. */
  close() {
    return this.connection.close();
  }
}

/** In strict mode, a misspelt method rejects with the name it was probably meant to be. */
function wrap(console) {
  if (!console.options.strict) return console;
  return new Proxy(console, {
    get(target, prop, receiver) {
      if (typeof prop !== "string" || prop in target || prop === "then" || prop === "toJSON" || prop.startsWith("_")) {
        return Reflect.get(target, prop, receiver);
      }
      const near = closestMethod(prop);
      const fix = near ? `; did you mean ${near}?` : `; the methods are ${Object.keys(METHODS).join(", ")}`;
      const message = `${prop} is not a method of lightning:omniToolkitAPI${fix}`;
      return () => Promise.reject(console.rejection({ code: "StrictMode", message }));
    },
  });
}

/**
 * Connects to `omnisim serve` at `url` and becomes the console of
 * `options.agent` (a number, `"group:index"`, or a list; the console is the
 * first one's, `console(other)` gives the others').
 *
 * Options: `strict` (reject misuses, naming the fix), `errors: "objects"`
 * (reject with `{code, message}` instead of a string), `token` (when the
 * server asks for one).
 */
export async function connect(url, options = {}) {
  const { agent, token } = options;
  if (agent === undefined) throw new Error('connect(url, {agent}) needs the agent to attach to: a number or "group:index"');
  const WebSocket = await webSocketClass();
  const target = new URL(url);
  if (token) target.searchParams.set("token", token);
  const socket = new WebSocket(target.toString());
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = (e) => reject(new Error(`cannot connect to ${url}: ${e.message || "refused"}`));
    socket.onclose = (e) => reject(new Error(`cannot connect to ${url}: closed (${e.code})`));
  });
  const connection = new Connection(socket, options);
  let reply;
  try {
    reply = await connection.request({ attach: agent });
  } catch (e) {
    await connection.close();
    throw new Error(`cannot attach to ${JSON.stringify(agent)}: ${e.message}`);
  }
  return wrap(new Console(connection, reply.agents[0].agent, reply, options));
}
