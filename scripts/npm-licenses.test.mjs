// Run by scripts/audit.sh: the SPDX reading behind the npm licence audit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { allowed } from "./npm-licenses.mjs";

test("single licences: on the list or not", () => {
  assert.equal(allowed("MIT"), true);
  assert.equal(allowed("MPL-2.0"), true);
  assert.equal(allowed("GPL-3.0-only"), false);
  assert.equal(allowed("UNLICENSED"), false);
});

test("OR needs one allowed choice, AND needs all", () => {
  assert.equal(allowed("Apache-2.0 OR MIT"), true);
  assert.equal(allowed("(GPL-3.0-only OR MIT)"), true);
  assert.equal(allowed("MIT AND GPL-3.0-only"), false);
  assert.equal(allowed("(MIT AND ISC) OR GPL-2.0-only"), true);
  assert.equal(allowed("GPL-2.0-only AND (MIT OR ISC)"), false);
  assert.equal(allowed("MIT AND (GPL-2.0-only OR ISC)"), true);
  assert.equal(allowed("GPL-2.0-only OR MIT AND GPL-3.0-only"), false);
});

test("an expression that cannot be read is not allowed", () => {
  assert.equal(allowed("(MIT"), false);
  assert.equal(allowed("MIT OR"), false);
  assert.equal(allowed("MIT ISC"), false);
});

test("a missing or empty licence is not allowed", () => {
  assert.equal(allowed(undefined), false);
  assert.equal(allowed(""), false);
  assert.equal(allowed({ type: "MIT" }), false);
});
