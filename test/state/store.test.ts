/**
 * Every store test runs against both implementations: SQLite (node:sqlite, a file in a temp dir)
 * and PostgreSQL (a real server started for this file).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDb } from "../../bot/state/db.js";
import { loadMigrations, migrate, migrationsDir } from "../../bot/state/migrations.js";
import { type DatabaseTarget, openStore } from "../../bot/state/open.js";
import { openPostgresDb } from "../../bot/state/postgres-db.js";
import { openSqliteDb } from "../../bot/state/sqlite-db.js";
import type { BotStore } from "../../bot/state/store.js";
import { type PostgresServer, startPostgres } from "./postgres-server.js";

let server: PostgresServer | undefined;
const tempDir = mkdtempSync(join(tmpdir(), "bot-store-"));
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(tempDir, { recursive: true, force: true });
});

interface Flavour {
  name: "sqlite" | "postgres";
  /** A fresh, empty database. */
  fresh(): Promise<DatabaseTarget>;
  rawDb(target: DatabaseTarget): SqlDb;
}

const flavours: Flavour[] = [
  {
    name: "sqlite",
    fresh: async () => ({ kind: "sqlite", path: join(tempDir, `db${++databases}.sqlite`) }),
    rawDb: (target) => openSqliteDb(target.kind === "sqlite" ? target.path : ""),
  },
  {
    name: "postgres",
    fresh: async () => ({ kind: "postgres", url: await (server as PostgresServer).createDatabase() }),
    rawDb: (target) => openPostgresDb(target.kind === "postgres" ? target.url : ""),
  },
];

const INTEGRATION = "0b8a47b2-7d0e-4c56-9a39-9f1f0d1c2e01";
const T0 = Date.UTC(2026, 10, 24, 14, 2);

