"use client";
/**
 * Line chart: the stored history of the last `hours` (GET /api/history) drawn with uPlot on
 * a canvas, live values appended as they arrive; bounded in points and time.
 */
import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
import type { Widget } from "../../../lib/dashboard/schema";
import { dashApi } from "../api";
import { useDashboard } from "../context";
import { toNumber, formatValue } from "../model/format";
import { bindingKey } from "../model/live-values";
import { appendPoint, DEFAULT_MAX_POINTS, mergeHistory, toUplotData, type Point } from "../model/series";

type Props = { widget: Extract<Widget, { type: "chart" }> };

export function ChartWidget({ widget }: Props) {
  const { store } = useDashboard();
  const boxRef = useRef<HTMLDivElement | null>(null);
  const [note, setNote] = useState<string | null>("Loading history…");
  const [last, setLast] = useState<Point | null>(null);
  const { topic, path, broker, hours, unit } = widget;

  useEffect(() => {
    const box = boxRef.current;
    if (!box || !topic) return;
    const windowMs = hours * 3_600_000;
    const limits = { windowMs, maxPoints: DEFAULT_MAX_POINTS };
    const abort = new AbortController();
    let points: Point[] = [];
    let plot: uPlot | null = null;
    let frame = 0;
    let disposed = false;

    const redraw = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        plot?.setData(toUplotData(points));
      });
    };
    const key = bindingKey({ broker, topic, path });
    const addLive = (value: unknown, at: number) => {
      const v = toNumber(value);
      if (v === null) return;
      points = appendPoint(points, { t: at, v }, Date.now(), limits);
      setLast(points[points.length - 1] ?? null);
      if (points.length > 0) setNote(null);
      redraw();
    };
    const current = store.get(key);
    if (current) addLive(current.value, current.at);
    const unsubscribe = store.subscribe(key, (lv) => addLive(lv.value, lv.at));

    const size = () => ({ width: Math.max(120, box.clientWidth), height: Math.max(80, box.clientHeight) });
    void (async () => {
      const { default: UPlot } = await import("uplot");
      if (disposed) return;
      const css = getComputedStyle(box);
      const accent = css.getPropertyValue("--accent").trim() || "#2f6fd6";
      const grid = { stroke: "#e6e8eb", width: 1 };
      plot = new UPlot(
        {
          ...size(),
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          // The whole window ("last 24 h"), not just the span of the data so far.
          scales: { x: { time: true, range: () => [(Date.now() - windowMs) / 1000, Date.now() / 1000] } },
          axes: [
            { grid, stroke: "#636c76", size: 28 },
            { grid, stroke: "#636c76", size: 44, values: (_u, vals) => vals.map((v) => formatValue(v)) },
          ],
          series: [{}, { label: topic, stroke: accent, width: 2, fill: "rgba(47,111,214,0.08)", points: { show: false } }],
        },
        toUplotData(points),
        box,
      );
      try {
        const now = Date.now();
        const history = await dashApi.history({ topic, path, broker, fromMs: now - windowMs, toMs: now }, abort.signal);
        if (disposed) return;
        points = mergeHistory(history, points, Date.now(), limits);
        setNote(points.length ? null : `No values of ${topic}${path ? ` at ${path}` : ""} in the last ${hours} h yet`);
        if (points.length) setLast(points[points.length - 1]);
        redraw();
      } catch (e) {
        if (disposed) return;
        setNote(points.length ? null : `History unavailable: ${e instanceof Error ? e.message : String(e)}`);
      }
    })();

    const ro = new ResizeObserver(() => plot?.setSize(size()));
    ro.observe(box);
    // The window moves on even when the topic is quiet.
    const slide = setInterval(redraw, 30_000);
    return () => {
      clearInterval(slide);
      disposed = true;
      abort.abort();
      unsubscribe();
      ro.disconnect();
      if (frame) cancelAnimationFrame(frame);
      plot?.destroy();
    };
  }, [store, topic, path, broker, hours]);

  return (
    <div className="fh-dash-chart">
      <div className="fh-dash-chart-head">
        <span className="fh-dash-chart-last" data-testid={`widget-value-${widget.id}`}>
          {last ? formatValue(Number(last.v.toFixed(2))) : "–"}
          {unit && last ? <span className="fh-dash-unit">{unit}</span> : null}
        </span>
        <span className="fh-dash-meta">last {hours} h</span>
      </div>
      <div className="fh-dash-chart-plot" ref={boxRef}>
        {note ? <div className="fh-dash-chart-note">{note}</div> : null}
      </div>
    </div>
  );
}
