/**
 * Who may do what. Rotating: configured user ids and/or members of a configured user group
 * (usergroups.users.list, cached briefly). Viewing: any channel, or only the configured ones.
 * Guests (multi- and single-channel, users.info's is_restricted / is_ultra_restricted) see no
 * credential health. When the group or the user cannot be read the answer is no (fail closed).
 */
import type { BotConfig } from "./config.js";

export interface UsergroupMembersApi {
  usergroups: {
    users: {
      list(args: { usergroup: string }): Promise<{ ok?: boolean; users?: string[]; error?: string }>;
    };
  };
}

/** users.info: whether someone is a guest (needs users:read). */
export interface UserInfoApi {
  users: {
    info(args: { user: string }): Promise<{
      ok?: boolean;
      user?: { is_restricted?: boolean; is_ultra_restricted?: boolean };
      error?: string;
    }>;
  };
}

export interface Decision {
  allowed: boolean;
  /** In words, for the refusal message and the audit record. */
  reason: string;
}

export class Authorizer {
  #members: { users: Set<string>; fetchedAt: number } | undefined;
  #inflight: Promise<Set<string>> | undefined;
  readonly #guests = new Map<string, { guest: boolean; at: number }>();

  constructor(
    private readonly rules: BotConfig["authorization"],
    private readonly slack: UsergroupMembersApi & UserInfoApi,
    private readonly cacheMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  canView(channelId: string | undefined): Decision {
    if (this.rules.viewChannelIds.length === 0) return { allowed: true, reason: "every channel may view" };
    if (channelId && this.rules.viewChannelIds.includes(channelId))
      return { allowed: true, reason: "allowed channel" };
    return { allowed: false, reason: "this command is not available in this channel" };
  }

  async canRotate(userId: string): Promise<Decision> {
    if (this.rules.rotateUserIds.includes(userId)) return { allowed: true, reason: "listed rotate user" };
    const group = this.rules.rotateUsergroupId;
    if (!group) return { allowed: false, reason: "not one of the users allowed to rotate credentials" };
    try {
      const members = await this.#groupMembers(group);
      if (members.has(userId)) return { allowed: true, reason: "member of the rotate user group" };
      return { allowed: false, reason: "not a member of the user group allowed to rotate credentials" };
    } catch {
      return {
        allowed: false,
        reason: "the user group allowed to rotate could not be read, so rotation is refused",
      };
    }
  }

  /**
   * A guest of the workspace (multi- or single-channel), from users.info, cached like group
   * membership. When Slack does not answer, the person counts as a guest (fail closed).
   */
  async isGuest(userId: string): Promise<boolean> {
    const cached = this.#guests.get(userId);
    if (cached && this.clock() - cached.at < this.cacheMs) return cached.guest;
    try {
      const answer = await this.slack.users.info({ user: userId });
      if (answer.ok === false || !answer.user) return true;
      const guest = Boolean(answer.user.is_restricted || answer.user.is_ultra_restricted);
      this.#guests.set(userId, { guest, at: this.clock() });
      return guest;
    } catch {
      return true;
    }
  }

  async #groupMembers(group: string): Promise<Set<string>> {
    const cached = this.#members;
    if (cached && this.clock() - cached.fetchedAt < this.cacheMs) return cached.users;
    // Concurrent checks share one request.
    this.#inflight ??= this.slack.usergroups.users
      .list({ usergroup: group })
      .then((response) => {
        if (response.ok === false) throw new Error(`usergroups.users.list: ${response.error ?? "not ok"}`);
        const users = new Set(response.users ?? []);
        this.#members = { users, fetchedAt: this.clock() };
        return users;
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    return this.#inflight;
  }
}
