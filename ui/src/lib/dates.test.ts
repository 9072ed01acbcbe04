import { describe, expect, it } from "vitest";
import {
  addMonths,
  clockTime,
  dayAndTime,
  daysBetween,
  formatDay,
  humanDay,
  localizeDates,
  longDay,
  monthYear,
  parseDay,
  roughDay,
  shortDay,
  weekDay,
  weekdayName,
} from "./dates";

describe("parseDay", () => {
  it("reads a valid date", () => {
    expect(parseDay("2027-02-28")).toEqual({ year: 2027, month: 2, day: 28 });
  });
  it("refuses impossible dates and other shapes", () => {
    expect(parseDay("2027-02-29")).toBeNull();
    expect(parseDay("2027-13-01")).toBeNull();
    expect(parseDay("27-1-1")).toBeNull();
    expect(parseDay("")).toBeNull();
  });
  it("accepts 29 February in a leap year", () => {
    expect(parseDay("2028-02-29")).not.toBeNull();
  });
});

describe("addMonths", () => {
  it("clamps to the last day of a shorter month", () => {
    expect(formatDay(addMonths({ year: 2027, month: 1, day: 31 }, 1))).toBe("2027-02-28");
  });
  it("crosses years", () => {
    expect(formatDay(addMonths({ year: 2026, month: 11, day: 23 }, 24))).toBe("2028-11-23");
    expect(formatDay(addMonths({ year: 2026, month: 8, day: 15 }, 6))).toBe("2027-02-15");
  });
});

describe("humanDay and daysBetween", () => {
  it("formats for people, in the locale's own order", () => {
    expect(humanDay("2027-03-03", "en-GB")).toBe("3 Mar 2027");
    expect(humanDay("2027-03-03", "en-US")).toBe("Mar 3, 2027");
    expect(humanDay("2027-03-03", "de-DE")).toMatch(/^3\. M.rz 2027$/);
  });
  it("leaves what is not a day alone", () => {
    expect(humanDay("soon", "en-GB")).toBe("soon");
  });
  it("counts days across a month end", () => {
    expect(daysBetween("2027-01-30", "2027-02-02")).toBe(3);
    expect(daysBetween("2027-02-02", "2027-01-30")).toBe(-3);
  });
});

describe("weekdayName", () => {
  it("names the weekday of a calendar day, whatever the time zone", () => {
    expect(weekdayName("2027-01-04", "en-GB")).toBe("Mon");
    expect(weekdayName("2027-01-10", "en-GB")).toBe("Sun");
    expect(weekdayName("2027-02-30")).toBe("");
  });
});

describe("one formatter for every date and time on screen", () => {
  it("writes days with and without the weekday and the year", () => {
    expect(longDay("2027-01-21", "en-GB")).toMatch(/^Thu,? 21 Jan 2027$/);
    expect(weekDay("2027-01-21", "en-GB")).toMatch(/^Thu,? 21 Jan$/);
    expect(shortDay("2027-01-21", "en-GB")).toBe("21 Jan");
    expect(monthYear("2027-01-21", "en-GB")).toBe("Jan 2027");
    expect(monthYear("2027-01-21", "en-US")).toBe("Jan 2027");
  });
  it("writes times the locale's way, 24-hour or 12-hour", () => {
    expect(clockTime("19:05", "en-GB")).toBe("19:05");
    expect(clockTime("09:00", "en-GB")).toBe("09:00");
    expect(clockTime("19:05", "en-US")).toMatch(/^7:05\sPM$/);
    expect(dayAndTime("2027-01-21", "10:00", "en-GB")).toMatch(/^Thu,? 21 Jan 2027 at 10:00$/);
  });
  it("says a likely day roughly", () => {
    expect(roughDay("2028-10-03", "en-GB")).toBe("early October 2028");
    expect(roughDay("2028-10-15", "en-GB")).toBe("mid-October 2028");
    expect(roughDay("2028-10-31", "en-GB")).toBe("late October 2028");
  });
  it("never moves a day, whatever the hour and zone of the machine", () => {
    for (const d of ["2027-01-01", "2027-03-28", "2027-10-31", "2027-12-31"]) {
      expect(humanDay(d, "en-GB").endsWith(d.slice(0, 4))).toBe(true);
      expect(humanDay(d, "en-GB").startsWith(String(Number(d.slice(8))))).toBe(true);
    }
  });
});

describe("years below 100", () => {
  it("are printed as themselves, never as 19xx", () => {
    expect(humanDay("0007-12-26", "en-GB")).not.toMatch(/19\d\d/);
    expect(humanDay("0007-12-26", "en-GB")).toMatch(/\b7\b/);
    expect(humanDay("0099-01-01", "en-US")).not.toMatch(/1999/);
  });
});

describe("a sentence from the core, in the locale's dates and times", () => {
  it("writes dates and clock times as the rest of the window does", () => {
    expect(localizeDates("1999-01-01 is before the plan began (2027-01-04); log study from that day on", "en-GB")).toBe(
      "1 Jan 1999 is before the plan began (4 Jan 2027); log study from that day on",
    );
    expect(localizeDates("the 19:00 session of Git on 2027-01-09 is no longer in the plan", "en-US")).toBe(
      "the 7:00 PM session of Git on Jan 9, 2027 is no longer in the plan",
    );
    expect(localizeDates("moved to 07:30", "en-GB")).toBe("moved to 07:30");
  });
  it("leaves quoted input, impossible dates and other numbers as written", () => {
    for (const text of [
      'unknown weekday "someday" in someday=19:00-21:00',
      "the blackout 2027-05-10..2027-05-01 ends before it begins",
      "2027-02-30 is not a day",
      "version 12:345 and 1.2027-01-01",
      "24:00 and 19:60",
      "/home/me/2027-01-04/plan.toml cannot be read",
      "backups/roadmap-planner-2027-01-04T19:00 is kept",
    ]) {
      expect(localizeDates(text, "en-US"), text).toBe(text);
    }
  });
});
