/**
 * What the dynamic provider's `diff` decides from inputs alone, before looking at AWS: which inputs changed, which
 * of those force a replacement, whether the target group drifted; and the plain inputs among the engine's props.
 * Pure, unit-tested.
 *
 * Free of @pulumi/pulumi and of module-level state: the dynamic provider captures it by value (see provider.ts).
 */
import { INPUT_KEYS, UNKNOWN, type TargetRegistrationInputs, type UncheckedInputs } from "./inputs";
import type { SyncReport } from "./sync";

/** Inputs whose change means another target group (or another set of targets): replace, not update. */
export const REPLACE_KEYS: readonly (keyof TargetRegistrationInputs)[] = ["targetGroupArn", "port", "region"];

/** The decision `diff` makes from inputs alone (before looking at AWS). */
export interface InputDiff {
    /** Inputs that differ. */
    readonly changed: string[];
    /** Inputs whose change forces a replacement. */
    readonly replaces: string[];
    /** True when some new input is still unknown (preview). */
    readonly unknown: boolean;
}

/** Compares old and new inputs; pure, unit-tested. */
export function diffInputs(olds: UncheckedInputs, news: UncheckedInputs): InputDiff {
    const changed: string[] = [];
    let unknown = false;
    for (const k of INPUT_KEYS) {
        if (news[k] === UNKNOWN) {
            unknown = true;
            changed.push(k);
        } else if (JSON.stringify(olds[k]) !== JSON.stringify(news[k])) {
            changed.push(k);
        }
    }
    const replaces = changed.filter((k) => (REPLACE_KEYS as readonly string[]).includes(k));
    return { changed, replaces, unknown };
}

/** True when a dry-run sync shows the target group differs from the lookup (drift to show in preview). */
export function hasDrift(report: Pick<SyncReport, "registered" | "deregistered" | "kept">): boolean {
    return report.registered.length > 0 || report.deregistered.length > 0 || report.kept.length > 0;
}

/** Plain inputs only, without the outputs and the serialized provider (`__provider`) the engine passes along. */
export function pickInputs(props: TargetRegistrationInputs): TargetRegistrationInputs {
    const out: { -readonly [K in keyof TargetRegistrationInputs]?: TargetRegistrationInputs[K] } = {};
    const copy = <K extends keyof TargetRegistrationInputs>(k: K) => {
        if (props[k] !== undefined) {
            out[k] = props[k];
        }
    };
    INPUT_KEYS.forEach(copy);
    // Every key of `props` that is set was copied, so the required ones are there.
    return out as TargetRegistrationInputs;
}
