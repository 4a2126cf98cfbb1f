import { Editor } from "@/components/editor/Editor";

// The server (server.ts) only lets logged-in users reach this page.
export const dynamic = "force-dynamic";

export default function HomePage() {
  return <Editor />;
}
