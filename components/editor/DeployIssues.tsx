"use client";
/** Why a deploy was refused: one line per problem; clicking one selects its node. */
import type { ValidationIssue } from "../../lib/api/schemas";

export function DeployIssues({
  issues,
  title,
  onSelectNode,
  onClose,
}: {
  issues: readonly ValidationIssue[];
  title: string;
  onSelectNode: (nodeId: string) => void;
  onClose: () => void;
}) {
  return (
    <section className="fh-deploy-issues" data-testid="deploy-issues" role="alert" aria-label="Deploy problems">
      <header>
        <strong>{title}</strong>
        <button type="button" className="fh-icon-btn" onClick={onClose} aria-label="Close the list of problems">
          ✕
        </button>
      </header>
      <ul>
        {issues.map((issue, i) => (
          <li key={i} className={issue.severity === "error" ? "is-error" : "is-warning"}>
            {issue.nodeId ? (
              <button type="button" className="fh-issue-link" onClick={() => onSelectNode(issue.nodeId as string)} data-testid="deploy-issue">
                <span className="fh-issue-sev">{issue.severity}</span> {issue.message}
              </button>
            ) : (
              <span data-testid="deploy-issue">
                <span className="fh-issue-sev">{issue.severity}</span> {issue.message}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
