"use client";
/** A topic text field with suggestions from the topic catalogue (GET /api/topics?q=). */
import { useEffect, useId, useState } from "react";
import { dashApi } from "./api";

export interface TopicInputProps {
  value: string;
  onChange: (v: string) => void;
  id: string;
  testId: string;
  placeholder?: string;
  invalid: boolean;
  describedBy?: string;
}

export function TopicInput({ value, onChange, id, testId, placeholder, invalid, describedBy }: TopicInputProps) {
  const listId = useId();
  const [options, setOptions] = useState<string[]>([]);
  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      dashApi.topics(value, abort.signal).then(
        (r) => setOptions(r.topics.map((t) => t.topic).filter((t) => t !== value).slice(0, 20)),
        () => setOptions([]), // suggestions are a convenience: typing still works without them
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [value]);
  return (
    <>
      <input
        id={id}
        type="text"
        className="fh-dash-input"
        value={value}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
    </>
  );
}
