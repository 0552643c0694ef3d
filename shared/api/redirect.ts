/**
 * A 3xx answer is never followed: the bearer token would go along to wherever it points (a moved
 * host, or a hostile one). The call fails with words naming the new address, shown as origin and
 * path only (no credentials, no query), and the setting to change. Pure.
 */
import { scrub } from "../text/scrub.js";
import { GitpodApiError } from "./errors.js";
import { SERVICE } from "./rpcs.js";

/** Code of the error: not a Connect code (the server sent none), like `network`. */
const REDIRECTED = "redirected";

const MAX_SHOWN = 200;

export interface RedirectInput {
  rpc: string;
  status: number;
  /** The Location header as received (possibly absent, relative or garbage). */
  location: string | string[] | undefined;
  /** The URL the request went to. */
  requestUrl: URL;
  /** How the person running this names the base URL setting: `ONA_BASE_URL`, `the api-url input`. */
  baseUrlSetting: string;
  secrets: Iterable<string>;
}

/** An address for people: origin and path, without user info, query or fragment, and not too long. */
function shown(url: URL, secrets: Iterable<string>): string {
  const text = scrub(`${url.origin}${url.pathname}`, secrets);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

export function redirectRefused(input: RedirectInput): GitpodApiError {
  const { rpc, status, requestUrl, baseUrlSetting, secrets } = input;
  const raw = Array.isArray(input.location) ? input.location[0] : input.location;
  const target = raw && URL.canParse(raw, requestUrl.href) ? new URL(raw, requestUrl) : undefined;
  const base = { code: REDIRECTED, rpc, status, retryable: false, outcomeUnknown: false };
  if (!target || (target.protocol !== "http:" && target.protocol !== "https:")) {
    return new GitpodApiError({
      ...base,
      message: `the API at ${requestUrl.origin} answered with a redirect to no usable HTTP address; not followed (the client follows no redirects)`,
      advice: `check ${baseUrlSetting}`,
    });
  }
  const address = shown(target, secrets);
  const suffix = `/${SERVICE}/${rpc}`;
  // The service's own path at the new place gives its base URL; anything else is only an address.
  const newBase = target.pathname.endsWith(suffix)
    ? shown(new URL(target.pathname.slice(0, -suffix.length) || "/", target.origin), secrets).replace(
        /\/$/,
        "",
      )
    : undefined;
  const advice = newBase
    ? `if the API has moved there, set ${baseUrlSetting} to ${newBase}`
    : `set ${baseUrlSetting} to the API's current base URL`;
  const message =
    target.origin === requestUrl.origin
      ? `the API answered with a redirect to ${address} on the same host; not followed (the client follows no redirects)`
      : `the API at ${requestUrl.origin} answered with a redirect to ${address}; not followed, so the API token was not sent there (the client follows no redirects)`;
  return new GitpodApiError({ ...base, message, advice });
}
