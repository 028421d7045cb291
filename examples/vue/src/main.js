// Entry of the Vue example: registers <trust-center> once, then mounts the app.
import "trust-center-widget";
import { createApp } from "vue";

import App from "./App.vue";

createApp(App).mount("#app");
