"use client";
/**
 * A node's property form, generated from its definition (see model/form-model.ts). Every
 * change is handed up immediately as a whole new config object.
 */
import { useEffect, useId, useState } from "react";
import type { ConfigNode } from "../../../lib/flow/schema";
import {
  TYPE_LABELS,
  VALUELESS_TYPES,
  coerceInput,
  displayValue,
  isFieldVisible,
  type FormField,
} from "../model/form-model";
import { TopicInput } from "./TopicInput";
import { BrokerPicker } from "./BrokerPicker";

export interface ConfigFormProps {
  fields: readonly FormField[];
  values: Readonly<Record<string, unknown>>;
  onChange: (values: Record<string, unknown>) => void;
  /** Problems keyed by field path relative to `values` ("duration", "rules.0.v"). */
  errors: Readonly<Record<string, readonly string[]>>;
  configNodes: readonly ConfigNode[];
  /** Prefix for nested fields' test ids and error keys ("rules.0."). */
  path?: string;
  readOnly?: boolean;
}

export function ConfigForm({ fields, values, onChange, errors, configNodes, path = "", readOnly }: ConfigFormProps) {
  const set = (key: string, value: unknown) => onChange({ ...values, [key]: value });
  return (
    <div className="fh-form">
      {fields
        .filter((f) => isFieldVisible(f, values))
        .map((field) => (
          <FieldRow
            key={field.key}
            field={field}
            values={values}
            set={set}
            errors={errors}
            configNodes={configNodes}
            path={path}
            readOnly={readOnly}
          />
        ))}
    </div>
  );
}

interface FieldRowProps {
  field: FormField;
  values: Readonly<Record<string, unknown>>;
  set: (key: string, value: unknown) => void;
  errors: Readonly<Record<string, readonly string[]>>;
  configNodes: readonly ConfigNode[];
  path: string;
  readOnly?: boolean;
}

