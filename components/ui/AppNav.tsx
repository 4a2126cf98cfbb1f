/**
 * The app's sections (Editor · Monitor · Dashboard · Brokers · Settings) for a top bar. Plain links: each section
 * is its own page. Styles in AppNav.module.css, made for the dark top bar.
 */
import styles from "./AppNav.module.css";
export type AppSection = "editor" | "monitor" | "dashboard" | "brokers" | "settings";

const ITEMS: readonly { key: AppSection; href: string; label: string }[] = [
  { key: "editor", href: "/", label: "Editor" },
  { key: "monitor", href: "/monitor", label: "Monitor" },
  { key: "dashboard", href: "/dashboard", label: "Dashboard" },
  { key: "brokers", href: "/brokers", label: "Brokers" },
  { key: "settings", href: "/settings", label: "Settings" },
];

export function AppNav({ current }: { current: AppSection }) {
  return (
    <nav className={styles.nav} aria-label="Sections">
      {ITEMS.map((i) => (
        <a
          key={i.key}
          href={i.href}
          className={i.key === current ? `${styles.link} ${styles.current}` : styles.link}
          aria-current={i.key === current ? "page" : undefined}
          data-testid={`nav-${i.key}`}
        >
          {i.label}
        </a>
      ))}
    </nav>
  );
}
