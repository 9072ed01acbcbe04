import { describe, expect, it } from "vitest";
import { addMonths, daysBetween, formatDay, humanDay, parseDay, weekdayName } from "./dates";

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
  it("formats for people", () => {
    expect(humanDay("2027-03-03")).toBe("3 Mar 2027");
  });
  it("counts days across a month end", () => {
    expect(daysBetween("2027-01-30", "2027-02-02")).toBe(3);
    expect(daysBetween("2027-02-02", "2027-01-30")).toBe(-3);
  });
});

describe("weekdayName", () => {
  it("names the weekday of a calendar day, whatever the time zone", () => {
    expect(weekdayName("2027-01-04")).toBe("Mon");
    expect(weekdayName("2027-01-10")).toBe("Sun");
    expect(weekdayName("2027-02-30")).toBe("");
  });
});
