/**
 * Turns raw strings (Lambda environment, CLI options) into validated sync inputs, with the same rules and
 * messages as the dynamic provider's `check`.
 */
import { validateInputs, type InputProblem, type TargetRegistrationInputs } from "./inputs";

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
    const candidate: Record<string, unknown> = {
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
    for (const k of Object.keys(candidate)) {
        if (candidate[k] === undefined) {
            delete candidate[k];
        }
    }
    const problems = validateInputs(candidate);
    if (problems.length > 0) {
        return { problems };
    }
    return { inputs: candidate as unknown as TargetRegistrationInputs, problems: [] };
}
