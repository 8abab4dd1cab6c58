/**
 * The sync's plain inputs and their validation, shared by the dynamic provider's `check`, the Lambda handler
 * and the CLI, so all three accept exactly the same configuration. Free of @pulumi/pulumi on purpose: the
 * Lambda bundle includes this module.
 */
// The vocabulary's files are imported one by one, never through its index: the contract schema there uses zod,
// which neither the Lambda bundle nor the serialized provider needs.
import {
    hostnameRule,
    proxyNameRule,
    regionRule,
    roleArnRule,
    targetGroupArnRule,
    vpcIdRule,
} from "../../vocabulary/identifiers";
import { dynamoDbTableNamePattern } from "../../vocabulary/aws-ids";
import {
    argumentSurface,
    matching,
    oneOf,
    parseAll,
    problem,
    rule,
    satisfying,
    type Problem,
    type Rules,
    type Surface,
} from "../../vocabulary/rules";
import { portRule, settingRule } from "../../vocabulary/settings";
import type { IpSource } from "./sources";
import { parseDnsServer } from "./sources/dns";

/** The same inputs as plain values, as the provider receives them. */
export interface TargetRegistrationInputs {
    readonly targetGroupArn: string;
    readonly port: number;
    readonly source: IpSource;
    readonly proxyName: string;
    readonly vpcId?: string;
    readonly proxyEndpoint?: string;
    readonly dnsServer?: string;
    readonly missesBeforeDeregister: number;
    readonly region: string;
    readonly assumeRoleArn?: string;
    readonly stateTableName?: string;
}

/** The resource's outputs: its inputs plus what it observed. */
export interface TargetRegistrationOutputs extends TargetRegistrationInputs {
    /** IPs registered on the port after the last sync (or read). */
    readonly targets: string[];
    /** Miss state after the last sync, when no state table is used. */
    readonly misses: Record<string, number>;
}

/**
 * Inputs as received, before validation (from the engine, the Lambda's environment or the command line): any
 * key may be missing, still unknown (preview) or of the wrong type. Every TargetRegistrationInputs is one.
 */
export type UncheckedInputs = { readonly [K in keyof TargetRegistrationInputs]?: unknown };

/** Input keys, in the order they are validated and diffed. */
export const INPUT_KEYS: readonly (keyof TargetRegistrationInputs)[] = [
    "targetGroupArn",
    "port",
    "source",
    "proxyName",
    "vpcId",
    "proxyEndpoint",
    "dnsServer",
    "missesBeforeDeregister",
    "region",
    "assumeRoleArn",
    "stateTableName",
];

/** How the engine marks a value not known during preview (pulumi/sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The rule of each input, as data: the provider's `check`, the Lambda's environment and the CLI run these. */
export const INPUT_RULES: Rules = {
    targetGroupArn: { rule: targetGroupArnRule },
    port: { rule: portRule },
    source: { rule: rule(oneOf(["eni", "dns"]), 'one of "eni", "dns"', '"dns"') },
    proxyName: { rule: proxyNameRule },
    vpcId: { rule: vpcIdRule, optional: true },
    proxyEndpoint: { rule: hostnameRule, optional: true },
    dnsServer: {
        rule: rule(
            satisfying<string>((v) => {
                if (typeof v !== "string") return false;
                try {
                    parseDnsServer(v);
                    return true;
                } catch {
                    return false;
                }
            }),
            "HOST or HOST:PORT",
            '"10.0.0.2:53"',
        ),
        optional: true,
    },
    missesBeforeDeregister: { rule: settingRule("missesBeforeDeregister") },
    region: { rule: regionRule },
    assumeRoleArn: { rule: roleArnRule, optional: true },
    stateTableName: {
        rule: rule(matching(dynamoDbTableNamePattern), "a DynamoDB table name", '"target-sync-state"'),
        optional: true,
    },
};

/** The dynamic resource's inputs as a surface: `TargetRegistration input 'port'`. */
export const PROVIDER_SURFACE: Surface = argumentSurface("TargetRegistration", "input");

/**
 * Validates the inputs and reports every problem at once, in the project's one message format, as `surface`
 * names them (the provider's inputs, the Lambda's environment, the CLI's options). Values still unknown
 * (preview) are skipped. Returns the inputs as the rules converted them (digit strings to numbers) when there
 * is no problem.
 */
export function parseInputs(
    raw: UncheckedInputs,
    surface: Surface = PROVIDER_SURFACE,
): { inputs: TargetRegistrationInputs; problems: [] } | { inputs?: undefined; problems: Problem[] } {
    const { values, problems } = parseAll(surface, raw, INPUT_RULES, (v) => v === UNKNOWN);
    // Each source needs its own way to find the proxy.
    if (raw.source === "eni" && raw.vpcId === undefined) {
        problems.push(
            problem(
                surface,
                "vpcId",
                undefined,
                'it is required when source is "eni"',
                surface.fix("vpcId", vpcIdRule.example),
            ),
        );
    }
    if (raw.source === "dns" && raw.proxyEndpoint === undefined) {
        problems.push(
            problem(
                surface,
                "proxyEndpoint",
                undefined,
                'it is required when source is "dns"',
                surface.fix("proxyEndpoint", hostnameRule.example),
            ),
        );
    }
    if (problems.length > 0) return { problems };
    // Every rule passed, so each value has its input's type; UncheckedInputs cannot say so by itself.
    return { inputs: values as unknown as TargetRegistrationInputs, problems: [] };
}

/** Validates the inputs (see `parseInputs`) and returns every problem. */
export function validateInputs(raw: UncheckedInputs, surface: Surface = PROVIDER_SURFACE): Problem[] {
    return parseInputs(raw, surface).problems;
}
