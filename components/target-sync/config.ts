/**
 * Turns raw strings (Lambda environment, CLI options) into validated sync inputs, with the same rules and
 * messages as the dynamic provider's `check`.
 */
import {
    INPUT_KEYS,
    validateInputs,
    type InputProblem,
    type TargetRegistrationInputs,
    type UncheckedInputs,
} from "./inputs";

/** Builds and validates inputs; returns them or every problem found. */
export function parseInputs(raw: {
    targetGroupArn?: string;
    proxyName?: string;
    proxyEndpoint?: string;
    vpcId?: string;
    source?: string;
    dnsServer?: string;
    port?: string;
    missesBeforeDeregister?: string;
    region?: string;
    assumeRoleArn?: string;
    stateTableName?: string;
}): { inputs: TargetRegistrationInputs; problems: [] } | { inputs?: undefined; problems: InputProblem[] } {
    // Non-numeric text stays a string, so the validator's message quotes what was actually given.
    const num = (v: string | undefined) =>
        v === undefined || v.trim() === "" ? undefined : /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
    const candidate: { -readonly [K in keyof UncheckedInputs]: UncheckedInputs[K] } = {
        targetGroupArn: raw.targetGroupArn || undefined,
        proxyName: raw.proxyName || undefined,
        proxyEndpoint: raw.proxyEndpoint || undefined,
        vpcId: raw.vpcId || undefined,
        source: raw.source || undefined,
        dnsServer: raw.dnsServer || undefined,
        port: num(raw.port),
        missesBeforeDeregister: num(raw.missesBeforeDeregister),
        region: raw.region || undefined,
        assumeRoleArn: raw.assumeRoleArn || undefined,
        stateTableName: raw.stateTableName || undefined,
    };
    for (const k of INPUT_KEYS) {
        if (candidate[k] === undefined) {
            delete candidate[k];
        }
    }
    const problems = validateInputs(candidate);
    if (problems.length > 0) {
        return { problems };
    }
    // Validated above: every required input is present and of its type.
    return { inputs: candidate as TargetRegistrationInputs, problems: [] };
}
