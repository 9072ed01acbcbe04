// Reading the week goal's "Target hours" field: an empty or impossible value is a message for
// the person, never a goal of 0 h saved without a word. The core refuses the same values.

export const MAX_GOAL_HOURS = 168;

export type GoalHours = { minutes: number } | { error: string };

/** The field's value (a number, or null/"" when empty) as whole minutes, or why not. */
export function readGoalHours(value: unknown): GoalHours {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    return { error: "Enter how many hours you want to study this week." };
  }
  const hours = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(hours)) {
    return { error: "Target hours must be a number, such as 6 or 7.5." };
  }
  const minutes = Math.round(hours * 60);
  if (minutes < 1) {
    return { error: "A week's goal needs some study: enter more than 0 hours." };
  }
  if (hours > MAX_GOAL_HOURS) {
    return { error: `A week has ${MAX_GOAL_HOURS} hours; enter fewer.` };
  }
  return { minutes };
}
