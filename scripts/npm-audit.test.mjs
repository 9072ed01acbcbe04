// Run by scripts/audit.sh: how the npm audit's JSON is read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { judge } from "./npm-audit.mjs";

const counts = (c) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(
      Object.entries(c.packages ?? {}).map(([name, severity]) => [name, { name, severity }]),
    ),
    metadata: {
      vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...c.levels, total: 0 },
    },
  });

test("no advisory, or only moderate ones, is clean", () => {
  assert.equal(judge(counts({})).verdict, "clean");
  const moderate = judge(counts({ levels: { low: 2, moderate: 1 }, packages: { a: "moderate" } }));
  assert.equal(moderate.verdict, "clean");
  assert.match(moderate.message, /3 below that/);
});

test("a high or critical advisory is a finding that names the package", () => {
  const high = judge(counts({ levels: { high: 1 }, packages: { "left-pad": "high" } }));
  assert.equal(high.verdict, "findings");
  assert.match(high.message, /1 high: left-pad \(high\)/);
  const critical = judge(counts({ levels: { critical: 2, low: 1 }, packages: { a: "critical", b: "low" } }));
  assert.equal(critical.verdict, "findings");
  assert.match(critical.message, /2 critical: a \(critical\)$/);
});

test("an audit service that answers with an HTTP error, or cannot be found, is unreachable", () => {
  const refused = judge(
    JSON.stringify({ message: "405 Method Not Allowed - POST /bulk", statusCode: 405, error: { summary: "" } }),
  );
  assert.equal(refused.verdict, "unreachable");
  assert.match(refused.message, /405 Method Not Allowed/);
  const offline = judge(JSON.stringify({ error: { code: "ENOTFOUND", summary: "getaddrinfo ENOTFOUND" } }));
  assert.equal(offline.verdict, "unreachable");
});

test("a failure of our own is an error, never a pass or a skip", () => {
  const noLock = judge(JSON.stringify({ error: { code: "ENOLOCK", summary: "audit requires a lockfile" } }));
  assert.equal(noLock.verdict, "error");
  assert.match(noLock.message, /ENOLOCK: audit requires a lockfile/);
  assert.equal(judge("").verdict, "error");
  assert.equal(judge("not json").verdict, "error");
  assert.equal(judge("null").verdict, "error");
  assert.equal(judge("{}").verdict, "error");
});
