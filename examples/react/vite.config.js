// Vite config of the React example. The widget must not be pre-bundled in dev (see ../README.md).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  optimizeDeps: { exclude: ["trust-center-widget"] },
});
