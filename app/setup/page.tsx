import type { Metadata } from "next";
import { SetupForm } from "@/components/login/SetupForm";

export const metadata: Metadata = { title: "Set up · Flowhouse" };
// server.ts lets only this machine reach /setup, and only until the first admin exists.
export const dynamic = "force-dynamic";

export default function SetupPage() {
  return <SetupForm />;
}
