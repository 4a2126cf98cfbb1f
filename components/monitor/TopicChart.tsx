"use client";
/**
 * The selected topic's chart (uPlot on a canvas): stored history from GET /api/history for
 * the chosen range, joined with the values seen live (model/series.ts). The container carries
 * data-points (how many points are drawn) for tests and tools.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import type { HistoryResponse, MonitorMessage } from "../../lib/monitor/events";
import { monitorApi } from "./api";
import { combineSeries, livePoints, toUplot } from "./model/series";

export const RANGES = [
  { key: "15m", label: "15 min", ms: 15 * 60_000 },
  { key: "1h", label: "1 h", ms: 3_600_000 },
  { key: "24h", label: "24 h", ms: 86_400_000 },
  { key: "7d", label: "7 days", ms: 7 * 86_400_000 },
] as const;
export type RangeKey = (typeof RANGES)[number]["key"];

export interface TopicChartProps {
  broker: string;
  topic: string;
  path: string;
  rangeKey: RangeKey;
  messages: readonly MonitorMessage[];
  unit: string;
}

export function TopicChart({ broker, topic, path, rangeKey, messages, unit }: TopicChartProps) {
  const boxRef = useRef<HTMLDivElement | null>(null);
  const plotRef = useRef<uPlot | null>(null);
  const [history, setHistory] = useState<HistoryResponse | null>(null);
  const [historyNote, setHistoryNote] = useState<string | null>(null);
  const range = RANGES.find((r) => r.key === rangeKey) ?? RANGES[1];
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const abort = new AbortController();
    setHistory(null);
    setHistoryNote(null);
    const to = Date.now();
    monitorApi.history({ broker, topic, path, fromMs: to - range.ms, toMs: to }, abort.signal).then(
      (h) => setHistory(h),
      (e: unknown) => {
        if (!abort.signal.aborted) setHistoryNote(`Stored history unavailable (${e instanceof Error ? e.message : String(e)}): showing live values only`);
      },
    );
    return () => abort.abort();
  }, [broker, topic, path, range.ms]);

  const live = useMemo(() => livePoints(messages, path), [messages, path]);
  // The window slides with new data; `now` is refreshed with each change.
  useEffect(() => setNow(Date.now()), [live, history]);
  const points = useMemo(() => combineSeries(history, live, now - range.ms), [history, live, now, range.ms]);
  const pointsRef = useRef(points);

  // Create the plot once per topic/path; data updates go through setData.
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    let disposed = false;
    let ro: ResizeObserver | null = null;
    void (async () => {
      const { default: UPlot } = await import("uplot");
      if (disposed) return;
      const size = () => ({ width: Math.max(200, box.clientWidth), height: Math.max(120, box.clientHeight) });
      const grid = { stroke: "#e6e8eb", width: 1 };
      const plot = new UPlot(
        {
          ...size(),
          legend: { show: false },
          cursor: { drag: { x: true, y: false } },
          scales: { x: { time: true } },
          axes: [
            { grid, stroke: "#636c76", size: 30 },
            { grid, stroke: "#636c76", size: 50 },
          ],
          series: [{}, { label: path ? `${topic} ${path}` : topic, stroke: "#2f6fd6", width: 2, fill: "rgba(47,111,214,0.08)", points: { show: true, size: 4 } }],
        },
        toUplot(pointsRef.current),
        box,
      );
      plotRef.current = plot;
      ro = new ResizeObserver(() => plot.setSize(size()));
      ro.observe(box);
    })();
    return () => {
      disposed = true;
      ro?.disconnect();
      plotRef.current?.destroy();
      plotRef.current = null;
    };
  }, [topic, path]);

  useEffect(() => {
    pointsRef.current = points;
    plotRef.current?.setData(toUplot(points));
  }, [points]);

  const last = points[points.length - 1];
  return (
    <div className="fh-mon-chart-wrap">
      <div className="fh-mon-chart-box" ref={boxRef} data-testid="topic-chart" data-points={points.length} />
      <div className="fh-mon-chart-foot">
        {points.length === 0 ? (
          <span className="fh-muted">No numeric values{path ? ` at ${path}` : ""} in the last {range.label} yet.</span>
        ) : (
          <span className="fh-muted">
            {points.length.toLocaleString()} points · last {last ? `${Number(last.v.toPrecision(8))}${unit ? ` ${unit}` : ""}` : ""}
            {history ? ` · stored in ${history.bucketSeconds}s buckets` : ""}
          </span>
        )}
        {historyNote ? <span className="fh-mon-warn">{historyNote}</span> : null}
      </div>
    </div>
  );
}
