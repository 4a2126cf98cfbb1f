/** Adding, renaming and removing dashboards and widgets in the list the page holds. Pure. */
import type { Dashboard, Widget } from "../../../lib/dashboard/schema";

/** An id made of the name ("Living room" → "living-room"), unique among `taken`. */
export function dashboardIdFor(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "dashboard";
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** A name not used yet: "Dashboard", "Dashboard 2", … */
export function freshDashboardName(existing: readonly Dashboard[], base = "Dashboard"): string {
  const names = new Set(existing.map((d) => d.name.toLowerCase()));
  if (!names.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} ${i}`.toLowerCase())) return `${base} ${i}`;
}

export function newWidgetId(widgets: readonly Widget[], type: string, random: () => number = Math.random): string {
  const ids = new Set(widgets.map((w) => w.id));
  for (;;) {
    const id = `${type}-${Math.floor(random() * 0xffffff).toString(16).padStart(6, "0")}`;
    if (!ids.has(id)) return id;
  }
}

export function replaceDashboard(list: readonly Dashboard[], next: Dashboard): Dashboard[] {
  return list.some((d) => d.id === next.id) ? list.map((d) => (d.id === next.id ? next : d)) : [...list, next];
}

export function upsertWidget(d: Dashboard, w: Widget): Dashboard {
  return { ...d, widgets: d.widgets.some((x) => x.id === w.id) ? d.widgets.map((x) => (x.id === w.id ? w : x)) : [...d.widgets, w] };
}

export function removeWidget(d: Dashboard, id: string): Dashboard {
  return { ...d, widgets: d.widgets.filter((w) => w.id !== id) };
}

/** Which dashboard to show after one is deleted: its right neighbour, else the left one. */
export function neighbourAfterDelete(list: readonly Dashboard[], deletedId: string): string | null {
  const i = list.findIndex((d) => d.id === deletedId);
  const rest = list.filter((d) => d.id !== deletedId);
  if (rest.length === 0) return null;
  return rest[Math.min(Math.max(i, 0), rest.length - 1)].id;
}
