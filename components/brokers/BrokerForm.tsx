"use client";
/**
 * Add / edit one broker: connection, credentials (write-only), session, TLS (paste or upload
 * PEM files), birth/last-will status. Errors show under their field, checked with the same
 * zod schema as the server; "Test connection" tries the settings once without saving.
 */
import { useId, useState } from "react";
import type { BrokerTestResult } from "../../lib/brokers/schema";
import { brokersApi, issuesOf } from "./api";
import { errorsFromIssues, generateClientId, inputFromForm, validateForm, type BrokerFormState, type FormErrors } from "./model";

export interface BrokerFormProps {
  initial: BrokerFormState;
  /** "Save as broker" of a flow's mqtt-broker node: PUT to its id creates the row. */
  mode: "create" | "edit" | "adopt";
  instanceId: string | null;
  onSaved: (saved: { id: string; name: string }) => void;
  onCancel: () => void;
}

export function BrokerForm({ initial, mode, instanceId, onSaved, onCancel }: BrokerFormProps) {
  const [f, setF] = useState<BrokerFormState>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState<"save" | "test" | null>(null);
  const [test, setTest] = useState<BrokerTestResult | null>(null);

  const set = <K extends keyof BrokerFormState>(key: K, value: BrokerFormState[K]) => {
    const next = { ...f, [key]: value };
    setF(next);
    if (touched) setErrors(validateForm(next));
  };

  const check = (): boolean => {
    setTouched(true);
    const e = validateForm(f);
    setErrors(e);
    return Object.keys(e).length === 0;
  };

  const save = async () => {
    if (!check()) return;
    setBusy("save");
    try {
      const input = inputFromForm(f);
      const view = mode === "create" || f.id === null ? await brokersApi.create(input) : await brokersApi.update(f.id, input);
      onSaved({ id: view.id, name: view.name });
    } catch (err) {
      const issues = issuesOf(err);
      setErrors(issues.length > 0 ? errorsFromIssues(issues) : { form: (err as Error).message });
    } finally {
      setBusy(null);
    }
  };

  const runTest = async () => {
    if (!check()) return;
    setBusy("test");
    setTest(null);
    try {
      setTest(await brokersApi.test({ ...inputFromForm(f), ...(f.id !== null ? { id: f.id } : {}) }));
    } catch (err) {
      setTest({ ok: false, error: (err as Error).message });
    } finally {
      setBusy(null);
    }
  };

  const isTls = /^(mqtts|wss):/i.test(f.url.trim());
  const title = mode === "create" ? "Add broker" : mode === "adopt" ? `Save '${initial.name}' as a broker` : `Edit '${initial.name}'`;

  return (
    <form
      className="fh-brk-form"
      data-testid="broker-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="fh-brk-form-title">{title}</h2>
      {mode === "adopt" && (
        <p className="fh-brk-note">
          This broker comes from the deployed flows (a Node-RED mqtt-broker node). Saving it here keeps its id, so the nodes using it stay as
          they are; its password is stored encrypted.
        </p>
      )}

      <Section title="Connection">
        <Text label="Name" field="name" f={f} set={set} errors={errors} placeholder="Home mosquitto" />
        <Text
          label="URL"
          field="url"
          f={f}
          set={set}
          errors={errors}
          placeholder="mqtt://192.168.1.10:1883"
          hint="mqtt://host:1883 · mqtts://host:8883 (TLS) · ws://host:9001/mqtt · wss://host/mqtt"
        />
        <Row label="Client id" field="clientId" errors={errors} hint="Unique per connection: two clients with one id kick each other off. Empty: generated when saved.">
          {(common) => (
            <div className="fh-brk-inline">
              <input {...common} type="text" value={f.clientId} onChange={(e) => set("clientId", e.target.value)} spellCheck={false} autoComplete="off" />
              <button type="button" className="fh-btn fh-btn-small" data-testid="broker-generate-client-id" onClick={() => set("clientId", generateClientId(instanceId))}>
                Generate
              </button>
            </div>
          )}
        </Row>
        <Text label="Username" field="username" f={f} set={set} errors={errors} autoComplete="off" />
        <Secret
          label="Password"
          field="password"
          f={f}
          set={set}
          errors={errors}
          stored={f.secretsSet.password}
          clear={f.clearPassword}
          onClear={(v) => set("clearPassword", v)}
        />
      </Section>

      <Section title="Session">
        <Text label="Keep alive (s)" field="keepaliveSeconds" f={f} set={set} errors={errors} inputMode="numeric" />
        <Row label="Protocol" field="protocolVersion" errors={errors}>
          {(common) => (
            <select {...common} value={String(f.protocolVersion)} onChange={(e) => set("protocolVersion", e.target.value === "5" ? 5 : 4)}>
              <option value="4">MQTT 3.1.1</option>
              <option value="5">MQTT 5</option>
            </select>
          )}
        </Row>
        <fieldset className="fh-brk-radios" data-testid="broker-session">
          <legend className="fh-field-label">Session</legend>
          <label>
            <input type="radio" name="session" checked={f.cleanSession} onChange={() => set("cleanSession", true)} /> Clean: start fresh on every connect
          </label>
          <label>
            <input type="radio" name="session" checked={!f.cleanSession} onChange={() => set("cleanSession", false)} data-testid="broker-persistent" /> Persistent:
            the broker keeps subscriptions and queues QoS 1/2 messages while Flowhouse is away
          </label>
        </fieldset>
        {!f.cleanSession && f.protocolVersion === 5 && (
          <Text label="Session expiry (s)" field="sessionExpirySeconds" f={f} set={set} errors={errors} inputMode="numeric" hint="How long the broker keeps the session after a disconnect." />
        )}
      </Section>

      <Section title="TLS" open={isTls || f.ca !== "" || f.cert !== "" || f.secretsSet.key}>
        <Pem label="CA certificate" field="ca" f={f} set={set} errors={errors} hint="PEM. Empty: the system's trusted CAs (enough for public brokers)." />
        <Pem label="Client certificate" field="cert" f={f} set={set} errors={errors} hint="For brokers that authenticate clients by certificate (AWS IoT style)." />
        <Pem
          label="Client key"
          field="key"
          f={f}
          set={set}
          errors={errors}
          secret={{ stored: f.secretsSet.key, clear: f.clearKey, onClear: (v) => set("clearKey", v) }}
        />
        <Secret label="Key passphrase" field="passphrase" f={f} set={set} errors={errors} stored={f.secretsSet.passphrase} />
        <div className="fh-field is-inline">
          <label className="fh-field-label" htmlFor="brk-verify">
            Verify the broker&apos;s certificate
          </label>
          <div className="fh-field-control">
            <input id="brk-verify" type="checkbox" data-testid="broker-field-verify" checked={f.verify} onChange={(e) => set("verify", e.target.checked)} />
          </div>
          {!f.verify && (
            <div className="fh-brk-warning" role="alert" data-testid="broker-verify-warning">
              Verification off: anyone between Flowhouse and the broker can pose as the broker and read every message and password. Paste the
              broker&apos;s CA certificate instead.
            </div>
          )}
        </div>
        <Text label="Server name (SNI)" field="servername" f={f} set={set} errors={errors} hint="Only when the certificate's host name differs from the URL's." />
      </Section>

      <Section title="Status (birth and last will)">
        <div className="fh-field is-inline">
          <label className="fh-field-label" htmlFor="brk-status">
            Publish online/offline (retained) so other systems see when Flowhouse is down
          </label>
          <div className="fh-field-control">
            <input id="brk-status" type="checkbox" data-testid="broker-field-statusEnabled" checked={f.statusEnabled} onChange={(e) => set("statusEnabled", e.target.checked)} />
          </div>
        </div>
        {f.statusEnabled && (
          <>
            <Text
              label="Topic"
              field="statusTopic"
              f={f}
              set={set}
              errors={errors}
              placeholder={instanceId ? `flowhouse/${instanceId}/status` : "flowhouse/<instance>/status"}
            />
            <div className="fh-brk-pair">
              <Text label="Online payload" field="statusOnline" f={f} set={set} errors={errors} />
              <Text label="Offline payload (last will)" field="statusOffline" f={f} set={set} errors={errors} />
            </div>
          </>
        )}
      </Section>

      {errors.form && (
        <div className="fh-field-error" role="alert" data-testid="broker-form-error">
          {errors.form}
        </div>
      )}
      {test && (
        <div className={`fh-brk-test ${test.ok ? "is-ok" : "is-bad"}`} role="status" data-testid="broker-test-result">
          {test.ok ? `Connected in ${test.ms} ms` : `Failed: ${test.error}`}
        </div>
      )}
      <div className="fh-brk-form-buttons">
        <button type="button" className="fh-btn" onClick={() => void runTest()} disabled={busy !== null} data-testid="broker-test">
          {busy === "test" ? "Testing…" : "Test connection"}
        </button>
        <span className="fh-brk-grow" />
        <button type="button" className="fh-btn" onClick={onCancel} disabled={busy === "save"} data-testid="broker-cancel">
          Cancel
        </button>
        <button type="submit" className="fh-btn is-primary" disabled={busy !== null} data-testid="broker-save">
          {busy === "save" ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

function Section({ title, open = true, children }: { title: string; open?: boolean; children: React.ReactNode }) {
  return (
    <details className="fh-brk-section" open={open}>
      <summary>{title}</summary>
      <div className="fh-brk-section-body">{children}</div>
    </details>
  );
}

type Common = { id: string; "data-testid": string; "aria-invalid"?: boolean; "aria-describedby"?: string };

function Row({
  label,
  field,
  errors,
  hint,
  children,
}: {
  label: string;
  field: keyof BrokerFormState;
  errors: FormErrors;
  hint?: string;
  children: (common: Common) => React.ReactNode;
}) {
  const id = useId();
  const error = errors[field];
  const common: Common = {
    id,
    "data-testid": `broker-field-${field}`,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-err` : hint ? `${id}-hint` : undefined,
  };
  return (
    <div className="fh-field">
      <label className="fh-field-label" htmlFor={id}>
        {label}
      </label>
      <div className="fh-field-control">{children(common)}</div>
      {error ? (
        <div className="fh-field-error" id={`${id}-err`} role="alert" data-testid={`broker-error-${field}`}>
          {error}
        </div>
      ) : (
        hint && (
          <div className="fh-field-desc" id={`${id}-hint`}>
            {hint}
          </div>
        )
      )}
    </div>
  );
}

type FieldProps = {
  label: string;
  field: keyof BrokerFormState;
  f: BrokerFormState;
  set: <K extends keyof BrokerFormState>(key: K, value: BrokerFormState[K]) => void;
  errors: FormErrors;
  hint?: string;
};

function Text({ label, field, f, set, errors, hint, placeholder, inputMode, autoComplete }: FieldProps & { placeholder?: string; inputMode?: "numeric"; autoComplete?: string }) {
  return (
    <Row label={label} field={field} errors={errors} hint={hint}>
      {(common) => (
        <input
          {...common}
          type="text"
          value={String(f[field] ?? "")}
          placeholder={placeholder}
          inputMode={inputMode}
          spellCheck={false}
          autoComplete={autoComplete ?? "off"}
          onChange={(e) => set(field, e.target.value as never)}
        />
      )}
    </Row>
  );
}

function Secret({
  label,
  field,
  f,
  set,
  errors,
  stored,
  clear,
  onClear,
}: FieldProps & { stored: boolean; clear?: boolean; onClear?: (v: boolean) => void }) {
  return (
    <Row label={label} field={field} errors={errors} hint={stored ? "Stored encrypted; never shown again." : undefined}>
      {(common) => (
        <div className="fh-brk-inline">
          <input
            {...common}
            type="password"
            value={String(f[field] ?? "")}
            placeholder={stored ? (clear ? "will be removed" : "set — leave empty to keep") : "not set"}
            disabled={clear}
            autoComplete="new-password"
            onChange={(e) => set(field, e.target.value as never)}
          />
          {stored && onClear && (
            <label className="fh-brk-clear">
              <input type="checkbox" checked={clear ?? false} onChange={(e) => onClear(e.target.checked)} data-testid={`broker-clear-${field}`} /> remove
            </label>
          )}
        </div>
      )}
    </Row>
  );
}

function Pem({
  label,
  field,
  f,
  set,
  errors,
  hint,
  secret,
}: FieldProps & { secret?: { stored: boolean; clear: boolean; onClear: (v: boolean) => void } }) {
  const [fileError, setFileError] = useState<string | null>(null);
  const load = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 64 * 1024) {
      setFileError(`${file.name} is ${Math.round(file.size / 1024)} KB: a PEM file is at most 64 KB`);
      return;
    }
    setFileError(null);
    set(field, (await file.text()) as never);
  };
  const placeholder = secret?.stored ? (secret.clear ? "will be removed" : "set — leave empty to keep") : "-----BEGIN ...-----";
  return (
    <Row label={label} field={field} errors={fileError ? { ...errors, [field]: fileError } : errors} hint={secret?.stored ? "Stored encrypted; never shown again." : hint}>
      {(common) => (
        <div className="fh-brk-pem">
          <textarea
            {...common}
            rows={3}
            value={String(f[field] ?? "")}
            placeholder={placeholder}
            disabled={secret?.clear}
            spellCheck={false}
            onChange={(e) => set(field, e.target.value as never)}
          />
          <div className="fh-brk-pem-actions">
            <label className="fh-btn fh-btn-small fh-brk-upload">
              Upload file…
              <input type="file" accept=".pem,.crt,.cer,.key,.txt" data-testid={`broker-upload-${field}`} onChange={(e) => void load(e.target.files?.[0])} />
            </label>
            {secret?.stored && (
              <label className="fh-brk-clear">
                <input type="checkbox" checked={secret.clear} onChange={(e) => secret.onClear(e.target.checked)} data-testid={`broker-clear-${field}`} /> remove
              </label>
            )}
          </div>
        </div>
      )}
    </Row>
  );
}
