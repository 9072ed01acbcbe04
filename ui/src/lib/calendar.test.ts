import { describe, expect, it } from "vitest";
import { sessionEnd, toLocalParts } from "./calendar";

describe("sessionEnd", () => {
  it("adds the minutes to the wall-clock start", () => {
    expect(sessionEnd("2027-01-04", "19:00", 120)).toBe("2027-01-04T21:00:00");
    expect(sessionEnd("2027-01-04", "21:15", 45)).toBe("2027-01-04T22:00:00");
  });
});

describe("toLocalParts", () => {
  it("reads the local day and time, not UTC", () => {
    expect(toLocalParts(new Date(2027, 0, 4, 7, 5))).toEqual({ date: "2027-01-04", time: "07:05" });
  });
});
