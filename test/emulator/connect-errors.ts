/**
 * Connect protocol unary errors: a JSON body {"code","message"} with the HTTP status the Connect
 * specification maps the code to (the same table connect-go uses).
 */
import type { ServerResponse } from "node:http";

const CONNECT_HTTP_STATUS = {
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
  unauthenticated: 401,
} as const;

export type ConnectCode = keyof typeof CONNECT_HTTP_STATUS;

/** An error a handler throws to answer with a Connect error. */
export class ConnectError extends Error {
  readonly code: ConnectCode;
  /** HTTP status; the code's own status unless a protocol rule says otherwise (404/405/415). */
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    code: ConnectCode,
    message: string,
    options?: { status?: number; headers?: Record<string, string> },
  ) {
    super(message);
    this.name = "ConnectError";
    this.code = code;
    this.status = options?.status ?? CONNECT_HTTP_STATUS[code];
    this.headers = options?.headers ?? {};
  }
}

export function invalidArgument(message: string): ConnectError {
  return new ConnectError("invalid_argument", message);
}

export function notFound(message: string): ConnectError {
  return new ConnectError("not_found", message);
}

/** Writes the error and returns the body it sent. */
export function writeConnectError(res: ServerResponse, error: ConnectError): string {
  const body = JSON.stringify({ code: error.code, message: error.message });
  res.writeHead(error.status, {
    ...error.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
  return body;
}
