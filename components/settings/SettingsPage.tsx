"use client";
/**
 * Settings: Account (every user: own password, log out) and, for admins, Users, API tokens
 * and the Audit log. Every change goes through the API, which checks the role again.
 */
import { useCallback, useEffect, useState } from "react";
import { AppNav } from "../ui/AppNav";
import { ApiRequestError, requestJson } from "../ui/http";
import type { AuditListResponse, RoleName, TokenCreatedResponse, TokenListResponse, TokenView, UserListResponse, UserView } from "../../lib/api/schemas";

type Tab = "account" | "users" | "tokens" | "audit";
const ROLES: readonly RoleName[] = ["admin", "editor", "viewer"];
const ROLE_HELP: Record<RoleName, string> = {
  admin: "everything, including users, tokens, brokers and the audit log",
  editor: "flows, deploy, dashboards, monitor publish",
  viewer: "monitor and dashboards, read-only",
};
const MIN_PASSWORD = 10;

function message(e: unknown): string {
  return e instanceof ApiRequestError || e instanceof Error ? e.message : String(e);
}

function when(iso: string | null): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function SettingsPage({ user, role }: { user: string; role: RoleName }) {
  const isAdmin = role === "admin";
  const [tab, setTab] = useState<Tab>(isAdmin ? "users" : "account");
  const tabs: { key: Tab; label: string }[] = isAdmin
    ? [
        { key: "users", label: "Users" },
        { key: "tokens", label: "API tokens" },
        { key: "audit", label: "Audit log" },
        { key: "account", label: "Account" },
      ]
    : [{ key: "account", label: "Account" }];

  return (
    <div className="fh-set-app">
      <header className="fh-set-top">
        <div className="fh-set-brand">
          <span className="fh-logo" aria-hidden>
            ⌂
          </span>
          <span>Flowhouse</span>
        </div>
        <AppNav current="settings" />
        <span className="fh-set-who" data-testid="settings-user">
          {user} · {role}
        </span>
      </header>
      <main className="fh-set-main">
        <nav className="fh-set-tabs" role="tablist" aria-label="Settings">
          {tabs.map((t) => (
            <button
              key={t.key}
              type="button"
              role="tab"
              aria-selected={tab === t.key}
              className={tab === t.key ? "fh-set-tab is-current" : "fh-set-tab"}
              data-testid={`settings-tab-${t.key}`}
              onClick={() => setTab(t.key)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <section className="fh-set-panel" role="tabpanel">
          {tab === "account" ? <AccountTab user={user} role={role} /> : null}
          {tab === "users" && isAdmin ? <UsersTab me={user} /> : null}
          {tab === "tokens" && isAdmin ? <TokensTab /> : null}
          {tab === "audit" && isAdmin ? <AuditTab /> : null}
        </section>
      </main>
    </div>
  );
}

function Notice({ error, ok }: { error?: string | null; ok?: string | null }) {
  if (error) {
    return (
      <p className="fh-set-msg is-error" role="alert" data-testid="settings-error">
        {error}
      </p>
    );
  }
  if (ok) {
    return (
      <p className="fh-set-msg is-ok" role="status" data-testid="settings-ok">
        {ok}
      </p>
    );
  }
  return null;
}

// ---------- Account ----------

function AccountTab({ user, role }: { user: string; role: RoleName }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);

  async function change(e: React.FormEvent) {
    e.preventDefault();
    setOk(null);
    if (next.length < MIN_PASSWORD) return setError(`The new password must be at least ${MIN_PASSWORD} characters.`);
    if (next !== confirm) return setError("The two new passwords differ: type the same password twice.");
    setBusy(true);
    setError(null);
    try {
      await requestJson("POST", "/api/account/password", { currentPassword: current, newPassword: next, confirm });
      setCurrent("");
      setNext("");
      setConfirm("");
      setOk("Password changed. Your other sessions were logged out.");
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  }

  async function logout() {
    try {
      await requestJson("POST", "/api/auth/logout");
    } finally {
      window.location.assign("/login");
    }
  }

  return (
    <div className="fh-set-stack">
      <div className="fh-set-card">
        <h2>Account</h2>
        <p>
          Logged in as <strong>{user}</strong> with the <strong>{role}</strong> role: {ROLE_HELP[role]}.
        </p>
        <button type="button" className="fh-btn" data-testid="account-logout" onClick={logout}>
          Log out
        </button>
      </div>
      <form className="fh-set-card fh-set-form" onSubmit={change} noValidate>
        <h2>Change password</h2>
        <label>
          Current password
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="account-current" />
        </label>
        <label>
          New password (at least {MIN_PASSWORD} characters)
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="account-new" />
        </label>
        <label>
          Repeat the new password
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="account-confirm" />
        </label>
        <Notice error={error} ok={ok} />
        <div>
          <button type="submit" className="fh-btn is-primary" disabled={busy || !current || !next} data-testid="account-change">
            {busy ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </div>
  );
}

// ---------- Users ----------

function UsersTab({ me }: { me: string }) {
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<RoleName>("viewer");
  const [busy, setBusy] = useState(false);
  const [resetFor, setResetFor] = useState<UserView | null>(null);
  const [resetPassword, setResetPassword] = useState("");
  const [deleteFor, setDeleteFor] = useState<UserView | null>(null);

  const load = useCallback(async () => {
    try {
      setUsers(((await requestJson("GET", "/api/users")) as UserListResponse).users);
    } catch (err) {
      setError(message(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function act(what: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    setOk(null);
    try {
      await what();
      setOk(done);
      await load();
      return true;
    } catch (err) {
      setError(message(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function create(e: React.FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError("Enter a user name.");
    if (password.length < MIN_PASSWORD) return setError(`The password must be at least ${MIN_PASSWORD} characters.`);
    const username = name.trim();
    if (await act(() => requestJson("POST", "/api/users", { username, password, role }), `User '${username}' created as ${role}.`)) {
      setName("");
      setPassword("");
    }
  }

  return (
    <div className="fh-set-stack">
      <form className="fh-set-card fh-set-form is-row" onSubmit={create} noValidate data-testid="user-create">
        <h2>Add a user</h2>
        <label>
          User name
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" data-testid="user-new-name" />
        </label>
        <label>
          Password (≥ {MIN_PASSWORD} characters)
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" data-testid="user-new-password" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as RoleName)} data-testid="user-new-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="fh-btn is-primary" disabled={busy} data-testid="user-create-submit">
          Add user
        </button>
        <p className="fh-muted fh-small fh-set-help">
          admin: {ROLE_HELP.admin}. editor: {ROLE_HELP.editor}. viewer: {ROLE_HELP.viewer}.
        </p>
      </form>
      <Notice error={error} ok={ok} />
      <div className="fh-set-card">
        <h2>Users</h2>
        {users === null ? (
          <p className="fh-muted">Loading…</p>
        ) : (
          <table className="fh-set-table" data-testid="user-table">
            <thead>
              <tr>
                <th>User</th>
                <th>Role</th>
                <th>Created</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.username}`}>
                  <td>
                    {u.username}
                    {u.username === me ? <span className="fh-muted"> (you)</span> : null}
                  </td>
                  <td>
                    <select
                      value={u.role}
                      aria-label={`Role of ${u.username}`}
                      disabled={busy}
                      data-testid={`user-role-${u.username}`}
                      onChange={(e) => {
                        const r = e.target.value as RoleName;
                        void act(() => requestJson("PATCH", `/api/users/${u.id}`, { role: r }), `${u.username} is now ${r}.`);
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{when(u.createdAt)}</td>
                  <td className="fh-set-actions">
                    <button type="button" className="fh-btn fh-btn-small" onClick={() => (setResetFor(u), setResetPassword(""))} data-testid={`user-reset-${u.username}`}>
                      Reset password
                    </button>
                    <button type="button" className="fh-btn fh-btn-small fh-set-danger" onClick={() => setDeleteFor(u)} data-testid={`user-delete-${u.username}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {resetFor ? (
        <Modal title={`New password for ${resetFor.username}`} onClose={() => setResetFor(null)}>
          <form
            className="fh-set-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (resetPassword.length < MIN_PASSWORD) return setError(`The password must be at least ${MIN_PASSWORD} characters.`);
              const u = resetFor;
              setResetFor(null);
              void act(() => requestJson("PATCH", `/api/users/${u.id}`, { password: resetPassword }), `Password of ${u.username} reset; their sessions were logged out.`);
            }}
          >
            <label>
              New password (≥ {MIN_PASSWORD} characters)
              <input type="password" autoFocus autoComplete="new-password" value={resetPassword} onChange={(e) => setResetPassword(e.target.value)} data-testid="user-reset-password" />
            </label>
            <p className="fh-muted fh-small">Their open sessions end: they log in again with the new password.</p>
            <div className="fh-set-buttons">
              <button type="button" className="fh-btn" onClick={() => setResetFor(null)}>
                Cancel
              </button>
              <button type="submit" className="fh-btn is-primary" data-testid="user-reset-submit">
                Set password
              </button>
            </div>
          </form>
        </Modal>
      ) : null}
      {deleteFor ? (
        <Modal title={`Delete ${deleteFor.username}?`} onClose={() => setDeleteFor(null)}>
          <p>
            {deleteFor.username} ({deleteFor.role}) can no longer log in; their open sessions end now.
          </p>
          <div className="fh-set-buttons">
            <button type="button" className="fh-btn" onClick={() => setDeleteFor(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="fh-btn fh-set-danger-solid"
              data-testid="user-delete-confirm"
              onClick={() => {
                const u = deleteFor;
                setDeleteFor(null);
                void act(() => requestJson("DELETE", `/api/users/${u.id}`), `User ${u.username} deleted.`);
              }}
            >
              Delete user
            </button>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}

function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: React.ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="fh-set-backdrop" onClick={onClose}>
      <div className="fh-set-dialog" role="dialog" aria-modal="true" aria-label={title} onClick={(e) => e.stopPropagation()}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

// ---------- API tokens ----------

function TokensTab() {
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [role, setRole] = useState<RoleName>("viewer");
  const [expires, setExpires] = useState("");
  const [created, setCreated] = useState<TokenCreatedResponse | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setTokens(((await requestJson("GET", "/api/tokens")) as TokenListResponse).tokens);
    } catch (err) {
      setError(message(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError("Give the token a name: what will use it (e.g. 'home-assistant').");
    let expiresAt: string | null = null;
    if (expires) {
      const d = new Date(`${expires}T23:59:59`);
      if (Number.isNaN(d.getTime()) || d.getTime() <= Date.now()) return setError("The expiry date must be in the future (or leave it empty).");
      expiresAt = d.toISOString();
    }
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setCreated((await requestJson("POST", "/api/tokens", { name: name.trim(), role, expiresAt })) as TokenCreatedResponse);
      setName("");
      setExpires("");
      await load();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      setError("The browser did not allow copying: select the token and copy it by hand.");
    }
  }

  async function revoke(t: TokenView) {
    if (!window.confirm(`Revoke '${t.name}' (${t.prefix}…)? Programs using it stop working at once.`)) return;
    setError(null);
    try {
      await requestJson("DELETE", `/api/tokens/${encodeURIComponent(t.id)}`);
      await load();
    } catch (err) {
      setError(message(err));
    }
  }

  return (
    <div className="fh-set-stack">
      <form className="fh-set-card fh-set-form is-row" onSubmit={create} noValidate>
        <h2>Create an API token</h2>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. backup script" data-testid="token-name" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as RoleName)} data-testid="token-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires (optional)
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="token-expires" />
        </label>
        <button type="submit" className="fh-btn is-primary" disabled={busy} data-testid="token-create">
          Create token
        </button>
        <p className="fh-muted fh-small fh-set-help">Use it as the header <code>Authorization: Bearer &lt;token&gt;</code>. Give each program its own token with the least role it needs.</p>
      </form>
      {created ? (
        <div className="fh-set-card fh-set-secret" role="status" data-testid="token-created">
          <h2>Token &lsquo;{created.apiToken.name}&rsquo; created</h2>
          <p>
            <strong>Copy it now: it is shown only this once.</strong> Flowhouse stores only its SHA-256 hash.
          </p>
          <div className="fh-set-secret-row">
            <code data-testid="token-value">{created.token}</code>
            <button type="button" className="fh-btn" onClick={copy} data-testid="token-copy">
              {copied ? "Copied ✓" : "Copy"}
            </button>
            <button type="button" className="fh-btn fh-btn-quiet" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <Notice error={error} />
      <div className="fh-set-card">
        <h2>Tokens</h2>
        {tokens === null ? (
          <p className="fh-muted">Loading…</p>
        ) : tokens.length === 0 ? (
          <p className="fh-muted">No tokens yet. (FLOWHOUSE_API_TOKEN, if set, works as an admin token and is not listed.)</p>
        ) : (
          <table className="fh-set-table" data-testid="token-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Token</th>
                <th>Role</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th>Status</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} className={t.status !== "active" ? "is-inactive" : undefined} data-testid={`token-row-${t.name}`}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.role}</td>
                  <td>
                    {when(t.createdAt)}
                    {t.createdBy ? <span className="fh-muted"> by {t.createdBy}</span> : null}
                  </td>
                  <td>{t.lastUsedAt ? when(t.lastUsedAt) : "never"}</td>
                  <td>{t.expiresAt ? when(t.expiresAt) : "never"}</td>
                  <td>{t.status}</td>
                  <td className="fh-set-actions">
                    {t.status === "revoked" ? null : (
                      <button type="button" className="fh-btn fh-btn-small fh-set-danger" onClick={() => revoke(t)} data-testid={`token-revoke-${t.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

// ---------- Audit log ----------

const PAGE = 50;

function AuditTab() {
  const [action, setAction] = useState("");
  const [pages, setPages] = useState<number[]>([]); // `before` ids of the pages above the current one
  const [before, setBefore] = useState<number | undefined>(undefined);
  const [data, setData] = useState<AuditListResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (before !== undefined) q.set("before", String(before));
    if (action) q.set("action", action);
    let active = true;
    requestJson("GET", `/api/audit?${q}`)
      .then((d) => active && (setData(d as AuditListResponse), setError(null)))
      .catch((err: unknown) => active && setError(message(err)));
    return () => {
      active = false;
    };
  }, [action, before]);

  return (
    <div className="fh-set-stack">
      <div className="fh-set-card">
        <div className="fh-set-audit-bar">
          <h2>Audit log</h2>
          <label className="fh-set-inline">
            Action
            <select
              value={action}
              data-testid="audit-filter"
              onChange={(e) => {
                setAction(e.target.value);
                setPages([]);
                setBefore(undefined);
              }}
            >
              <option value="">all</option>
              {(data?.actions ?? []).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <span className="fh-set-pager">
            <button
              type="button"
              className="fh-btn fh-btn-small"
              disabled={pages.length === 0}
              onClick={() => {
                const p = [...pages];
                const prev = p.pop();
                setPages(p);
                setBefore(prev === -1 ? undefined : prev);
              }}
            >
              ← Newer
            </button>
            <button
              type="button"
              className="fh-btn fh-btn-small"
              disabled={!data?.next}
              data-testid="audit-older"
              onClick={() => {
                if (!data?.next) return;
                setPages([...pages, before ?? -1]);
                setBefore(data.next);
              }}
            >
              Older →
            </button>
          </span>
        </div>
        <Notice error={error} />
        {data === null ? (
          <p className="fh-muted">Loading…</p>
        ) : data.entries.length === 0 ? (
          <p className="fh-muted">Nothing recorded{action ? ` for '${action}'` : ""} yet.</p>
        ) : (
          <table className="fh-set-table fh-set-audit" data-testid="audit-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
                <th>Details</th>
                <th>From</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td className="fh-set-nowrap">{new Date(e.at).toLocaleString()}</td>
                  <td>{e.actor}</td>
                  <td>
                    <span className={`fh-set-action${e.action.endsWith(".failed") || e.action.endsWith(".blocked") ? " is-bad" : ""}`}>{e.action}</span>
                  </td>
                  <td>{e.target}</td>
                  <td className="fh-set-details">
                    {Object.entries(e.details)
                      .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
                      .join(" · ")}
                  </td>
                  <td className="fh-set-nowrap">{e.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
