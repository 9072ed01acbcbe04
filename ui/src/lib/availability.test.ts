import { describe, expect, it } from "vitest";
import { describeWeek, emptyWeek, formatWeek, gridKey, paint, parseWeek, weekHours, type Anchor, type Cell, type Week } from "./availability";

type Step = { week: Week; focus: Cell; anchor: Anchor };

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

describe("the week grid's keyboard", () => {
  const keys = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", " ", "Enter"];
  // A few thousand random key runs from random weeks: after any run that ends with Space and
  // then Shift+arrows, every half hour from the Space to the focus has what Space gave it.
  it("carries what Space did along Shift+arrows, from any week and after any keys", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let run = 0; run < 2000; run++) {
      let week = emptyWeek().map((d) => d.map(() => rnd(3) === 0));
      week = week.map((d) => d.map((_, q) => d[q - (q % 2)]!));
      let at: Cell = { day: rnd(7), slot: 12 + rnd(36) };
      let anchor: Anchor = null;
      for (let k = rnd(6); k > 0; k--) {
        const r: Step = gridKey(week, at, anchor, keys[rnd(keys.length)]!, rnd(2) === 0, 12)!;
        ({ week, focus: at, anchor } = r);
      }
      const space: Step = gridKey(week, at, anchor, " ", false, 12)!;
      ({ week, anchor } = space);
      const given = week[at.day]![2 * at.slot]!;
      const from = at;
      const arrow = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"][rnd(4)]!;
      for (let k = 1 + rnd(4); k > 0; k--) {
        const r: Step = gridKey(week, at, anchor, arrow, true, 12)!;
        ({ week, focus: at, anchor } = r);
      }
      const [d0, d1] = [Math.min(from.day, at.day), Math.max(from.day, at.day)];
      const [s0, s1] = [Math.min(from.slot, at.slot), Math.max(from.slot, at.slot)];
      for (let d = d0; d <= d1; d++) for (let s = s0; s <= s1; s++) {
        expect([week[d]![2 * s], week[d]![2 * s + 1]], `run ${run}: ${d}-${s}`).toEqual([given, given]);
      }
    }
  });
  it("moves without changing anything when Shift is up, and stays inside the grid", () => {
    const week = emptyWeek();
    const r = gridKey(week, { day: 0, slot: 12 }, { on: true }, "ArrowUp", false, 12)!;
    expect(r.week).toBe(week);
    expect(r.focus).toEqual({ day: 0, slot: 12 });
    expect(r.anchor).toBeNull();
    expect(gridKey(week, { day: 6, slot: 47 }, null, "ArrowRight", false, 12)!.focus).toEqual({ day: 6, slot: 47 });
    expect(gridKey(week, { day: 0, slot: 20 }, null, "a", false, 12)).toBeNull();
  });
});