function FieldRow({ field, values, set, errors, configNodes, path, readOnly }: FieldRowProps) {
  const id = useId();
  const testId = `prop-field-${path}${field.key}`;
  const value = values[field.key];
  const fieldErrors = [...(errors[field.key] ?? []), ...(field.typeKey ? (errors[field.typeKey] ?? []) : [])];
  const nestedErrors = (prefix: string) => {
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(errors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = [...v];
    return out;
  };
  const describedBy = fieldErrors.length > 0 ? `${id}-err` : field.description && !path ? `${id}-desc` : undefined;
  const common = {
    id,
    "data-testid": testId,
    "aria-invalid": fieldErrors.length > 0 || undefined,
    "aria-describedby": describedBy,
    disabled: readOnly,
  };

  let control: React.ReactNode;
  switch (field.kind) {
    case "checkbox":
      control = (
        <input {...common} type="checkbox" checked={value === true} onChange={(e) => set(field.key, e.target.checked)} />
      );
      break;
    case "select":
      control = <SelectInput common={common} options={field.options ?? []} value={value} onChange={(v) => set(field.key, v)} />;
      break;
    case "configNode": {
      const type = field.hint.configNodeType ?? "";
      if (type === "mqtt-broker") {
        control = <BrokerPicker common={common} value={value} configNodes={configNodes} onChange={(v) => set(field.key, v)} label={configNodeLabel} />;
        break;
      }
      const candidates = configNodes.filter((c) => c.type === type);
      const emptyLabel = type === "mqtt-broker" ? "default broker" : "none";
      const known = value === "" || value === undefined || candidates.some((c) => c.id === value);
      control = (
        <select {...common} value={typeof value === "string" ? value : ""} onChange={(e) => set(field.key, e.target.value)}>
          <option value="">{emptyLabel}</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {configNodeLabel(c)}
            </option>
          ))}
          {!known && <option value={String(value)}>missing: {String(value)}</option>}
        </select>
      );
      break;
    }
    case "typed": {
      const typeKey = field.typeKey ?? "";
      const current = typeof values[typeKey] === "string" ? (values[typeKey] as string) : String(field.typeOptions?.[0]?.value ?? "str");
      const options = field.typeOptions ?? [];
      const withCurrent = options.some((o) => o.value === current) ? options : [...options, { label: TYPE_LABELS[current] ?? current, value: current }];
      control = (
        <div className="fh-typed">
          <select
            className="fh-typed-type"
            data-testid={`prop-field-${path}${typeKey}`}
            aria-label={`${field.title}: value type`}
            value={current}
            disabled={readOnly}
            onChange={(e) => set(typeKey, e.target.value)}
            onBlur={undefined}
          >
            {withCurrent.map((o) => (
              <option key={String(o.value)} value={String(o.value)}>
                {o.label}
              </option>
            ))}
          </select>
          {VALUELESS_TYPES.has(current) ? null : current === "bool" ? (
            <select {...common} value={String(value) === "true" ? "true" : "false"} onChange={(e) => set(field.key, coerceBool(field, e.target.value, value))}>
              <option value="true">true</option>
              <option value="false">false</option>
            </select>
          ) : (
            <TextInput common={common} field={field} value={value} onChange={(v) => set(field.key, v)} multiline={field.hint.multiline} />
          )}
        </div>
      );
      break;
    }
    case "list":
      control = (
        <ListInput
          field={field}
          value={Array.isArray(value) ? (value as Record<string, unknown>[]) : []}
          onChange={(v) => set(field.key, v)}
          errorsFor={(i) => nestedErrors(`${field.key}.${i}.`)}
          configNodes={configNodes}
          path={`${path}${field.key}.`}
          readOnly={readOnly}
          testId={testId}
        />
      );
      break;
    case "json":
      control = <JsonInput common={common} value={value} onChange={(v) => set(field.key, v)} />;
      break;
    default:
      control = field.hint.topic ? (
        <TopicInput common={common} value={value} onChange={(v) => set(field.key, v)} kind={field.hint.topic} />
      ) : (
        <TextInput common={common} field={field} value={value} onChange={(v) => set(field.key, v)} multiline={field.hint.multiline} />
      );
  }

  const isCheckbox = field.kind === "checkbox";
  return (
    <div className={`fh-field fh-field-${field.kind}${isCheckbox ? " is-inline" : ""}`}>
      {field.kind === "list" ? (
        <div className="fh-field-label" id={`${id}-label`}>
          {field.title}
        </div>
      ) : (
        <label className="fh-field-label" htmlFor={id} title={path ? field.description : undefined}>
          {field.title}
        </label>
      )}
      <div className="fh-field-control">
        {control}
        {field.hint.unit && <span className="fh-unit">{field.hint.unit}</span>}
      </div>
      {field.description && fieldErrors.length === 0 && !path && (
        <div className="fh-field-desc" id={`${id}-desc`}>
          {field.description}
        </div>
      )}
      {fieldErrors.length > 0 && (
        <div className="fh-field-error" id={`${id}-err`} role="alert">
          {fieldErrors.join("; ")}
        </div>
      )}
    </div>
  );
}

function coerceBool(field: FormField, text: string, previous: unknown): unknown {
  if (typeof previous === "boolean" || field.valueKind === "unknown") return text === "true";
  return text;
}

export function configNodeLabel(c: ConfigNode): string {
  if (c.name) return c.name;
  const url = c.config.url ?? c.config.broker;
  return typeof url === "string" && url ? url : `${c.type} ${c.id}`;
}

type CommonProps = {
  id: string;
  "data-testid": string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  disabled?: boolean;
};

