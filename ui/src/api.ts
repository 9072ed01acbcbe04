// The only module that talks to the Tauri shell. Components import these functions, never
// `@tauri-apps/api`, so every command name and argument shape is checked by the compiler.

import { invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { PlanPreview } from "./bindings/PlanPreview";
import type { PlanPreviewRequest } from "./bindings/PlanPreviewRequest";
import type { PlanSettings } from "./bindings/PlanSettings";
import type { PlanView } from "./bindings/PlanView";
import type { RoadmapFileOutcome } from "./bindings/RoadmapFileOutcome";
import type { RoadmapView } from "./bindings/RoadmapView";

/** Every command the shell exposes: its arguments and what it returns. */
interface Commands {
  get_roadmap: { args: Record<string, never>; result: RoadmapView };
  open_roadmap_file: { args: Record<string, never>; result: RoadmapFileOutcome };
  use_bundled_roadmap: { args: Record<string, never>; result: RoadmapView };
  get_plan: { args: Record<string, never>; result: PlanView | null };
  create_plan: { args: { settings: PlanSettings }; result: PlanView };
  preview_plan: { args: { request: PlanPreviewRequest }; result: PlanPreview };
}

/** A failed command, carrying the shell's typed error. */
export class CommandError extends Error {
  readonly kind: ApiError["kind"];

  constructor(error: ApiError) {
    super(error.message);
    this.kind = error.kind;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).kind === "string" &&
    typeof (value as ApiError).message === "string"
  );
}

/** Turns whatever a rejected `invoke` gave into a `CommandError`. */
export function toCommandError(reason: unknown): CommandError {
  if (isApiError(reason)) return new CommandError(reason);
  // Tauri itself rejects with a plain string, for example when a permission is missing.
  return new CommandError({ kind: "internal", message: String(reason) });
}

async function call<K extends keyof Commands>(
  command: K,
  args: Commands[K]["args"],
): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(command, args);
  } catch (reason) {
    throw toCommandError(reason);
  }
}

export const getRoadmap = () => call("get_roadmap", {});
export const openRoadmapFile = () => call("open_roadmap_file", {});
export const useBundledRoadmap = () => call("use_bundled_roadmap", {});
export const getPlan = () => call("get_plan", {});
export const createPlan = (settings: PlanSettings) => call("create_plan", { settings });
export const previewPlan = (request: PlanPreviewRequest) => call("preview_plan", { request });
