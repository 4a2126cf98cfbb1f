"use client";
/**
 * Modal frame shared by the editor's dialogs (deploy preview, history, search, import/export):
 * focus moves in on open and back on close, Escape and a click outside close it, Tab stays
 * inside. The editor's global shortcuts ignore keys while a `.fh-modal-backdrop` exists.
 */
import { useEffect, useRef, type ReactNode } from "react";
import "./editor-dialogs.css";

export interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  /** Extra class on the dialog box (width etc.) */
  className?: string;
  footer?: ReactNode;
  /** Element to focus first (else the first focusable element). */
  initialFocus?: React.RefObject<HTMLElement | null>;
}

const FOCUSABLE = 'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children, testId, className, footer, initialFocus }: DialogProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = initialFocus?.current ?? boxRef.current?.querySelector<HTMLElement>(`.fh-dlg-body ${FOCUSABLE}`) ?? boxRef.current;
    first?.focus();
    return () => previous?.focus?.();
  }, []);
  const titleId = `${testId}-title`;
  return (
    <div className="fh-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={boxRef}
        tabIndex={-1}
        className={`fh-modal fh-dlg ${className ?? ""}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            closeRef.current();
          } else if (e.key === "Tab") {
            const items = [...(boxRef.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
            if (items.length === 0) return;
            const first = items[0];
            const last = items[items.length - 1];
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first.focus();
            }
          }
        }}
      >
        <div className="fh-modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="fh-icon-btn" aria-label="Close" onClick={onClose} data-testid={`${testId}-close`}>
            ✕
          </button>
        </div>
        <div className="fh-dlg-body">{children}</div>
        {footer && <div className="fh-dlg-foot">{footer}</div>}
      </div>
    </div>
  );
}

/** Offers text as a file download in the browser. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text with the async clipboard API; false where the browser refuses. */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
