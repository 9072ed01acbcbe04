import { describe, expect, it } from "vitest";
import { around, readAddress, readEstimate, readMinutes, readPeriod, readWeeklyHours, sessionBounds } from "./fields";

describe("reading a minutes field", () => {
  it("takes exactly the whole numbers in range, typed or as numbers, and says why for the rest", () => {
    for (const [min, max] of [[1, 119], [1, 1440], [15, 30]] as const) {
      for (let n = min - 3; n <= max + 3; n++) {
        for (const typed of [n, String(n), ` ${n} `]) {
          const read = readMinutes(typed, min, max, "Minutes");
          if (n >= min && n <= max) expect(read).toEqual({ value: n });
          else expect("error" in read && read.error).toMatch(n < min ? `at least ${min}` : `at most ${max}`);
        }
      }
    }
  });
  it("names the field and the range for what is not a number", () => {
    for (const bad of ["", "  ", null, undefined, Number.NaN, "abc", "1e", "12.5", 2.5]) {
      const read = readMinutes(bad, 1, 120, "Minutes studied");
      expect("error" in read, String(bad)).toBe(true);
      if ("error" in read) expect(read.error).toMatch(/^Minutes studied: /);
    }
    expect(readMinutes("abc", 1, 120, "Minutes")).toEqual({ error: 'Minutes: "abc" is not a number; enter minutes from 1 to 120.' });
  });
});

describe("reading hours a week", () => {
  it("takes half hours in range and refuses 0, too many and text", () => {
    for (let half = 0; half <= 2 * 170; half++) {
      const h = half / 2;
      const read = readWeeklyHours(String(h), 1, 168, "Most hours a week");
      expect("value" in read, String(h)).toBe(h >= 1 && h <= 168);
    }
    for (const bad of ["0", "500", "abc", "", "10.25"]) {
      const read = readWeeklyHours(bad, 1, 168, "Most hours a week");
      expect("error" in read && read.error, bad).toMatch(/^Most hours a week: /);
    }
  });
});

describe("reading a web address", () => {
  it("takes addresses with a host and one of the schemes, trimmed", () => {
    expect(readAddress(" https://dav.example.com/ ", ["https", "http"], "Server")).toEqual({ value: "https://dav.example.com/" });
    expect(readAddress("webcal://example.com/cal.ics", ["https", "http", "webcal"], "Address")).toEqual({ value: "webcal://example.com/cal.ics" });
  });
  it("says what is wrong with the rest", () => {
    const said = (text: string) => {
      const read = readAddress(text, ["https", "http"], "Server address");
      return "error" in read ? read.error : null;
    };
    expect(said("")).toBe("Server address: enter an address starting https:// or http://.");
    expect(said("dav.example.com")).toMatch(/is not a web address; it should start https:\/\//);
    expect(said("ftp://example.com")).toMatch(/"ftp:" addresses are not taken/);
    expect(said("https://")).not.toBeNull();
  });
});

describe("session lengths", () => {
  it("says what the core says, by field, for every length in quarter hours and between", () => {
    for (let min = 0; min <= 780; min += 5) {
      for (const max of [0, 10, 15, 60, 120, 125, 720, 735]) {
        const said = sessionBounds(min, max);
        const ok = (v: number) => v >= 15 && v <= 720 && v % 15 === 0;
        expect(said.min === undefined, `${min}`).toBe(ok(min));
        if (ok(min) && ok(max)) expect(said.max === undefined, `${min}-${max}`).toBe(max >= min);
        else if (!ok(max)) expect(said.max).toMatch(/^The longest session must be/);
      }
    }
    expect(sessionBounds(120, 60)).toEqual({ max: "The longest session (60 minutes) is shorter than the shortest (120 minutes)." });
  });
});

describe("a blocked-out period", () => {
  it("is ignored when empty, needs both days, and the last not before the first", () => {
    expect(readPeriod("", "")).toBeNull();
    expect(readPeriod("2027-07-01", "")).toEqual({ error: "Give the last day too." });
    expect(readPeriod("", "2027-07-01")).toEqual({ error: "Give the first day too." });
    expect(readPeriod("2027-07-14", "2027-07-01")).toEqual({ error: "The last day comes before the first." });
    expect(readPeriod("2027-07-01", "2027-07-01")).toEqual({ value: "2027-07-01..2027-07-01" });
  });
});

describe("reading a topic's estimate", () => {
  it("takes half hours from 0.5 to 1000 in order, and names the field that is wrong", () => {
    for (let a = 0; a <= 8; a++) {
      for (let b = 0; b <= 8; b++) {
        for (let c = 0; c <= 8; c++) {
          const [low, expected, high] = [a / 2, b / 2, c / 2];
          const read = readEstimate(String(low), expected, ` ${high} `);
          const ok = low >= 0.5 && low <= expected && expected <= high;
          if (ok) expect(read).toEqual({ value: { low, expected, high } });
          else expect("error" in read, `${low}/${expected}/${high}`).toBe(true);
          if ("error" in read) expect(read.error).toMatch(/^(Fewest|Expected|Most) hours: /);
        }
      }
    }
    expect(readEstimate(1, 2, 1001)).toEqual({ error: "Most hours: at most 1000 hours." });
    expect(readEstimate(1, "abc", 3)).toEqual({ error: 'Expected hours: "abc" is not a number of hours.' });
    expect(readEstimate(1, 2.25, 3)).toEqual({ error: "Expected hours: whole or half hours, such as 6 or 6.5." });
    expect(readEstimate(3, 2, 4)).toEqual({ error: "Fewest hours: 3 is more than the expected 2." });
  });
  it("proposes low and high around the expected hours, in order and in half hours", () => {
    for (let half = 1; half <= 2000; half++) {
      const e = half / 2;
      const { low, high } = around(e);
      expect(low <= e && e <= high, String(e)).toBe(true);
      expect(low >= 0.5 && Number.isInteger(low * 2) && Number.isInteger(high * 2)).toBe(true);
    }
    expect(around(6)).toEqual({ low: 4, high: 9 });
  });
});
