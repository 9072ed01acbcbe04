// A small W3C WebDriver client for the end-to-end tests, over Node's own fetch.
//
// tauri-driver speaks the W3C protocol and forwards to WebKitWebDriver, which starts the real
// app binary. Every request has a timeout: a session request can hang now and then, and a hung
// test is worse than a failed one. `withApp` ends the driver and the app on failure and retries
// the start once.

import { execFile, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  async cmd(method, route, body, timeoutMs = 30_000) {
    return request(method, `${this.base}/session/${this.id}${route}`, body, timeoutMs);
  }

  async find(css) {
    const el = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return new Element(this, el[ELEMENT]);
  }

  async findAll(css) {
    const els = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return els.map((e) => new Element(this, e[ELEMENT]));
  }

  /** Polls until `css` matches an element, or fails after `timeoutMs`. */
  async waitFor(css, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      try {
        return await this.find(css);
      } catch (e) {
        last = e;
        await sleep(100);
      }
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${css}: ${last?.message}`);
  }

  /** Polls until nothing matches `css`, or fails after `timeoutMs`. */
  async waitForGone(css, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.execute(`return document.querySelector(${JSON.stringify(css)}) !== null`))) return;
      await sleep(100);
    }
    throw new Error(`${css} was still there after ${timeoutMs} ms`);
  }

  /** Polls until the text of `css` satisfies `predicate`; returns that text. */
  async waitForText(css, predicate, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      try {
        last = await (await this.find(css)).text();
        if (predicate(last)) return last;
      } catch {
        // Not there yet.
      }
      await sleep(100);
    }
    throw new Error(`${css} never matched; last text: ${JSON.stringify(last)}`);
  }

  /** Polls until the attribute `name` of `css` satisfies `predicate`; returns its value. */
  async waitForAttribute(css, name, predicate, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    while (Date.now() < deadline) {
      try {
        last = await (await this.find(css)).attribute(name);
        if (predicate(last)) return last;
      } catch {
        // Not there yet.
      }
      await sleep(100);
    }
    throw new Error(`${css}[${name}] never matched; last value: ${JSON.stringify(last)}`);
  }

  /** Drags with the mouse from one viewport point to another, in small steps, the way a user
   * would (drag-and-drop libraries ignore a jump straight to the target). */
  async drag(from, to, steps = 12) {
    const moves = [];
    for (let i = 1; i <= steps; i++) {
      moves.push({
        type: "pointerMove",
        duration: 30,
        origin: "viewport",
        x: Math.round(from.x + ((to.x - from.x) * i) / steps),
        y: Math.round(from.y + ((to.y - from.y) * i) / steps),
      });
    }
    await this.cmd("POST", "/actions", {
      actions: [
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [
            { type: "pointerMove", duration: 0, origin: "viewport", x: Math.round(from.x), y: Math.round(from.y) },
            { type: "pointerDown", button: 0 },
            { type: "pause", duration: 150 },
            ...moves,
            { type: "pause", duration: 150 },
            { type: "pointerUp", button: 0 },
          ],
        },
      ],
    });
    await this.cmd("DELETE", "/actions").catch(() => {});
  }

  /** Double-clicks the element matching `css`, as a quick hand does: two clicks a few
   * milliseconds apart, at its centre. */
  async doubleClick(css) {
    await this.waitFor(css);
    const at = await this.execute(
      "const e = document.querySelector(arguments[0]); e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 };",
      [css],
    );
    const click = [{ type: "pointerDown", button: 0 }, { type: "pointerUp", button: 0 }];
    await this.cmd("POST", "/actions", {
      actions: [
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [
            { type: "pointerMove", duration: 0, origin: "viewport", x: Math.round(at.x), y: Math.round(at.y) },
            ...click,
            { type: "pause", duration: 20 },
            ...click,
          ],
        },
      ],
    });
    await this.cmd("DELETE", "/actions").catch(() => {});
  }

  /** Resizes the window, as a user dragging its corner would. */
  async resize(width, height) {
    await this.cmd("POST", "/window/rect", { width, height });
  }

  /** Whether `css` matches anything right now. */
  async exists(css) {
    return (await this.findAll(css)).length > 0;
  }

  async execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Runs a script that hands its result to the callback passed as its last argument. */
  async executeAsync(script, args = [], timeoutMs = 40_000) {
    return this.cmd("POST", "/execute/async", { script, args }, timeoutMs);
  }

  /** Saves what the screen shows. WebKitWebDriver's own screenshot hangs when compositing is
   * off (as it must be under Xvfb), so this asks the X server through ImageMagick's `import`;
   * `size` ([width, height]) crops it to the window, which sits in the screen's top-left corner. */
  async screenshot(file, size) {
    mkdirSync(path.dirname(file), { recursive: true });
    const crop = size ? ["-crop", `${size[0]}x${size[1]}+0+0`] : [];
    await execFileAsync("import", ["-window", "root", ...crop, file], { timeout: 15_000 });
  }

  async close() {
    await this.cmd("DELETE", "", undefined, 15_000).catch(() => {});
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }
  cmd(method, route, body) {
    return this.session.cmd(method, `/element/${this.id}${route}`, body);
  }
  text() {
    return this.cmd("GET", "/text");
  }
  click() {
    return this.cmd("POST", "/click", {});
  }
  attribute(name) {
    return this.cmd("GET", `/attribute/${name}`);
  }
  /** Types keys into the element (W3C key codes such as "\uE014" for the right arrow). */
  sendKeys(text) {
    return this.cmd("POST", "/value", { text });
  }
  /** Sets an input's value the way a user's edit would, so Svelte's bindings see it. */
  async setValue(value) {
    await this.session.execute(
      `const [el, value] = arguments;
       el.focus();
       el.value = value;
       el.dispatchEvent(new Event("input", { bubbles: true }));
       el.dispatchEvent(new Event("change", { bubbles: true }));`,
      [{ [ELEMENT]: this.id }, value],
    );
  }
}

async function request(method, url, body, timeoutMs) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const v = json.value ?? {};
    throw new Error(`${method} ${url}: ${res.status} ${v.error ?? ""} ${v.message ?? ""}`);
  }
  return json.value;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.end();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`the driver did not listen on port ${port} within ${timeoutMs} ms`);
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the end-to-end tests through \`make e2e\``);
  return value;
}

