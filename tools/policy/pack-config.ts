// The policy config file `pulumi preview --policy-pack-config` takes: policy name to an enforcement level string,
// or to an object with `enforcementLevel` and the policy's knobs.
import * as fs from "node:fs";
import { UsageError } from "../cli/options";
import type { EnforcementLevel } from "./analyzer";

export type PolicyConfig = Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Reads and checks a policy config file; a usage error naming the file for anything the pack would refuse. */
export function readPolicyConfig(file: string): PolicyConfig {
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`--policy-pack-config ${file} is not valid JSON: ${(err as Error).message}.`);
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new UsageError(`--policy-pack-config ${file} must hold a JSON object of policy names.`);
    }
    const config: PolicyConfig = {};
    for (const [policy, value] of Object.entries(raw)) {
        if (typeof value === "string") {
            if (!LEVELS.includes(value)) {
                throw new UsageError(`${file}: ${policy} is "${value}"; use one of ${LEVELS.join(", ")}.`);
            }
            config[policy] = { enforcementLevel: value as EnforcementLevel };
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            config[policy] = value as PolicyConfig[string];
        } else {
            throw new UsageError(`${file}: ${policy} must be an enforcement level or an object of settings.`);
        }
    }
    return config;
}
