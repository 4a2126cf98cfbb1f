"use client";
/** The login card. On success the browser goes to `next` (a same-site path) or home. */
import { useState } from "react";

export function LoginForm({ next }: { next: string }) {
  const [username, setUsername] = useState("admin");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(!username.trim() ? "Enter your user name." : "Enter your password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/login", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: username.trim(), password }),
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: string } | null;
      if (res.status === 429) {
        setError(body?.error ?? "Too many login attempts: wait a minute, then try again.");
      } else if (res.status === 401) {
        setError(body?.error ?? "Wrong user name or password.");
      } else {
        setError(body?.error ?? `Login failed (HTTP ${res.status}).`);
      }
    } catch {
      setError("Cannot reach the Flowhouse server: is it running?");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="fh-login-page">
      <form className="fh-login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div className="fh-login-brand">
          <span className="fh-logo" aria-hidden>
            ⌂
          </span>
          <h1 id="login-title">Flowhouse</h1>
        </div>
        <p className="fh-muted">Log in to edit and deploy your flows.</p>
        <label htmlFor="login-username">User name</label>
        <input
          id="login-username"
          data-testid="login-username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          data-testid="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "login-error" : undefined}
          required
        />
        {error && (
          <p className="fh-login-error" id="login-error" data-testid="login-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="fh-btn is-primary fh-login-submit" data-testid="login-submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
