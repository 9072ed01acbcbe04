import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { formatDay } from "./lib/dates";

// The calendar's palette switches on this attribute; the app's own styles follow the system
// through prefers-color-scheme.
const dark = window.matchMedia("(prefers-color-scheme: dark)");
const applyScheme = () => {
  document.documentElement.dataset.colorScheme = dark.matches ? "dark" : "light";
};
applyScheme();
dark.addEventListener("change", applyScheme);

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

// The UI reads the local clock only to suggest a start date; the Rust core never does.
const now = new Date();
const today = formatDay({ year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() });

export default mount(App, { target, props: { today } });
