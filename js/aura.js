// An Aura harness for Node: loads a component's markup (.cmp) and its
// `…Controller.js` / `…Helper.js` files unchanged (Aura's object-literal
// files, `({ … })`), gives them a `cmp` whose `find("omniToolkit")` is an
// omnisim console, stand-ins for `cmp.get/set("v.…")`, `$A.getCallback` and
// `$A.enqueueAction`, and routes console events to the handlers the markup
// names (`<aura:handler event="lightning:omniChannelWorkAssigned"
// action="{!c.onWorkAssigned}"/>`). Buttons of the markup can be clicked by
// label.

import { readFile } from "node:fs/promises";
import vm from "node:vm";

/** The attributes of each tag `tag` in `markup`, as objects. */
function tags(markup, tag) {
  const found = [];
  const pattern = new RegExp(`<${tag}\\b([^>]*?)/?>`, "g");
  for (const m of markup.matchAll(pattern)) {
    const attrs = {};
    for (const a of m[1].matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]] = a[2];
    found.push(attrs);
  }
  return found;
}

/** `{! c.name }` → `name`. */
function actionName(expression, where) {
  const m = /^\{!\s*c\.(\w+)\s*\}$/.exec((expression || "").trim());
  if (!m) throw new Error(`${where}: expected an action such as "{!c.handle}", got ${JSON.stringify(expression)}`);
  return m[1];
}

/** Evaluates an Aura object-literal file (`({ … })`) as it is written. */
async function loadObject(path, sandbox) {
  if (!path) return {};
  const source = await readFile(path, "utf8");
  const value = vm.runInContext(source, sandbox, { filename: path });
  if (!value || typeof value !== "object") {
    throw new Error(`${path}: expected an Aura object literal such as ({ doInit: function(cmp, evt, helper) { … } })`);
  }
  return value;
}

/** An Apex action from `cmp.get("c.method")`, answered by `apex[method]`. */
class ServerAction {
  constructor(name) {
    this.name = name;
    this.params = {};
    this.callback = null;
  }
  setParams(params) {
    this.params = { ...params };
  }
  setParam(key, value) {
    this.params[key] = value;
  }
  getParams() {
    return { ...this.params };
  }
  setCallback(scope, callback) {
    this.callback = callback.bind(scope);
  }
}

/** The `$A` stand-in: what a controller of this kind reaches for. */
function makeA(apex, errors) {
  return {
    getCallback(fn) {
      return function (...args) {
        try {
          return fn.apply(this, args);
        } catch (e) {
          errors.push(e);
          throw e;
        }
      };
    },
    enqueueAction(action) {
      const handler = apex[action.name];
      queueMicrotask(async () => {
        let state = "SUCCESS";
        let value;
        let error = [];
        try {
          if (!handler) throw new Error(`no Apex stand-in for c.${action.name}; pass {apex: {${action.name}: (params) => …}}`);
          value = await handler(action.getParams());
        } catch (e) {
          state = "ERROR";
          error = [{ message: e.message }];
        }
        action.callback?.({
          getState: () => state,
          getReturnValue: () => value,
          getError: () => error,
        });
      });
    },
    util: {
      isEmpty: (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0),
      isUndefinedOrNull: (v) => v === undefined || v === null,
    },
    log: (...args) => console.log(...args),
  };
}

/**
 * Loads a component against an omnisim console.
 *
 * `options`: `markup` (path of the .cmp), `controller` and `helper` (paths
 * of the object-literal files; helper optional), `toolkit` (an omnisim
 * console from `connect`), `apex` (stand-ins for server actions, by name),
 * `console` (the console the component's `console.log` writes to).
 * Resolves to the component: `cmp` (as controllers see it), `click(label)`,
 * `run(action)`, `errors` (exceptions thrown inside handlers) and
 * `destroy()`.
 */
export async function loadComponent(options) {
  const { markup: markupPath, controller: controllerPath, helper: helperPath, toolkit, apex = {} } = options;
  const markup = await readFile(markupPath, "utf8");
  const errors = [];
  const $A = makeA(apex, errors);
  const sandbox = vm.createContext({
    $A,
    console: options.console || console,
    JSON,
    Promise,
    setTimeout,
    clearTimeout,
    Math,
    Date,
  });
  const controller = await loadObject(controllerPath, sandbox);
  const helper = await loadObject(helperPath, sandbox);

  const values = {};
  for (const a of tags(markup, "aura:attribute")) {
    if (!a.name) continue;
    values[a.name] = "default" in a ? a.default : undefined;
  }
  const found = {};
  for (const t of tags(markup, "lightning:omniToolkitAPI")) {
    if (t["aura:id"]) found[t["aura:id"]] = toolkit;
  }
  const cmp = {
    get(key) {
      if (key.startsWith("v.")) return values[key.slice(2)];
      if (key.startsWith("c.")) return new ServerAction(key.slice(2));
      throw new Error(`cmp.get(${JSON.stringify(key)}): expected "v.attribute" or "c.serverAction"`);
    },
    set(key, value) {
      if (!key.startsWith("v.")) throw new Error(`cmp.set(${JSON.stringify(key)}): expected "v.attribute"`);
      values[key.slice(2)] = value;
    },
    find(id) {
      return found[id];
    },
    isValid: () => true,
    getName: () => markupPath.split("/").pop().replace(/\.cmp$/, ""),
  };

  const run = async (name, event) => {
    const action = controller[name];
    if (typeof action !== "function") throw new Error(`the controller has no action \`${name}\``);
    try {
      return await action.call(controller, cmp, event, helper);
    } catch (e) {
      errors.push(e);
      throw e;
    }
  };

  const unsubscribe = [];
  for (const h of tags(markup, "aura:handler")) {
    const name = actionName(h.action, `aura:handler ${h.event || h.name}`);
    if (h.name === "init" && h.value === "{!this}") {
      await run(name, { getName: () => "init", getParam: () => undefined });
      continue;
    }
    if (!h.event) continue;
    unsubscribe.push(
      toolkit.on(h.event, (event) => {
        run(name, event).catch(() => {});
      }),
    );
  }
  const buttons = tags(markup, "lightning:button");

  return {
    cmp,
    errors,
    /** Clicks the button with this label, as a user would; resolves when its action returns. */
    click(label) {
      const b = buttons.find((x) => x.label === label);
      if (!b) throw new Error(`no lightning:button labelled ${JSON.stringify(label)}; the buttons are ${buttons.map((x) => JSON.stringify(x.label)).join(", ")}`);
      const name = actionName(b.onclick || b.onClick, `lightning:button ${label}`);
      return run(name, { getSource: () => ({ get: (k) => (k === "v.label" ? label : undefined) }) });
    },
    /** Runs a controller action directly. */
    run,
    /** Stops routing events to the component. */
    destroy() {
      for (const u of unsubscribe) u();
    },
  };
}
