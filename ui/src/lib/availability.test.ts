import { describe, expect, it } from "vitest";
import { describeWeek, emptyWeek, formatWeek, paint, parseWeek, weekHours } from "./availability";

describe("the week grid and the text form", () => {
  it("read each other without loss, quarter hours and several windows a day included", () => {
    for (const text of [
      "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00",
      "tue=06:15-07:45,tue=18:00-19:30,sun=00:00-24:00",
      "fri=23:45-24:00",
    ]) {
      const week = parseWeek(text);
      expect(week).not.toBeNull();
      expect(formatWeek(week!)).toBe(text);
    }
  });
  it("merges touching windows the way the core does", () => {
    expect(formatWeek(parseWeek("mon=19:00-20:00, mon=20:00-21:00")!)).toBe("mon=19:00-21:00");
  });
  it("refuses what the core would refuse", () => {
    for (const bad of ["mon=21:00-19:00", "xyz=19:00-21:00", "mon=19:10-21:00", "mon 19-21", "mon=25:00-26:00"]) {
      expect(parseWeek(bad), bad).toBeNull();
    }
  });
  it("paints and erases rectangles of half hours, and counts hours", () => {
    let week = paint(emptyWeek(), { day: 0, slot: 38 }, { day: 2, slot: 41 }, true);
    expect(formatWeek(week)).toBe("mon=19:00-21:00,tue=19:00-21:00,wed=19:00-21:00");
    expect(weekHours(week)).toBe(6);
    week = paint(week, { day: 1, slot: 41 }, { day: 1, slot: 38 }, false);
    expect(formatWeek(week)).toBe("mon=19:00-21:00,wed=19:00-21:00");
    expect(describeWeek(week, (d) => ["Mon", "Tue", "Wed"][d] ?? "?", "en-GB")).toBe("Mon 19:00–21:00; Wed 19:00–21:00");
  });
});
