// The npm half of the vulnerability audit: `npm audit --omit=dev` under ui/, read as JSON so
// that "the audit service could not be reached" is told apart from "the audit found something".
// Exit 0: no high or critical advisory. Exit 1: findings at that level, or npm audit failed for
// a reason of ours (no lockfile, unreadable output). Exit 3: the registry's audit service could
// not be reached (the reason is printed); scripts/audit.sh decides whether that fails the run.
// Usage: node scripts/npm-audit.mjs [UI_DIR]
import { spawnSync } from "node:child_process";

const FAILING = ["high", "critical"];
// Errors that say the service is out of reach, not that our tree is wrong.
const NETWORK_CODES = new Set([
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "ETIMEDOUT",
]);

/**
 * Reads the JSON that `npm audit --json` printed.
 * Returns { verdict: "clean" | "findings" | "unreachable" | "error", message }.
 */
export function judge(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch (e) {
    return { verdict: "error", message: `npm audit printed no readable JSON (${e.message})` };
  }
  if (report === null || typeof report !== "object") {
    return { verdict: "error", message: "npm audit printed JSON that is not an object" };
  }
  const counts = report.metadata?.vulnerabilities;
  if (counts && typeof counts === "object") {
    const failing = FAILING.filter((level) => (counts[level] ?? 0) > 0);
    const below = ["info", "low", "moderate"].reduce((sum, level) => sum + (counts[level] ?? 0), 0);
    if (failing.length > 0) {
      const names = Object.entries(report.vulnerabilities ?? {})
        .filter(([, v]) => FAILING.includes(v?.severity))
        .map(([name, v]) => `${name} (${v.severity})`);
      return {
        verdict: "findings",
        message:
          `npm audit: ${failing.map((l) => `${counts[l]} ${l}`).join(", ")}` +
          (names.length > 0 ? `: ${names.join(", ")}` : ""),
      };
    }
    return { verdict: "clean", message: `npm audit ok (no high or critical advisory; ${below} below that)` };
  }
  const code = report.error?.code ?? report.code;
  const status = report.statusCode;
  const message = report.message ?? report.error?.summary ?? "no message";
  if (NETWORK_CODES.has(code) || (typeof status === "number" && status >= 400)) {
    return { verdict: "unreachable", message: `npm's audit service could not be reached: ${message}` };
  }
  return { verdict: "error", message: `npm audit could not run: ${code ? `${code}: ` : ""}${message}` };
}

function main() {
  const dir = process.argv[2] ?? "ui";
  const run = spawnSync("npm", ["audit", "--omit=dev", "--json", "--prefix", dir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) {
    console.error(`npm audit could not be started: ${run.error.message}`);
    process.exit(1);
  }
  const { verdict, message } = judge(run.stdout);
  if (verdict === "clean") {
    console.log(message);
    process.exit(0);
  }
  console.error(message);
  process.exit(verdict === "unreachable" ? 3 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
