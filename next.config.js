/** @type {import('next').NextConfig} */
const nextConfig = {
  // Packages the server process loads itself: keep them out of Next's bundles so route
  // handlers and server.ts share one copy (see STACK.md).
  serverExternalPackages: ["aedes", "aedes-persistence-level", "classic-level", "mqtt", "socket.io", "better-sqlite3"],
  devIndicators: false,
  poweredByHeader: false,
  reactStrictMode: true,
};
export default nextConfig;
