// Vite config of the Vue example: <trust-center> is a custom element, not a Vue component, and the
// widget must not be pre-bundled in dev (see ../README.md).
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === "trust-center" } } })],
  optimizeDeps: { exclude: ["trust-center-widget"] },
});
