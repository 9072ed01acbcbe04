// Reading the app's database from the tests with Python's sqlite3, not through our own code,
// so what the tests check is what is on disk.

import { execFileSync } from "node:child_process";
import path from "node:path";

const file = (dataDir) => path.join(dataDir, "roadmap-planner.sqlite3");

/** Runs one query and returns its rows as arrays. */
export function query(dataDir, sql) {
  const script = "import json,sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(json.dumps(c.execute(sys.argv[2]).fetchall()))";
  return JSON.parse(execFileSync("python3", ["-c", script, file(dataDir), sql], { encoding: "utf8" }));
}

/** Every row of every table, by table name. */
export function dump(dataDir) {
  const script = `import json,sqlite3,sys
c=sqlite3.connect(sys.argv[1])
names=[r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
print(json.dumps({n: c.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}))`;
  return JSON.parse(execFileSync("python3", ["-c", script, file(dataDir)], { encoding: "utf8" }));
}
