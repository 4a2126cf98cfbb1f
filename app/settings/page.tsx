import type { Metadata } from "next";
import { headers } from "next/headers";
import { SettingsPage } from "@/components/settings/SettingsPage";
import "./settings.css";

export const metadata: Metadata = { title: "Settings · Flowhouse" };
// server.ts lets only logged-in users reach this page and tells it who they are; the admin
// tabs are shown to admins only (the API checks the role again).
export const dynamic = "force-dynamic";

export default async function Page() {
  const h = await headers();
  const role = h.get("x-flowhouse-role");
  const user = h.get("x-flowhouse-user") ?? "unknown";
  return <SettingsPage user={user} role={role === "admin" || role === "editor" ? role : "viewer"} />;
}