describe.each(flavours)("store on $name", (flavour) => {
  async function fresh(): Promise<{ store: BotStore; target: DatabaseTarget; close(): Promise<void> }> {
    const target = await flavour.fresh();
    const { store } = await openStore(target);
    return { store, target, close: () => store.close() };
  }

  it("migrates once: a second start applies nothing, two at once do not race", async () => {
    const target = await flavour.fresh();
    const migrations = loadMigrations(migrationsDir(flavour.name));
    const [a, b, c] = [flavour.rawDb(target), flavour.rawDb(target), flavour.rawDb(target)];
    try {
      const reports = await Promise.all([
        migrate(a, migrations),
        migrate(b, migrations),
        migrate(c, migrations),
      ]);
      const applied = reports.map((report) => report.applied);
      expect(applied.filter((list) => list.length > 0)).toEqual([migrations.map((m) => m.version)]);
      expect(reports.every((report) => report.version === migrations.length)).toBe(true);
      const again = await migrate(a, migrations);
      expect(again.applied).toEqual([]);
      const rows = await a.all<{ version: unknown }>("SELECT version FROM schema_migrations");
      expect(rows.map((row) => Number(row.version))).toEqual(migrations.map((m) => m.version));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it("refuses a database whose schema is newer than the bot (forward-only)", async () => {
    const target = await flavour.fresh();
    const db = flavour.rawDb(target);
    const migrations = loadMigrations(migrationsDir(flavour.name));
    try {
      await migrate(db, migrations);
      await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
        99,
        "future",
        1,
      ]);
      await expect(migrate(db, migrations)).rejects.toThrow(/version 99, newer than this bot knows/);
    } finally {
      await db.close();
    }
  });

  it("journals a rotation: phases, one outcome, abandoned only once its lease expired", async () => {
    const { store, close } = await fresh();
    try {
      const key = `rotation:${INTEGRATION}`;
      const lease = await store.acquireLease({
        key,
        owner: "p1",
        holder: "U1",
        journalId: "j1",
        ttlMs: 1000,
        now: T0,
      });
      expect(lease.acquired).toBe(true);
      await store.beginRotation({
        id: "j1",
        integrationId: INTEGRATION,
        host: "github.com",
        actor: "U1",
        source: "slack",
        owner: "p1",
        viewId: "V1",
        startedAt: T0,
      });
      await store.setRotationPhase("j1", "updating", T0 + 10);
      await store.setRotationPhase("j1", "updated", T0 + 20);
      expect(await store.getRotation("j1")).toMatchObject({
        phase: "updated",
        viewId: "V1",
        host: "github.com",
      });
      expect(await store.abandonedRotations(T0 + 500)).toEqual([]);
      const abandoned = await store.abandonedRotations(T0 + 1001);
      expect(abandoned.map((entry) => entry.id)).toEqual(["j1"]);

      expect(await store.finishRotation("j1", { outcome: "rotated", summary: "ok", now: T0 + 30 })).toBe(
        true,
      );
      expect(await store.finishRotation("j1", { outcome: "failed", summary: "late", now: T0 + 40 })).toBe(
        false,
      );
      expect(await store.getRotation("j1")).toMatchObject({ outcome: "rotated", finishedAt: T0 + 30 });
      expect(await store.abandonedRotations(T0 + 5000)).toEqual([]);
      await expect(store.setRotationPhase("j1", "updating", T0 + 50)).rejects.toThrow(/already finished/);
    } finally {
      await close();
    }
  });

  it("leases: one holder at a time; an expired lease is taken over only after its journal entry is resolved", async () => {
    const { store, close } = await fresh();
    try {
      const key = `rotation:${INTEGRATION}`;
      const first = await store.acquireLease({
        key,
        owner: "p1",
        holder: "U0ALICE",
        journalId: "j1",
        ttlMs: 1000,
        now: T0,
      });
      expect(first.acquired).toBe(true);
      await store.beginRotation({
        id: "j1",
        integrationId: INTEGRATION,
        actor: "U0ALICE",
        source: "slack",
        owner: "p1",
        startedAt: T0,
      });

      const second = await store.acquireLease({
        key,
        owner: "p2",
        holder: "U0BOB",
        journalId: "j2",
        ttlMs: 1000,
        now: T0 + 10,
      });
      expect(second).toEqual({
        acquired: false,
        holder: {
          key,
          owner: "p1",
          holder: "U0ALICE",
          journalId: "j1",
          acquiredAt: T0,
          expiresAt: T0 + 1000,
        },
      });
      expect(await store.renewLease(key, "p1", 1000, T0 + 500)).toBe(true);
      expect(await store.renewLease(key, "p2", 1000, T0 + 500)).toBe(false);

      // p1 crashed: the lease expired, but j1 is unfinished, so a new rotation may not start yet.
      const late = await store.acquireLease({
        key,
        owner: "p2",
        holder: "U0BOB",
        journalId: "j2",
        ttlMs: 1000,
        now: T0 + 2000,
      });
      expect(late.acquired).toBe(false);
      // Recovery claims it once, however many replicas try.
      const claims = await Promise.all(
        ["r1", "r2", "r3"].map((owner) =>
          store.claimAbandoned({
            key,
            owner,
            holder: "recovery",
            journalId: "j1",
            ttlMs: 1000,
            now: T0 + 2000,
          }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const recoverer = (await store.getLease(key))?.owner ?? "";
      await store.finishRotation("j1", {
        outcome: "interrupted",
        summary: "resolved",
        now: T0 + 2100,
        resolvedBy: recoverer,
      });
      await store.releaseLease(key, recoverer);
      expect(
        await store.claimAbandoned({
          key,
          owner: "r9",
          holder: "recovery",
          journalId: "j1",
          ttlMs: 1000,
          now: T0 + 2200,
        }),
      ).toBe(false);
      const now = await store.acquireLease({
        key,
        owner: "p2",
        holder: "U0BOB",
        journalId: "j2",
        ttlMs: 1000,
        now: T0 + 2200,
      });
      expect(now).toMatchObject({ acquired: true, lease: { owner: "p2", holder: "U0BOB" } });
    } finally {
      await close();
    }
  });

  it("leases: of many processes racing for a free lease, exactly one gets it", async () => {
    const { store, target, close } = await fresh();
    const others = await Promise.all([0, 1, 2].map(() => openStore(target)));
    try {
      const stores = [store, ...others.map((opened) => opened.store)];
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          (stores[index % stores.length] as BotStore).acquireLease({
            key: "rotation:x",
            owner: `p${index}`,
            holder: `U${index}`,
            ttlMs: 60_000,
            now: T0,
          }),
        ),
      );
      expect(results.filter((result) => result.acquired)).toHaveLength(1);
      const winner = results.find((result) => result.acquired);
      for (const result of results) {
        if (!result.acquired && winner?.acquired) expect(result.holder?.owner).toBe(winner.lease.owner);
      }
    } finally {
      await Promise.all(others.map((opened) => opened.store.close()));
      await close();
    }
  });

  it("shutdown marks unfinished rotations interrupted and lets their leases lapse at once", async () => {
    const { store, close } = await fresh();
    try {
      const key = `rotation:${INTEGRATION}`;
      await store.acquireLease({ key, owner: "p1", holder: "U1", journalId: "j1", ttlMs: 60_000, now: T0 });
      await store.beginRotation({
        id: "j1",
        integrationId: INTEGRATION,
        actor: "U1",
        source: "slack",
        owner: "p1",
        startedAt: T0,
      });
      expect(await store.abandonedRotations(T0 + 1)).toEqual([]);
      await store.markInterrupted(["j1"], "p1", T0 + 5);
      const abandoned = await store.abandonedRotations(T0 + 5);
      expect(abandoned).toMatchObject([{ id: "j1", interruptedAt: T0 + 5 }]);
    } finally {
      await close();
    }
  });

  it("approvals: not by the requester, once per approver, approved at the count, denied by one, expiring, used once", async () => {
    const { store, close } = await fresh();
    try {
      const base = {
        integrationId: INTEGRATION,
        host: "github.com",
        requester: "U0ALICE",
        createdAt: T0,
        expiresAt: T0 + 1800_000,
      };
      await store.createApproval({ ...base, id: "a1", required: 2 });
      expect(
        await store.decideApproval({ id: "a1", approver: "U0ALICE", decision: "approve", now: T0 + 1 }),
      ).toMatchObject({
        ok: false,
        reason: "own-request",
      });
      const one = await store.decideApproval({
        id: "a1",
        approver: "U0BOB",
        decision: "approve",
        now: T0 + 2,
      });
      expect(one).toMatchObject({
        ok: true,
        approval: { status: "pending", votes: [{ approver: "U0BOB" }] },
      });
      expect(
        await store.decideApproval({ id: "a1", approver: "U0BOB", decision: "approve", now: T0 + 3 }),
      ).toMatchObject({
        ok: false,
        reason: "already-voted",
      });
      expect(await store.useApproval("a1", "U0ALICE", T0 + 4)).toBe(false);
      const two = await store.decideApproval({
        id: "a1",
        approver: "U0CAROL",
        decision: "approve",
        now: T0 + 5,
      });
      expect(two).toMatchObject({ ok: true, approval: { status: "approved", decidedAt: T0 + 5 } });
      expect(await store.useApproval("a1", "U0BOB", T0 + 6)).toBe(false);
      expect(await store.useApproval("a1", "U0ALICE", T0 + 6)).toBe(true);
      expect(await store.useApproval("a1", "U0ALICE", T0 + 7)).toBe(false);

      await store.createApproval({ ...base, id: "a2", required: 1 });
      expect(
        await store.decideApproval({ id: "a2", approver: "U0BOB", decision: "deny", now: T0 + 8 }),
      ).toMatchObject({
        ok: true,
        approval: { status: "denied" },
      });
      expect(
        await store.decideApproval({ id: "a2", approver: "U0CAROL", decision: "approve", now: T0 + 9 }),
      ).toMatchObject({
        ok: false,
        reason: "not-pending",
      });

      await store.createApproval({ ...base, id: "a3", required: 1 });
      expect(
        await store.decideApproval({ id: "a3", approver: "U0BOB", decision: "approve", now: T0 + 1800_001 }),
      ).toMatchObject({ ok: false, reason: "expired" });
      expect((await store.getApproval("a3"))?.status).toBe("expired");
      expect(
        await store.decideApproval({ id: "nope", approver: "U0BOB", decision: "approve", now: T0 }),
      ).toEqual({
        ok: false,
        reason: "not-found",
      });
    } finally {
      await close();
    }
  });

  it("records which credential a rotation or approval is about; rows from before migration 002 are OAuth secrets", async () => {
    const target = await flavour.fresh();
    const raw = flavour.rawDb(target);
    await migrate(raw, loadMigrations(migrationsDir(flavour.name)).slice(0, 1));
    await raw.run(
      `INSERT INTO rotation_journal (id, integration_id, actor, source, owner, phase, started_at, updated_at)
       VALUES ('old', '${INTEGRATION}', 'U1', 'slack', 'p0', 'started', ${T0}, ${T0})`,
    );
    await raw.close();
    const { store } = await openStore(target);
    try {
      expect(await store.getRotation("old")).toMatchObject({
        credential: "oauth-secret",
        integrationId: INTEGRATION,
      });
      await store.beginRotation({
        id: "tok",
        credential: "host-token",
        integrationId: "",
        tokenId: "token-1",
        host: "github.com",
        actor: "U1",
        source: "slack",
        owner: "p1",
        startedAt: T0,
      });
      const entry = await store.getRotation("tok");
      expect(entry).toMatchObject({ credential: "host-token", tokenId: "token-1", integrationId: "" });
      await store.createApproval({
        id: "a-tok",
        credential: "host-token",
        integrationId: "",
        tokenId: "token-1",
        subjectId: "sa-1",
        host: "github.com",
        requester: "U1",
        required: 1,
        createdAt: T0,
        expiresAt: T0 + 1000,
      });
      expect(await store.getApproval("a-tok")).toMatchObject({
        credential: "host-token",
        tokenId: "token-1",
        subjectId: "sa-1",
      });
      await store.createApproval({
        id: "a-oauth",
        integrationId: INTEGRATION,
        requester: "U1",
        required: 1,
        createdAt: T0,
        expiresAt: T0 + 1000,
      });
      expect(await store.getApproval("a-oauth")).toMatchObject({ credential: "oauth-secret" });
      expect((await store.getApproval("a-oauth"))?.tokenId).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("approvals keep the reasons and where their messages are; an expired request is claimed by exactly one of two stores", async () => {
    const target = await flavour.fresh();
    const a = (await openStore(target)).store;
    const b = (await openStore(target)).store;
    try {
      const base = { integrationId: INTEGRATION, host: "github.com", requester: "U0ALICE", required: 1 };
      await a.createApproval({
        ...base,
        id: "r1",
        runnerId: "runner-1",
        scmId: "github",
        reason: "leaked in a demo <!channel>",
        createdAt: T0,
        expiresAt: T0 + 1000,
      });
      await a.decideApproval({
        id: "r1",
        approver: "U0BOB",
        decision: "deny",
        now: T0 + 1,
        reason: "not now",
      });
      expect(await b.getApproval("r1")).toMatchObject({
        runnerId: "runner-1",
        scmId: "github",
        reason: "leaked in a demo <!channel>",
        status: "denied",
        votes: [{ approver: "U0BOB", decision: "deny", reason: "not now" }],
      });
      const request = {
        approvalId: "r1",
        kind: "request" as const,
        userId: "",
        channelId: "C0AUDIT",
        ts: "1.1",
      };
      await a.addApprovalMessage(request);
      await a.addApprovalMessage({
        approvalId: "r1",
        kind: "approver",
        userId: "U0BOB",
        channelId: "DBOB",
        ts: "2.1",
      });
      // Posted again (a retry): the newer post replaces the older.
      await b.addApprovalMessage({
        approvalId: "r1",
        kind: "approver",
        userId: "U0BOB",
        channelId: "DBOB",
        ts: "2.2",
      });
      expect(await b.approvalMessages("r1")).toEqual([
        { approvalId: "r1", kind: "approver", userId: "U0BOB", channelId: "DBOB", ts: "2.2" },
        request,
      ]);

      // Ten requests past their expiry (and one not yet): two stores sweeping at once claim each once.
      for (let index = 0; index < 10; index++)
        await a.createApproval({ ...base, id: `e${index}`, createdAt: T0, expiresAt: T0 + 1000 });
      await a.createApproval({ ...base, id: "later", createdAt: T0, expiresAt: T0 + 5000 });
      const [fromA, fromB] = await Promise.all([
        a.expirePendingApprovals(T0 + 2000),
        b.expirePendingApprovals(T0 + 2000),
      ]);
      const claimed = [...fromA, ...fromB].map((approval) => approval.id).sort();
      expect(claimed).toEqual(Array.from({ length: 10 }, (_, index) => `e${index}`));
      expect([...fromA, ...fromB].every((approval) => approval.status === "expired")).toBe(true);
      expect(await a.expirePendingApprovals(T0 + 2000)).toEqual([]);
      expect((await a.getApproval("later"))?.status).toBe("pending");
      // A decided request never expires into a second outcome.
      expect((await a.getApproval("r1"))?.status).toBe("denied");
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("history: newest first, by integration or host, in pages", async () => {
    const { store, close } = await fresh();
    try {
      for (let index = 0; index < 5; index++) {
        await store.recordEvent({
          at: T0 + index,
          action: index % 2 === 0 ? "rotate" : "validate",
          actor: "U1",
          source: "slack",
          outcome: "rotated",
          integrationId: INTEGRATION,
          host: "GitHub.com",
          steps: [{ step: "read", status: "ok", detail: `step ${index}` }],
        });
      }
      await store.recordEvent({
        at: T0 + 9,
        action: "rotate",
        actor: "U2",
        source: "slack",
        outcome: "failed",
        host: "gitlab.com",
      });
      const page1 = await store.history({ host: "github.com", limit: 3 });
      expect(page1.map((event) => event.at)).toEqual([T0 + 4, T0 + 3, T0 + 2]);
      expect(page1[0]?.steps).toEqual([{ step: "read", status: "ok", detail: "step 4" }]);
      const page2 = await store.history({ host: "github.com", limit: 3, beforeId: page1[2]?.id ?? 0 });
      expect(page2.map((event) => event.at)).toEqual([T0 + 1, T0]);
      expect((await store.history({ integrationId: INTEGRATION, limit: 10 })).length).toBe(5);
      expect((await store.history({ limit: 10 }))[0]).toMatchObject({ host: "gitlab.com", actor: "U2" });
    } finally {
      await close();
    }
  });
  it("the App Home's reads: each integration's newest validation, and the pending approvals not yet expired", async () => {
    const { store, close } = await fresh();
    const OTHER = "5f7a1c3e-8b2d-4e6f-9a1b-2c3d4e5f6a70";
    try {
      const event = (at: number, action: string, outcome: string, integrationId: string, actor = "U1") =>
        store.recordEvent({ at, action, actor, source: "slack", outcome, integrationId });
      await event(T0, "validate", "valid", INTEGRATION);
      await event(T0 + 1, "rotate", "unverified", INTEGRATION, "U2");
      // Rows that say nothing about whether the stored secret validates are passed over.
      await event(T0 + 2, "rotate", "failed", INTEGRATION);
      await event(T0 + 3, "approval", "approved", INTEGRATION);
      await event(T0 + 4, "validate", "invalid", OTHER, "U3");
      await event(T0 + 5, "validate", "valid", "not-asked-for");
      const latest = await store.lastValidations([INTEGRATION, OTHER, "never-validated"]);
      expect(latest.map((row) => [row.integrationId, row.action, row.outcome, row.actor]).sort()).toEqual(
        [
          [OTHER, "validate", "invalid", "U3"],
          [INTEGRATION, "rotate", "unverified", "U2"],
        ].sort(),
      );
      // Many ids at once (the Home of a large workspace) in one call.
      const many = Array.from({ length: 1200 }, (_, index) => `id-${index}`);
      expect(await store.lastValidations([...many, OTHER])).toHaveLength(1);

      const request = (id: string, createdAt: number, expiresAt: number) =>
        store.createApproval({
          id,
          integrationId: INTEGRATION,
          requester: "U1",
          reason: "why",
          required: 1,
          createdAt,
          expiresAt,
        });
      await request("later", T0 + 2, T0 + 10_000);
      await request("first", T0 + 1, T0 + 10_000);
      await request("past-expiry", T0, T0 + 5);
      await request("decided", T0 + 3, T0 + 10_000);
      await store.decideApproval({ id: "decided", approver: "U2", decision: "approve", now: T0 + 4 });
      const pending = await store.pendingApprovals(T0 + 100, 10);
      expect(pending.map((approval) => approval.id)).toEqual(["first", "later"]);
      expect(pending[0]).toMatchObject({ requester: "U1", reason: "why", status: "pending", votes: [] });
      expect(await store.pendingApprovals(T0 + 100, 1)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("revoke previews: kept with their ids, used once, only by their requester, only before they expire", async () => {
    const { store, close } = await fresh();
    try {
      const ids = ["6f1c0d8e-1a2b-4c3d-8e9f-000000000001", "6f1c0d8e-1a2b-4c3d-8e9f-000000000002"];
      const preview = {
        id: "5e0b9c7d-0000-4000-8000-000000000001",
        requester: "U1",
        host: "github.com",
        selector: "all users",
        ids,
        createdAt: T0,
        expiresAt: T0 + 1000,
      };
      await store.createRevokePreview(preview);
      await store.createRevokePreview({ ...preview, id: "5e0b9c7d-0000-4000-8000-000000000002" });
      expect(await store.getRevokePreview(preview.id)).toEqual(preview);
      expect(await store.getRevokePreview("5e0b9c7d-0000-4000-8000-00000000ffff")).toBeUndefined();
      expect(await store.useRevokePreview(preview.id, "U2", T0 + 1)).toBe(false);
      expect(await store.useRevokePreview(preview.id, "U1", T0 + 1)).toBe(true);
      expect(await store.useRevokePreview(preview.id, "U1", T0 + 2)).toBe(false);
      expect((await store.getRevokePreview(preview.id))?.usedAt).toBe(T0 + 1);
      expect(await store.useRevokePreview("5e0b9c7d-0000-4000-8000-000000000002", "U1", T0 + 1001)).toBe(
        false,
      );
    } finally {
      await close();
    }
  });
});
