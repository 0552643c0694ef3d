/**
 * How the CLI writes to this terminal: colour (NO_COLOR / FORCE_COLOR / a TTY), Unicode glyphs or
 * their ASCII fallbacks (TERM=dumb or a non-UTF-8 locale), and whether progress may redraw a line.
 */
import { styleText } from "node:util";

export interface Terminal {
  colour: boolean;
  unicode: boolean;
  /** Standard output is a terminal: progress can redraw its status line. */
  tty: boolean;
  paint(format: Parameters<typeof styleText>[0], text: string): string;
  glyph(name: keyof typeof GLYPHS): string;
}

const GLYPHS = {
  ok: ["✓", "+"],
  fail: ["✗", "x"],
  warn: ["⚠", "!"],
  arrow: ["→", "->"],
} as const;

export function detectTerminal(env: Record<string, string | undefined>, tty: boolean): Terminal {
  const force = env.FORCE_COLOR;
  const colour =
    force !== undefined && force !== ""
      ? force !== "0" && force !== "false"
      : env.NO_COLOR !== undefined && env.NO_COLOR !== ""
        ? false
        : tty && env.TERM !== "dumb";
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  const unicode = env.TERM !== "dumb" && (locale === undefined || locale === "" || /utf-?8/i.test(locale));
  return {
    colour,
    unicode,
    tty,
    paint: (format, text) => (colour ? styleText(format, text, { validateStream: false }) : text),
    glyph: (name) => GLYPHS[name][unicode ? 0 : 1],
  };
}
