// Vite config of the plain-page example. The widget must not be pre-bundled in dev (see ../README.md).
import { defineConfig } from "vite";

export default defineConfig({
  optimizeDeps: { exclude: ["trust-center-widget"] },
});
