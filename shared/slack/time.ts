/** Dates in words for messages: "2025-07-01 (in 12 days)", "2025-06-01 (expired 3 days ago)". */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function relativeTime(target: Date, now: Date): string {
  const delta = target.getTime() - now.getTime();
  const magnitude = Math.abs(delta);
  let amount: string;
  if (magnitude >= 2 * DAY) amount = `${Math.floor(magnitude / DAY)} days`;
  else if (magnitude >= 2 * HOUR) amount = `${Math.floor(magnitude / HOUR)} hours`;
  else amount = `${Math.max(1, Math.floor(magnitude / 60_000))} minutes`;
  return delta >= 0 ? `in ${amount}` : `expired ${amount} ago`;
}

export function expiryInWords(iso: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} (${relativeTime(date, now)})`;
}
