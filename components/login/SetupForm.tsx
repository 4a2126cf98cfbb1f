"use client";
/** First start: create the admin account (once, from this machine). Then the editor opens. */
import { useState } from "react";

const MIN = 10;

export function SetupForm() {
  const [username, setUsername] = useState("admin");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const tooShort = password.length > 0 && password.length < MIN;
  const differs = confirm.length > 0 && confirm !== password;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!username.trim()) return setError("Enter a user name for the admin account.");
    if (password.length < MIN) return setError(`The password must be at least ${MIN} characters.`);
    if (password !== confirm) return setError("The two passwords differ: type the same password twice.");
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/setup", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: username.trim(), password, confirm }),
      });
      if (res.ok) {
        window.location.assign("/");
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: string } | null;
      if (res.status === 410) {
        window.location.assign("/login");
        return;
      }
      setError(body?.error ?? `Setup failed (HTTP ${res.status}).`);
    } catch {
      setError("Cannot reach the Flowhouse server: is it running?");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="fh-login-page">
      <form className="fh-login-card" onSubmit={submit} noValidate aria-labelledby="setup-title" data-testid="setup-form">
        <div className="fh-login-brand">
          <span className="fh-logo" aria-hidden>
            ⌂
          </span>
          <h1 id="setup-title">Welcome to Flowhouse</h1>
        </div>
        <p className="fh-muted">
          Create the admin account. Until it exists nothing can be edited. You can add more users (editors, viewers) later in Settings.
        </p>
        <label htmlFor="setup-username">User name</label>
        <input id="setup-username" data-testid="setup-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <label htmlFor="setup-password">Password (at least {MIN} characters)</label>
        <input
          id="setup-password"
          data-testid="setup-password"
          type="password"
          autoComplete="new-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={tooShort || undefined}
          required
        />
        <label htmlFor="setup-confirm">Repeat the password</label>
        <input
          id="setup-confirm"
          data-testid="setup-confirm"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={differs || undefined}
          required
        />
        {error && (
          <p className="fh-login-error" data-testid="setup-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="fh-btn is-primary fh-login-submit" data-testid="setup-submit" disabled={busy}>
          {busy ? "Creating…" : "Create admin account"}
        </button>
      </form>
    </main>
  );
}
