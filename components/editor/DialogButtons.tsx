"use client";
/** The top bar's dialog buttons (search, import/export, history): compact icons so the flow tabs keep their room. */
import "./editor-dialogs.css";

function Icon({ d }: { d: string }) {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={d} />
    </svg>
  );
}

const SEARCH = "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14M21 21l-5-5";
const IMPORT_EXPORT = "M7 4v13M3 13l4 4l4-4M17 20V7M13 11l4-4l4 4";
const HISTORY = "M3 12a9 9 0 1 0 3-6.7M3 4v5h5M12 7v5l3 2";

export function DialogButtons({ onSearch, onImportExport, onHistory }: { onSearch: () => void; onImportExport: () => void; onHistory: () => void }) {
  return (
    <span className="fh-dialog-buttons">
      <button type="button" className="fh-btn fh-btn-quiet fh-icon-tool" onClick={onSearch} title="Search all flows (Ctrl+F)" aria-label="Search all flows" data-testid="search-button">
        <Icon d={SEARCH} />
      </button>
      <button type="button" className="fh-btn fh-btn-quiet fh-icon-tool" onClick={onImportExport} title="Import, export and examples" aria-label="Import, export and examples" data-testid="import-export-button">
        <Icon d={IMPORT_EXPORT} />
      </button>
      <button type="button" className="fh-btn fh-btn-quiet fh-icon-tool" onClick={onHistory} title="Deployment history: compare, roll back" aria-label="Deployment history" data-testid="history-button">
        <Icon d={HISTORY} />
      </button>
    </span>
  );
}
