/**
 * The browser's JSON calls to the Flowhouse API, shared by the editor, monitor and dashboard:
 * a 401 sends the user to /login and back; other errors carry the server's own message
 * (`{error, details}`), or say that the server cannot be reached.
 */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function loginUrl(): string {
  return `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
}

/** The parsed JSON body (undefined when empty), or throws ApiRequestError. */
export async function requestJson(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
  const where = `${method} ${path.split("?")[0]}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiRequestError(`Cannot reach the Flowhouse server (${where}): is it running?`, 0);
  }
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: reported below with the status
  }
  if (res.status === 401) {
    window.location.assign(loginUrl());
    throw new ApiRequestError("Your session ended: log in again", 401);
  }
  if (!res.ok) {
    const err = data as { error?: string; details?: unknown } | undefined;
    const fallback =
      res.status === 403 ? "your role may not do this: log in as an editor or admin" : `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
    throw new ApiRequestError(err?.error ?? `${where} failed: ${fallback}`, res.status, err?.details);
  }
  return data;
}
