import type { Metadata } from "next";
import { headers } from "next/headers";
import { BrokersPage } from "@/components/brokers/BrokersPage";
import "@/components/brokers/brokers.css";

export const metadata: Metadata = { title: "Brokers · Flowhouse" };
// The server (server.ts) lets only logged-in users reach this page and tells it who they are.
export const dynamic = "force-dynamic";

export default async function Page() {
  const h = await headers();
  const role = h.get("x-flowhouse-role") ?? "viewer";
  const user = h.get("x-flowhouse-user") ?? "unknown";
  return <BrokersPage canAdmin={role === "admin"} user={user} />;
}
