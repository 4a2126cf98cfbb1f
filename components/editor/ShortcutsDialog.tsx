"use client";
/** The keyboard shortcut list ("?" or the toolbar's ⌨ button). */
import { useEffect, useRef } from "react";
import { SHORTCUT_HELP } from "./model/shortcuts";

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div className="fh-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="fh-modal fh-shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby="fh-shortcuts-title"
        data-testid="shortcuts-dialog"
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <div className="fh-modal-head">
          <h2 id="fh-shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="fh-icon-btn" aria-label="Close" onClick={onClose} data-testid="shortcuts-close">
            ✕
          </button>
        </div>
        <div className="fh-shortcuts-body">
          {SHORTCUT_HELP.map((g) => (
            <section key={g.group}>
              <h3>{g.group}</h3>
              <dl>
                {g.items.map((s) => (
                  <div key={s.keys} className="fh-shortcut-row">
                    <dt>
                      <kbd>{s.keys}</kbd>
                    </dt>
                    <dd>{s.what}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <p className="fh-muted fh-small">On a Mac, use ⌘ where it says Ctrl.</p>
        </div>
      </div>
    </div>
  );
}
