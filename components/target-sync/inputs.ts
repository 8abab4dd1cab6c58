/**
 * The sync's plain inputs and their validation, shared by the dynamic provider's `check`, the Lambda handler
 * and the CLI, so all three accept exactly the same configuration. Free of @pulumi/pulumi on purpose: the
 * Lambda bundle includes this module.
 */
// The vocabulary's files are imported one by one, never through its index: the index brings the contract, the
// access modes and the schema combinators, which neither the Lambda bundle nor the serialized provider needs.
import {
    hostnameRule,
    proxyNameRule,
    regionRule,
    roleArnRule,
    subnetIdRule,
    targetGroupArnRule,
    vpcIdRule,
} from "../../vocabulary/identifiers";
import { dynamoDbTableNamePattern, securityGroupIdPattern } from "../../vocabulary/aws-ids";
import {
    argumentSurface,
    matching,
    parseAll,
    problem,
    rule,
    satisfying,
    wholeNumber,
    type Check,
    type Problem,
    type Rules,
    type Surface,
} from "../../vocabulary/rules";
import { portRule, settingRule } from "../../vocabulary/settings";
import type { IpSource } from "./sources";
import { sourceRule } from "./rules";
import { isCidr } from "./sources/addresses";
import { parseDnsServer } from "./sources/dns";

/** The same inputs as plain values, as the provider receives them. */
export interface TargetRegistrationInputs {
    readonly targetGroupArn: string;
    readonly port: number;
    readonly source: IpSource;
    readonly proxyName: string;
    readonly vpcId: string;
    /** The proxy's subnets: its addresses are inside them, its interfaces in them. */
    readonly proxySubnetIds: string[];
    /** The proxy's security groups: its interfaces carry them (required with the eni source). */
    readonly proxySecurityGroupIds?: string[];
    /** IPv4 CIDRs of the proxy's subnets, when known (the Lambda's environment); else looked up. */
    readonly proxySubnetCidrs?: string[];
    readonly proxyEndpoint?: string;
    readonly dnsServer?: string;
    readonly missesBeforeDeregister: number;
    readonly region: string;
    readonly assumeRoleArn?: string;
    readonly stateTableName?: string;
    /** Seconds create and update keep retrying a dns lookup that fails before they fail. */
    readonly lookupWaitSeconds?: number;
}

/** The resource's outputs: its inputs plus what it observed. */
export interface TargetRegistrationOutputs extends TargetRegistrationInputs {
    /** IPs registered on the port after the last sync (or read). */
    readonly targets: string[];
    /** Miss state after the last sync, when no state table is used. */
    readonly misses: Record<string, number>;
    /** IPv4 CIDRs of `proxySubnetIds` as EC2 reported them at the last create or update (the Lambda gets them). */
    readonly subnetCidrs?: string[];
    /** This resource's mark on the target group (its ownership tag's value); see provider.ts. */
    readonly owner?: string;
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
    "proxySubnetIds",
    "proxySecurityGroupIds",
    "proxySubnetCidrs",
    "proxyEndpoint",
    "dnsServer",
    "missesBeforeDeregister",
    "region",
    "assumeRoleArn",
    "stateTableName",
    "lookupWaitSeconds",
];

/** How the engine marks a value not known during preview (pulumi/sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * A non-empty list of distinct strings each valid under `test`: a list (the provider's inputs) or one string
 * of comma-separated values (the Lambda's environment, CLI options), converted to a list.
 */
export function stringList(test: (item: string) => boolean): Check<string[]> {
    return {
        safeParse: (value) => {
            const list =
                typeof value === "string"
                    ? value.split(",").map((v) => v.trim())
                    : Array.isArray(value)
                      ? value
                      : [];
            const ok =
                list.length > 0 &&
                list.every((v) => typeof v === "string" && test(v)) &&
                new Set(list).size === list.length;
            return ok ? { success: true, data: list as string[] } : { success: false };
        },
    };
}

/** When create and update stop retrying a failing dns lookup, unless lookupWaitSeconds says otherwise. */
export const DEFAULT_LOOKUP_WAIT_SECONDS = 300;

/** The rule of each input, as data: the provider's `check`, the Lambda's environment and the CLI run these. */
export const INPUT_RULES: Rules = {
    targetGroupArn: { rule: targetGroupArnRule },
    port: { rule: portRule },
    source: { rule: sourceRule },
    proxyName: { rule: proxyNameRule },
    vpcId: { rule: vpcIdRule },
    proxySubnetIds: {
        rule: rule(
            stringList((v) => subnetIdRule.schema.safeParse(v).success),
            "one or more distinct subnet IDs (comma-separated where a single string is given)",
            '"subnet-0123456789abcdef0,subnet-0123456789abcdef1"',
        ),
    },
    proxySecurityGroupIds: {
        rule: rule(
            stringList((v) => securityGroupIdPattern.test(v)),
            "one or more distinct security group IDs (comma-separated where a single string is given)",
            '"sg-0123456789abcdef0"',
        ),
        optional: true,
    },
    proxySubnetCidrs: {
        rule: rule(
            stringList(isCidr),
            "one or more distinct IPv4 CIDR blocks (comma-separated where a single string is given)",
            '"10.0.0.0/20,10.0.16.0/20"',
        ),
        optional: true,
    },
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
            "an IP address with an optional port: IPV4[:PORT] or [IPV6]:PORT",
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
    lookupWaitSeconds: {
        rule: rule(wholeNumber(0, 3600), "a whole number of seconds from 0 to 3600", "300"),
        optional: true,
    },
};

/** The dynamic resource's inputs as a surface: `TargetRegistration input 'port'`. */
export const PROVIDER_SURFACE: Surface = argumentSurface("TargetRegistration", "input");

/**
 * Validates the inputs and reports every problem at once, in the project's one message format, as `surface`
 * names them (the provider's inputs, the Lambda's environment, the CLI's options). Values still unknown
 * (preview) are skipped. Keys in `derived` may be absent: the caller fills them in from AWS afterwards (the CLI
 * reads the port and VPC from the target group, the proxy's subnets and security groups from RDS). Returns the inputs as the rules converted them (digit strings
 * to numbers, comma-separated strings to lists) when there is no problem.
 */
export function parseInputs(
    raw: UncheckedInputs,
    surface: Surface = PROVIDER_SURFACE,
    derived: readonly (keyof TargetRegistrationInputs)[] = [],
): { inputs: TargetRegistrationInputs; problems: [] } | { inputs?: undefined; problems: Problem[] } {
    const rules: Rules = { ...INPUT_RULES };
    for (const key of derived) rules[key] = { ...rules[key], optional: true };
    const { values, problems } = parseAll(surface, raw, rules, (v) => v === UNKNOWN);
    // Each source needs its own way to find the proxy.
    if (
        raw.source === "eni" &&
        raw.proxySecurityGroupIds === undefined &&
        !derived.includes("proxySecurityGroupIds")
    ) {
        problems.push(
            problem(
                surface,
                "proxySecurityGroupIds",
                undefined,
                'it is required when source is "eni" (an interface is the proxy\'s only if it carries them)',
                surface.fix("proxySecurityGroupIds", '"sg-0123456789abcdef0"'),
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
