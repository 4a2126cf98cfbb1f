/** Turns an API error's `details` (zod issues or similar) into lines a person can read. Pure. */
export function describeDetails(details: unknown, max = 8): string[] {
  const lines: string[] = [];
  const push = (path: unknown, message: unknown) => {
    if (typeof message !== "string" || !message) return;
    const p = Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "";
    lines.push(p ? `${p}: ${message}` : message);
  };
  if (Array.isArray(details)) {
    for (const d of details) {
      if (typeof d === "string") lines.push(d);
      else if (d && typeof d === "object") push((d as { path?: unknown; field?: unknown }).path ?? (d as { field?: unknown }).field, (d as { message?: unknown }).message);
    }
  } else if (details && typeof details === "object") {
    const o = details as { issues?: unknown; fieldErrors?: unknown; formErrors?: unknown };
    if (Array.isArray(o.issues)) return describeDetails(o.issues, max);
    if (Array.isArray(o.formErrors)) for (const m of o.formErrors) push("", m);
    if (o.fieldErrors && typeof o.fieldErrors === "object") {
      for (const [k, v] of Object.entries(o.fieldErrors as Record<string, unknown>)) if (Array.isArray(v)) for (const m of v) push(k, m);
    }
  } else if (typeof details === "string" && details) lines.push(details);
  return lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : lines;
}

/** "widgets.2.topic" → "widget 3 (Garage light): topic" when the widget is known. */
export function humanizePath(line: string, widgetTitles: readonly string[]): string {
  return line.replace(/^widgets\.(\d+)\.?/, (_m, i: string) => {
    const n = Number(i);
    const title = widgetTitles[n];
    return `widget ${n + 1}${title ? ` (${title})` : ""}: `;
  }).replace(/: : /, ": ");
}
