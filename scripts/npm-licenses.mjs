// The npm half of the licence audit (cargo-deny does the Rust half with deny.toml): every
// package installed under ui/, the build tools too (Svelte's runtime ends up in the bundle
// although it is a dev dependency), must carry a licence from the list below. Reads what
// `npm query` reports from node_modules, so it needs no network.
// Usage: node scripts/npm-licenses.mjs [UI_DIR]
import { execFileSync } from "node:child_process";

// In step with deny.toml's list; each holds only what its side needs (cargo-deny warns about
// entries that no crate uses).
const ALLOWED = new Set(["Apache-2.0", "BSD-3-Clause", "ISC", "MIT", "MPL-2.0"]);

/**
 * True when an SPDX expression is satisfied by the allowed licences: OR needs one side, AND
 * both, AND binds tighter than OR, parentheses group. Anything unreadable is not allowed.
 */
export function allowed(expression) {
  if (typeof expression !== "string") return false;
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const or = () => {
    let value = and();
    while (tokens[at] === "OR") {
      at += 1;
      value = and() || value;
    }
    return value;
  };
  const and = () => {
    let value = term();
    while (tokens[at] === "AND") {
      at += 1;
      value = term() && value;
    }
    return value;
  };
  const term = () => {
    const token = tokens[at++];
    if (token === "(") {
      const value = or();
      if (tokens[at++] !== ")") throw new SyntaxError("unclosed parenthesis");
      return value;
    }
    if (token === undefined || token === ")" || token === "AND" || token === "OR") {
      throw new SyntaxError(`unexpected ${token ?? "end"}`);
    }
    return ALLOWED.has(token);
  };
  try {
    const value = or();
    return at === tokens.length && value;
  } catch {
    return false;
  }
}

function main() {
  const dir = process.argv[2] ?? "ui";
  let packages;
  try {
    const out = execFileSync("npm", ["query", "*", "--prefix", dir], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    packages = JSON.parse(out);
  } catch (e) {
    console.error(`npm licences: could not list the packages under ${dir}/ (run npm ci there first): ${e.message}`);
    process.exit(2);
  }
  const root = packages.find((p) => p.location === "");
  const bad = packages
    .filter((p) => p !== root)
    .filter((p) => !allowed(p.license))
    .map((p) => `  ${p.name}@${p.version} (${p.location}): ${JSON.stringify(p.license ?? null)}`);
  if (bad.length > 0) {
    console.error(`npm licences: ${bad.length} package(s) under ${dir}/ with a licence not on the list in scripts/npm-licenses.mjs:`);
    console.error(bad.join("\n"));
    process.exit(1);
  }
  console.log(`npm licences ok (${packages.length - 1} packages)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