/**
 * Starts tauri-driver and the app (with `env` added to the app's environment), runs `body`
 * with the session, and always ends both. A start that fails or hangs is retried once.
 */
export async function withApp(env, body) {
  const app = required("ROADMAP_APP");
  const driverPath = required("TAURI_DRIVER");
  let lastError;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const port = await freePort();
    const nativePort = await freePort();
    // In its own process group, so that ending it also ends WebKitWebDriver and the app.
    const driver = spawn(driverPath, ["--port", String(port), "--native-port", String(nativePort)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    const exited = new Promise((resolve) => driver.once("exit", resolve));
    const end = async () => {
      killGroup(driver.pid, "SIGTERM");
      await Promise.race([exited, sleep(3_000)]);
      killGroup(driver.pid, "SIGKILL");
    };
    let session;
    try {
      await waitForPort(port, 15_000);
      // tauri-driver listens at once but forwards to WebKitWebDriver, which it starts beside
      // itself: on a busy machine that one can take seconds, and a session asked for before
      // it listens fails with "client error (Connect)".
      await waitForPort(nativePort, 30_000);
      const base = `http://127.0.0.1:${port}`;
      const created = await request(
        "POST",
        `${base}/session`,
        { capabilities: { alwaysMatch: { "tauri:options": { application: app } } } },
        60_000,
      );
      session = new Session(base, created.sessionId);
    } catch (e) {
      lastError = e;
      await end();
      console.error(`app start, attempt ${attempt}, failed: ${e.message}`);
      continue;
    }
    try {
      return await body(session);
    } finally {
      await session.close();
      await end();
    }
  }
  throw lastError;
}
