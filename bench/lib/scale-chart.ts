/**
 * The scale curve as a hand-written SVG: plan wall time, CPU time and pure-diff CPU against the
 * number of objects, on log-log axes, with a dashed line of slope 1 (linear growth) through the
 * middle point so a quadratic diff would stand out as a steeper line. Pure: points in, SVG out.
 */
export interface ScalePoint {
  objects: number;
  wallMs: number;
  cpuMs: number;
  diffCpuMs?: number;
  peakRssBytes: number;
}

interface Series {
  name: string;
  color: string;
  values: Array<{ objects: number; ms: number }>;
  dashed?: boolean;
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 190, top: 44, bottom: 70 };

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function timeLabel(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

export function renderScaleChart(points: readonly ScalePoint[]): string {
  const usable = points.filter((point) => point.objects > 0 && point.wallMs > 0 && point.cpuMs > 0);
  if (usable.length < 2) throw new Error("the scale chart needs at least two points");
  const anchor = usable[Math.floor(usable.length / 2)] as ScalePoint;
  const series: Series[] = [
    {
      name: "wall time",
      color: "#1f77b4",
      values: usable.map((p) => ({ objects: p.objects, ms: p.wallMs })),
    },
    { name: "CPU time", color: "#d62728", values: usable.map((p) => ({ objects: p.objects, ms: p.cpuMs })) },
  ];
  const diff = usable.filter((p) => (p.diffCpuMs ?? 0) > 0);
  if (diff.length === usable.length) {
    series.push({
      name: "pure diff CPU",
      color: "#2ca02c",
      values: diff.map((p) => ({ objects: p.objects, ms: p.diffCpuMs as number })),
    });
  }
  series.push({
    name: "linear (slope 1)",
    color: "#7f7f7f",
    dashed: true,
    values: usable.map((p) => ({ objects: p.objects, ms: (anchor.cpuMs * p.objects) / anchor.objects })),
  });

  const allMs = series.flatMap((s) => s.values.map((v) => v.ms));
  const xs = usable.map((p) => p.objects);
  const xMin = Math.log10(Math.min(...xs)) - 0.15;
  const xMax = Math.log10(Math.max(...xs)) + 0.15;
  const yMin = Math.floor(Math.log10(Math.min(...allMs)));
  const yMax = Math.ceil(Math.log10(Math.max(...allMs)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (objects: number) => MARGIN.left + ((Math.log10(objects) - xMin) / (xMax - xMin)) * plotWidth;
  const y = (ms: number) =>
    MARGIN.top + plotHeight - ((Math.log10(ms) - yMin) / Math.max(1, yMax - yMin)) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="bold">Plan cost vs number of objects (log-log)</text>`,
  ];
  for (let power = yMin; power <= yMax; power++) {
    const ms = 10 ** power;
    const top = fixed(y(ms));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${top}" x2="${MARGIN.left + plotWidth}" y2="${top}" stroke="#e0e0e0"/>`,
      `<text x="${MARGIN.left - 8}" y="${top}" text-anchor="end" dominant-baseline="middle">${escapeXml(timeLabel(ms))}</text>`,
    );
  }
  for (const point of usable) {
    const left = fixed(x(point.objects));
    const rss = (point.peakRssBytes / 1024 / 1024).toFixed(0);
    parts.push(
      `<line x1="${left}" y1="${MARGIN.top}" x2="${left}" y2="${MARGIN.top + plotHeight}" stroke="#e0e0e0"/>`,
      `<text x="${left}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${point.objects.toLocaleString("en-US")}</text>`,
      `<text x="${left}" y="${MARGIN.top + plotHeight + 34}" text-anchor="middle" fill="#555">peak RSS ${rss} MB</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">objects in the file and on the runners</text>`,
  );
  series.forEach((line, index) => {
    const path = line.values.map((v) => `${fixed(x(v.objects))},${fixed(y(v.ms))}`).join(" ");
    const dash = line.dashed ? ` stroke-dasharray="6 4"` : "";
    parts.push(`<polyline points="${path}" fill="none" stroke="${line.color}" stroke-width="2"${dash}/>`);
    if (!line.dashed) {
      for (const v of line.values) {
        parts.push(
          `<circle cx="${fixed(x(v.objects))}" cy="${fixed(y(v.ms))}" r="3.5" fill="${line.color}"/>`,
        );
      }
    }
    const legendY = MARGIN.top + 12 + index * 20;
    const legendX = MARGIN.left + plotWidth + 16;
    parts.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 24}" y2="${legendY}" stroke="${line.color}" stroke-width="2"${dash}/>`,
      `<text x="${legendX + 30}" y="${legendY}" dominant-baseline="middle">${escapeXml(line.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
