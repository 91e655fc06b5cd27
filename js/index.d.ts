// Types of omnisim's lightning:omniToolkitAPI client (index.js).

/** An agent: its number across the scenario, or "group:index". */
export type AgentRef = number | string;

export interface ConnectOptions {
  /** The agent (or agents) to be the console of; the console returned is the first one's. */
  agent: AgentRef | AgentRef[];
  /** Reject misuses (a bare string for {workId}, {statusName} for {statusId}, a misspelt method, unknown argument keys), naming the fix. */
  strict?: boolean;
  /** "strings" (default): rejections are the message, as component code expects; "objects": {code, message}. */
  errors?: "strings" | "objects";
  /** The token of a server started with --token-file. */
  token?: string;
}

/** A rejection with errors: "objects". */
export interface ToolkitError {
  /** ToolkitError variant (NotLoggedIn, InvalidWorkState, …) or a protocol code (StrictMode, NotAttached, …). */
  code: string;
  message: string;
}

/** The older callback style's result: `success` and the method's fields. */
export type CallbackResult<T> = ({ success: true } & (T extends object ? T : {})) | { success: false; error: string | ToolkitError };

type WithCallback<A, T> = A & { callback?: (result: CallbackResult<T>) => void };

export interface AgentWorksResult {
  /** A JSON string of [{workId, workItemId, isEngaged}], as Salesforce returns it. */
  works: string;
}
export interface AgentWorkload {
  configuredCapacity: number;
  currentWorkload: number;
  configuredInterruptibleCapacity: number;
  currentInterruptibleWorkload: number;
}
export interface StatusChannelsResult {
  /** A JSON string of [{channelId, developerName}]. */
  channels: string;
}
export interface PresenceStatus {
  statusName: string;
  statusApiName: string;
  statusId: string;
}
export interface StatusSetResult extends PresenceStatus {
  /** A JSON string of [{channelId, developerName}]. */
  channels: string;
}
export interface ClockReply {
  /** The simulated clock time now, e.g. "08:02:30.000". */
  time: string;
  /** True once the scenario's day is over. */
  ended: boolean;
}

export type OmniEventName =
  | "lightning:omniChannelConnectionError"
  | "lightning:omniChannelLoginSuccess"
  | "lightning:omniChannelStatusChanged"
  | "lightning:omniChannelLogout"
  | "lightning:omniChannelWorkAssigned"
  | "lightning:omniChannelWorkAccepted"
  | "lightning:omniChannelWorkDeclined"
  | "lightning:omniChannelWorkClosed"
  | "lightning:omniChannelWorkFlagUpdated"
  | "lightning:omniChannelWorkloadChanged";

/** A console event as Aura hands it to a handler. */
export declare class ConsoleEvent {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The agent it concerns. */
  readonly agent: number | undefined;
  /** The simulated clock time it happened at. */
  readonly time: string | undefined;
  getParam(name: string): any;
  getParams(): Record<string, unknown>;
  getName(): string;
  getType(): string;
}

/** An agent's console: `cmp.find("omniToolkit")` in a component. */
export interface OmniToolkit {
  readonly agent: number;
  /** The attach reply: agents, statuses, time. */
  readonly info: any;
  acceptAgentWork(args: WithCallback<{ workId: string }, {}>): Promise<true>;
  closeAgentWork(args: WithCallback<{ workId: string }, {}>): Promise<true>;
  declineAgentWork(args: WithCallback<{ workId: string; declineReason?: string }, {}>): Promise<true>;
  getAgentWorks(args?: WithCallback<{}, AgentWorksResult>): Promise<AgentWorksResult>;
  getAgentWorkload(args?: WithCallback<{}, AgentWorkload>): Promise<AgentWorkload>;
  getServicePresenceStatusChannels(args?: WithCallback<{}, StatusChannelsResult>): Promise<StatusChannelsResult>;
  getServicePresenceStatusId(args?: WithCallback<{}, PresenceStatus>): Promise<PresenceStatus>;
  login(args: WithCallback<{ statusId: string }, {}>): Promise<true>;
  logout(args?: WithCallback<{}, {}>): Promise<true>;
  setServicePresenceStatus(args: WithCallback<{ statusId: string }, StatusSetResult>): Promise<StatusSetResult>;
  raiseAgentWorkFlag(args: WithCallback<{ workId: string; message?: string }, {}>): Promise<true>;
  lowerAgentWorkFlag(args: WithCallback<{ workId: string }, {}>): Promise<true>;
  /** Subscribes to a console event of this agent; returns the unsubscribe function. */
  on(event: OmniEventName, handler: (event: ConsoleEvent) => void): () => void;
  off(event: OmniEventName, handler: (event: ConsoleEvent) => void): void;
  /** Stepped clock: runs the centre a duration further ("30s", 90). */
  advance(duration: string | number): Promise<ClockReply>;
  /** Stepped clock: runs the centre to a clock time ("10:00"). */
  advanceTo(time: string): Promise<ClockReply>;
  /** The console of another agent on this connection. */
  console(agent: AgentRef): Promise<OmniToolkit>;
  /** Hands this agent back to its synthetic behaviour. */
  detach(): Promise<{ agents: number[] }>;
  /** Closes the connection; its agents go back to their synthetic behaviour. */
  close(): Promise<void>;
}

export declare const METHODS: Readonly<Record<string, readonly string[]>>;
export declare const EVENTS: readonly OmniEventName[];
export declare function connect(url: string, options: ConnectOptions): Promise<OmniToolkit>;
export declare function closestMethod(name: string): string | null;
export declare function strictProblem(method: string, args: unknown): string | null;
