/**
 * Who may approve a rotation (four-eyes): SLACK_ROTATE_APPROVERS lists user ids and/or user groups.
 * Group membership is read with usergroups.users.list and cached briefly; when a group cannot be
 * read, its members cannot approve (fail closed). Nobody approves their own request (the store
 * enforces that too).
 */
import type { UsergroupMembersApi } from "../authorization.js";

export class Approvers {
  readonly #groups = new Map<string, { users: Set<string>; at: number }>();

  constructor(
    private readonly ids: readonly string[],
    private readonly slack: UsergroupMembersApi,
    private readonly cacheMs = 60_000,
  ) {}

  async canApprove(userId: string, requester: string): Promise<{ allowed: boolean; reason: string }> {
    if (userId === requester) return { allowed: false, reason: "you cannot approve your own request" };
    return this.isApprover(userId);
  }

  /** One of SLACK_ROTATE_APPROVERS (listed, or a member of a listed group), whoever asked. */
  async isApprover(userId: string): Promise<{ allowed: boolean; reason: string }> {
    if (this.ids.includes(userId)) return { allowed: true, reason: "listed approver" };
    for (const group of this.ids.filter((id) => id.startsWith("S"))) {
      try {
        if ((await this.#members(group)).has(userId))
          return { allowed: true, reason: "member of an approver group" };
      } catch {
        // Fail closed for this group; another listed group may still allow.
      }
    }
    return { allowed: false, reason: "you are not one of the approvers of credential rotations" };
  }

  /**
   * Everyone who may decide a request of `requester`, for the approvers' DMs: the listed users and
   * the members of the listed groups, without the requester. A group that cannot be read is left
   * out and named in `unreadGroups` (its members could not vote either).
   */
  async everyone(requester: string): Promise<{ users: string[]; unreadGroups: string[] }> {
    const users = new Set(this.ids.filter((id) => !id.startsWith("S")));
    const unreadGroups: string[] = [];
    for (const group of this.ids.filter((id) => id.startsWith("S"))) {
      try {
        for (const user of await this.#members(group)) users.add(user);
      } catch {
        unreadGroups.push(group);
      }
    }
    users.delete(requester);
    return { users: [...users], unreadGroups };
  }

  async #members(group: string): Promise<Set<string>> {
    const cached = this.#groups.get(group);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.users;
    const response = await this.slack.usergroups.users.list({ usergroup: group });
    if (response.ok === false) throw new Error(`usergroups.users.list: ${response.error ?? "not ok"}`);
    const users = new Set(response.users ?? []);
    this.#groups.set(group, { users, at: Date.now() });
    return users;
  }
}
