import { describe, expect, it } from "vitest";
import { parseCommand } from "../../bot/listeners/commands/table.js";
import { looksLikeSecret, parseTarget } from "../../bot/listeners/commands/words.js";

const ID = "0f8e6d1c-2b3a-4c5d-8e9f-a0b1c2d3e4f5";

describe("parseCommand", () => {
  it("treats empty text and help as help", () => {
    expect(parseCommand("")).toEqual({ kind: "help" });
    expect(parseCommand("  HELP ")).toEqual({ kind: "help" });
  });

  it("parses list with and without a filter", () => {
    expect(parseCommand("list")).toEqual({ kind: "list" });
    expect(parseCommand("list GitHub.com")).toEqual({
      kind: "list",
      filter: { kind: "host", host: "github.com" },
    });
    expect(parseCommand(`list ${ID.toUpperCase()}`)).toEqual({
      kind: "list",
      filter: { kind: "id", id: ID },
    });
  });

  it("accepts hosts sent as Slack links or URLs", () => {
    expect(parseCommand("validate <https://gitlab.example.com|gitlab.example.com>")).toEqual({
      kind: "validate",
      target: { kind: "host", host: "gitlab.example.com" },
    });
    expect(parseCommand("validate https://git.example.com:8443/")).toEqual({
      kind: "validate",
      target: { kind: "host", host: "git.example.com:8443" },
    });
  });

  it("answers a missing argument with the usage of that command", () => {
    expect(parseCommand("validate")).toMatchObject({ kind: "usage", subcommand: "validate" });
    expect(parseCommand("rotate")).toMatchObject({ kind: "usage", subcommand: "rotate" });
    expect(parseCommand("list a b")).toMatchObject({ kind: "usage", subcommand: "list" });
  });

  it("answers an unknown subcommand with the usage of every command", () => {
    const parsed = parseCommand("delete github.com");
    expect(parsed).toMatchObject({ kind: "usage", problem: 'unknown command "delete".' });
    expect(parsed).not.toHaveProperty("subcommand");
  });

  it("refuses a secret typed after rotate, and anything that is not an id or host", () => {
    expect(parseCommand("rotate 0123456789abcdef0123456789abcdef01234567")).toEqual({
      kind: "secret",
      subcommand: "rotate",
    });
    expect(parseCommand("rotate hunter2")).toEqual({ kind: "secret", subcommand: "rotate" });
    expect(parseCommand(`rotate github.com s3cr3t-value`)).toEqual({ kind: "secret", subcommand: "rotate" });
    expect(parseCommand(`rotate ${ID}`)).toEqual({ kind: "rotate", target: { kind: "id", id: ID } });
  });

  it("refuses secret-looking words in other commands too", () => {
    expect(parseCommand("validate ghp_abcdefghijklmnopqrstuvwxyz0123456789")).toMatchObject({
      kind: "secret",
    });
    expect(parseCommand("glpat-abcdefghij1234567890")).toMatchObject({ kind: "secret", subcommand: "" });
  });
});

describe("targets and secrets", () => {
  it("does not take a single random word for a host", () => {
    expect(parseTarget("github")).toBeUndefined();
    expect(parseTarget("localhost")).toEqual({ kind: "host", host: "localhost" });
  });

  it("recognises common secret shapes", () => {
    expect(looksLikeSecret("0123456789abcdef0123456789abcdef01234567")).toBe(true);
    expect(looksLikeSecret("gho_16C7e42F292c6912E7710c838347Ae178B4a")).toBe(true);
    expect(looksLikeSecret("github.com")).toBe(false);
    expect(looksLikeSecret(ID)).toBe(false);
  });
});
