/**
 * Turns raw strings (Lambda environment, CLI options) into validated sync inputs, with the same rules as the
 * dynamic provider's `check` and messages that name each value the way its source names it.
 */
import type { Surface } from "../../vocabulary/rules";
import { parseInputs, type TargetRegistrationInputs } from "./inputs";

/** Raw string values by input; an absent or empty string is an absent value. */
export type RawInputs = { readonly [K in keyof TargetRegistrationInputs]?: string };

/** Builds and validates inputs from strings; returns them, or every problem found. */
export function parseStrings(
    raw: RawInputs,
    surface: Surface,
    derived: Parameters<typeof parseInputs>[2] = [],
): ReturnType<typeof parseInputs> {
    const present: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (value !== undefined && value.trim() !== "") present[key] = value;
    }
    return parseInputs(present, surface, derived);
}
