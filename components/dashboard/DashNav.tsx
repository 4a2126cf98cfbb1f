"use client";
/** The app's sections (Editor · Monitor · Dashboard) for the dashboard page's top bar. */
export function DashNav({ current }: { current: "editor" | "monitor" | "dashboard" }) {
  const items = [
    { key: "editor", href: "/", label: "Editor" },
    { key: "monitor", href: "/monitor", label: "Monitor" },
    { key: "dashboard", href: "/dashboard", label: "Dashboard" },
  ] as const;
  return (
    <nav className="fh-dash-nav" aria-label="Sections">
      {items.map((i) => (
        <a key={i.key} href={i.href} className={i.key === current ? "is-current" : undefined} aria-current={i.key === current ? "page" : undefined}>
          {i.label}
        </a>
      ))}
    </nav>
  );
}
