import { describe, expect, it } from "vitest";
import { count } from "./words";

describe("count", () => {
  it("says one in the singular and any other number in the plural", () => {
    expect(count(1, "topic")).toBe("1 topic");
    expect(count(0, "topic")).toBe("0 topics");
    expect(count(2, "session")).toBe("2 sessions");
    expect(count(1, "study day", "study days")).toBe("1 study day");
    expect(count(3, "activity", "activities")).toBe("3 activities");
  });
});
