// Types of the Aura harness (aura.js).
import type { OmniToolkit } from "./index.js";

export interface ComponentOptions {
  /** Path of the component's markup (.cmp). */
  markup: string;
  /** Path of its …Controller.js (an Aura object literal). */
  controller: string;
  /** Path of its …Helper.js, if it has one. */
  helper?: string;
  /** The console `cmp.find("omniToolkit")` returns (from connect). */
  toolkit: OmniToolkit;
  /** Stand-ins for server actions (`cmp.get("c.name")` + `$A.enqueueAction`), by name. */
  apex?: Record<string, (params: Record<string, unknown>) => unknown>;
  /** Where the component's console.log goes. */
  console?: Pick<Console, "log" | "error" | "warn">;
}

export interface LoadedComponent {
  /** The component as its controller sees it. */
  cmp: { get(key: string): any; set(key: string, value: unknown): void; find(id: string): any };
  /** Exceptions thrown inside its actions and handlers. */
  errors: unknown[];
  /** Clicks the lightning:button with this label. */
  click(label: string): Promise<unknown>;
  /** Runs a controller action. */
  run(action: string, event?: unknown): Promise<unknown>;
  /** Stops routing console events to the component. */
  destroy(): void;
}

export declare function loadComponent(options: ComponentOptions): Promise<LoadedComponent>;