function SelectInput({
  common,
  options,
  value,
  onChange,
}: {
  common: CommonProps;
  options: readonly { label: string; value: unknown }[];
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  let index = options.findIndex((o) => o.value === value);
  if (index < 0) index = options.findIndex((o) => String(o.value) === String(value));
  return (
    <select {...common} value={index < 0 ? "custom" : String(index)} onChange={(e) => {
      const i = Number(e.target.value);
      if (Number.isInteger(i) && options[i]) onChange(options[i].value);
    }}>
      {options.map((o, i) => (
        <option key={i} value={String(i)}>
          {o.label}
        </option>
      ))}
      {index < 0 && <option value="custom">{displayValue(value) || "(not set)"}</option>}
    </select>
  );
}

/**
 * A text box that keeps what the user typed while the stored value is a coerced form of it
 * ("1." typed, 1 stored), and follows the stored value when it changes from elsewhere.
 */
function TextInput({
  common,
  field,
  value,
  onChange,
  multiline,
}: {
  common: CommonProps;
  field: FormField;
  value: unknown;
  onChange: (v: unknown) => void;
  multiline?: boolean;
}) {
  const [text, setText] = useState(displayValue(value));
  useEffect(() => {
    setText((t) => (Object.is(coerceInput(field, t, value), value) ? t : displayValue(value)));
  }, [value, field]);
  const handle = (raw: string) => {
    setText(raw);
    onChange(coerceInput(field, raw, value));
  };
  if (multiline) {
    return <textarea {...common} rows={4} value={text} onChange={(e) => handle(e.target.value)} spellCheck={false} />;
  }
  return (
    <input
      {...common}
      type="text"
      inputMode={field.valueKind === "number" ? "decimal" : undefined}
      value={text}
      onChange={(e) => handle(e.target.value)}
      spellCheck={false}
      autoComplete="off"
    />
  );
}

function JsonInput({ common, value, onChange }: { common: CommonProps; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(() => JSON.stringify(value ?? null, null, 2));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((t) => {
      try {
        if (JSON.stringify(JSON.parse(t)) === JSON.stringify(value ?? null)) return t;
      } catch {
        return t;
      }
      return JSON.stringify(value ?? null, null, 2);
    });
  }, [value]);
  return (
    <>
      <textarea
        {...common}
        rows={4}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value));
            setError(null);
          } catch (err) {
            setError(`Not valid JSON: ${(err as Error).message}`);
          }
        }}
      />
      {error && <div className="fh-field-error">{error}</div>}
    </>
  );
}

function ListInput({
  field,
  value,
  onChange,
  errorsFor,
  configNodes,
  path,
  readOnly,
  testId,
}: {
  field: FormField;
  value: readonly Record<string, unknown>[];
  onChange: (v: Record<string, unknown>[]) => void;
  errorsFor: (i: number) => Record<string, string[]>;
  configNodes: readonly ConfigNode[];
  path: string;
  readOnly?: boolean;
  testId: string;
}) {
  const replace = (i: number, row: Record<string, unknown>) => onChange(value.map((r, j) => (j === i ? row : r)));
  const remove = (i: number) => onChange(value.filter((_, j) => j !== i));
  const move = (i: number, delta: number) => {
    const j = i + delta;
    if (j < 0 || j >= value.length) return;
    const next = [...value];
    [next[i], next[j]] = [next[j], next[i]];
    onChange(next);
  };
  const noun = field.title.replace(/s$/i, "").toLowerCase() || "row";
  return (
    <div className="fh-list" data-testid={testId}>
      {value.length === 0 && <div className="fh-list-empty">No {field.title.toLowerCase()} yet.</div>}
      {value.map((row, i) => (
        <div className="fh-list-row" key={i} data-testid={`${testId}-row`}>
          <div className="fh-list-row-head">
            <span className="fh-list-index">{i + 1}</span>
            <span className="fh-list-actions">
              <button type="button" className="fh-icon-btn" disabled={readOnly || i === 0} onClick={() => move(i, -1)} aria-label={`Move ${noun} ${i + 1} up`}>
                ↑
              </button>
              <button type="button" className="fh-icon-btn" disabled={readOnly || i === value.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${noun} ${i + 1} down`}>
                ↓
              </button>
              <button type="button" className="fh-icon-btn is-danger" disabled={readOnly} onClick={() => remove(i)} aria-label={`Remove ${noun} ${i + 1}`}>
                ✕
              </button>
            </span>
          </div>
          <ConfigForm
            fields={field.itemFields ?? []}
            values={row && typeof row === "object" ? row : {}}
            onChange={(r) => replace(i, r)}
            errors={errorsFor(i)}
            configNodes={configNodes}
            path={`${path}${i}.`}
            readOnly={readOnly}
          />
        </div>
      ))}
      <button
        type="button"
        className="fh-btn fh-btn-small"
        disabled={readOnly}
        data-testid={`${testId}-add`}
        onClick={() => onChange([...value, structuredClone(field.newItem ?? {})])}
      >
        + Add {noun}
      </button>
    </div>
  );
}
