import type { Metadata } from "next";
import { headers } from "next/headers";
import { DashboardPage } from "@/components/dashboard/DashboardPage";
import "react-grid-layout/css/styles.css";
import "react-resizable/css/styles.css";
import "uplot/dist/uPlot.min.css";
import "./dashboard.css";

export const metadata: Metadata = { title: "Dashboard · Flowhouse" };
// The server (server.ts) lets only logged-in users reach this page and tells it who they are.
export const dynamic = "force-dynamic";

export default async function Page() {
  const h = await headers();
  const role = h.get("x-flowhouse-role") ?? "viewer";
  const user = h.get("x-flowhouse-user") ?? "unknown";
  return <DashboardPage canEdit={role === "admin" || role === "editor"} user={user} />;
}
