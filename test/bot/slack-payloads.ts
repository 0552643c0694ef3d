/**
 * The bodies Slack POSTs to the bot, built in one place: a slash command, a button click, a modal
 * submission and an Events API event, with the fields Slack sends (team T0TEST, app A0TEST).
 * Callers sign and send them.
 */

const TEAM = { id: "T0TEST", domain: "test" };

export interface SlashCommand {
  command: string;
  text: string;
  user: string;
  channel: string;
  responseUrl: string;
  triggerId: string;
}

/** The form-encoded body of a slash command. */
export function slashCommandBody(fields: SlashCommand): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: fields.channel,
    channel_name: "ops",
    user_id: fields.user,
    user_name: "someone",
    command: fields.command,
    text: fields.text,
    api_app_id: "A0TEST",
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  }).toString();
}

/** The form-encoded body of an interactivity payload (`payload=<json>`). */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload: `user` clicked the button `actionId` (carrying `value`) in `channel`. */
export function buttonClick(fields: {
  user: string;
  channel: string;
  actionId: string;
  value: string;
  responseUrl: string;
  triggerId: string;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    team: TEAM,
    user: { id: fields.user, team_id: TEAM.id },
    api_app_id: "A0TEST",
    token: "legacy-verification-token",
    trigger_id: fields.triggerId,
    container: { type: "message", message_ts: "1.2", channel_id: fields.channel },
    channel: { id: fields.channel, name: "x" },
    response_url: fields.responseUrl,
    actions: [
      { type: "button", action_id: fields.actionId, block_id: "b1", value: fields.value, action_ts: "1.3" },
    ],
  };
}

/** A view_submission payload: `user` submitted the modal `viewId` (last shown as `view`) with `values`. */
export function viewSubmission(fields: {
  view: Record<string, unknown>;
  viewId: string;
  user: string;
  username?: string;
  triggerId: string;
  values: Record<string, Record<string, Record<string, unknown>>>;
}): Record<string, unknown> {
  return {
    type: "view_submission",
    team: TEAM,
    user: { id: fields.user, username: fields.username ?? "someone", team_id: TEAM.id },
    api_app_id: "A0TEST",
    token: "legacy-verification-token",
    trigger_id: fields.triggerId,
    view: {
      ...fields.view,
      id: fields.viewId,
      team_id: TEAM.id,
      app_id: "A0TEST",
      bot_id: "BBOT",
      hash: "1.hash",
      state: { values: fields.values },
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

let events = 0;

/** The JSON body of an Events API request (`event_callback`) carrying `event`. */
export function eventCallbackBody(event: Record<string, unknown>): string {
  const n = ++events;
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: TEAM.id,
    api_app_id: "A0TEST",
    event: { event_ts: `1700000000.${String(n).padStart(6, "0")}`, ...event },
    type: "event_callback",
    event_id: `Ev${String(n).padStart(8, "0")}`,
    event_time: 1_700_000_000 + n,
    authorizations: [{ team_id: TEAM.id, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
  });
}

/** `app_home_opened` for `user` on the Home tab (Slack sends it on every open). */
export function appHomeOpened(user: string, tab: "home" | "messages" = "home"): Record<string, unknown> {
  return { type: "app_home_opened", user, channel: `D${user}`, tab };
}

/** A click on a button in `user`'s App Home (a view of type home; no response_url, no channel). */
export function homeButtonClick(fields: {
  user: string;
  actionId: string;
  value: string;
  triggerId: string;
  view?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    team: TEAM,
    user: { id: fields.user, team_id: TEAM.id },
    api_app_id: "A0TEST",
    token: "legacy-verification-token",
    trigger_id: fields.triggerId,
    container: { type: "view", view_id: `VH${fields.user}` },
    view: {
      id: `VH${fields.user}`,
      type: "home",
      team_id: TEAM.id,
      app_id: "A0TEST",
      blocks: [],
      ...fields.view,
    },
    actions: [
      { type: "button", action_id: fields.actionId, block_id: "b1", value: fields.value, action_ts: "1.3" },
    ],
  };
}

/**
 * `function_executed`: a Workflow Builder step of this app runs (a custom step), with its inputs
 * and the execution's own short-lived token, as Slack sends it in an `event_callback`.
 */
export function functionExecuted(fields: {
  callbackId: string;
  inputs: Record<string, unknown>;
  executionId: string;
  botAccessToken: string;
}): Record<string, unknown> {
  return {
    type: "function_executed",
    function: {
      id: `Fn${fields.callbackId.length}${fields.executionId.slice(-6)}`,
      callback_id: fields.callbackId,
      title: fields.callbackId,
      type: "app",
      input_parameters: [],
      output_parameters: [],
      app_id: "A0TEST",
      date_created: 1_700_000_000,
      date_updated: 1_700_000_000,
      date_deleted: 0,
    },
    inputs: fields.inputs,
    function_execution_id: fields.executionId,
    workflow_execution_id: `Wx${fields.executionId}`,
    bot_access_token: fields.botAccessToken,
  };
}
