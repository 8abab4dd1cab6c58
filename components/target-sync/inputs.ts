/**
 * The sync's plain inputs and their validation, shared by the dynamic provider's `check`, the Lambda handler
 * and the CLI, so all three accept exactly the same configuration. Free of @pulumi/pulumi on purpose: the
 * Lambda bundle includes this module.
 */
import { validateThreshold } from "./reconcile";
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

/** AWS region names, such as eu-west-1. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** How the engine marks a value not known during preview (pulumi/sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One problem with one input, in the shape `check` returns. */
export interface InputProblem {
    readonly property: string;
    readonly reason: string;
}

/**
 * Validates the plain inputs and reports every problem at once. Values still unknown (preview) are skipped.
 * Also used by the CLI and the Lambda handler so all three accept exactly the same configuration.
 */
export function validateInputs(inputs: UncheckedInputs): InputProblem[] {
    const problems: InputProblem[] = [];
    const known = (k: keyof TargetRegistrationInputs) => inputs[k] !== undefined && inputs[k] !== UNKNOWN;
    const str = (k: keyof TargetRegistrationInputs) => {
        const v = inputs[k];
        return typeof v === "string" ? v : undefined;
    };
    const add = (property: string, reason: string) => problems.push({ property, reason });

    if (known("targetGroupArn")) {
        const v = str("targetGroupArn");
        if (
            !v ||
            !/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]+\/[0-9a-f]+$/.test(
                v,
            )
        ) {
            add(
                "targetGroupArn",
                `targetGroupArn must be an ELBv2 target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID), got ${JSON.stringify(inputs.targetGroupArn)}.`,
            );
        }
    } else if (inputs.targetGroupArn === undefined) {
        add("targetGroupArn", "targetGroupArn is required.");
    }
    if (known("port")) {
        const v = inputs.port;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 65535) {
            add("port", `port must be an integer from 1 to 65535, got ${JSON.stringify(v)}.`);
        }
    } else if (inputs.port === undefined) {
        add("port", "port is required.");
    }
    if (known("source") && inputs.source !== "eni" && inputs.source !== "dns") {
        add("source", `source must be "eni" or "dns", got ${JSON.stringify(inputs.source)}.`);
    } else if (inputs.source === undefined) {
        add("source", 'source is required ("eni" or "dns").');
    }
    if (known("proxyName")) {
        // RDS: 1-63 letters, digits or hyphens, starting with a letter, no trailing or double hyphen.
        const v = str("proxyName");
        if (!v || !/^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*$/.test(v) || v.length > 63 || v.endsWith("-")) {
            add(
                "proxyName",
                `proxyName must be an RDS Proxy name (1-63 letters, digits and single hyphens, starting with a letter), got ${JSON.stringify(inputs.proxyName)}.`,
            );
        }
    } else if (inputs.proxyName === undefined) {
        add("proxyName", "proxyName is required.");
    }
    if (inputs.source === "eni" && inputs.vpcId === undefined) {
        add("vpcId", 'vpcId is required when source is "eni".');
    }
    if (known("vpcId") && !/^vpc-[0-9a-f]{8,17}$/.test(str("vpcId") ?? "")) {
        add("vpcId", `vpcId must look like vpc-0123456789abcdef0, got ${JSON.stringify(inputs.vpcId)}.`);
    }
    if (inputs.source === "dns" && inputs.proxyEndpoint === undefined) {
        add("proxyEndpoint", 'proxyEndpoint is required when source is "dns".');
    }
    if (known("proxyEndpoint")) {
        const v = str("proxyEndpoint");
        if (
            !v ||
            v.length > 253 ||
            !/^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$/.test(v)
        ) {
            add(
                "proxyEndpoint",
                `proxyEndpoint must be a DNS hostname, got ${JSON.stringify(inputs.proxyEndpoint)}.`,
            );
        }
    }
    if (known("dnsServer")) {
        try {
            parseDnsServer(str("dnsServer") ?? "");
        } catch (err) {
            add("dnsServer", (err as Error).message);
        }
    }
    if (known("missesBeforeDeregister")) {
        try {
            validateThreshold(inputs.missesBeforeDeregister as number);
        } catch (err) {
            add("missesBeforeDeregister", (err as Error).message);
        }
    } else if (inputs.missesBeforeDeregister === undefined) {
        add("missesBeforeDeregister", "missesBeforeDeregister is required.");
    }
    if (known("region")) {
        if (!REGION_PATTERN.test(str("region") ?? "")) {
            add(
                "region",
                `region must be an AWS region such as eu-west-1, got ${JSON.stringify(inputs.region)}.`,
            );
        }
    } else if (inputs.region === undefined) {
        add("region", "region is required.");
    }
    if (
        known("assumeRoleArn") &&
        !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(str("assumeRoleArn") ?? "")
    ) {
        add(
            "assumeRoleArn",
            `assumeRoleArn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), got ${JSON.stringify(inputs.assumeRoleArn)}.`,
        );
    }
    if (known("stateTableName") && !/^[A-Za-z0-9_.-]{3,255}$/.test(str("stateTableName") ?? "")) {
        add(
            "stateTableName",
            `stateTableName must be a DynamoDB table name, got ${JSON.stringify(inputs.stateTableName)}.`,
        );
    }
    return problems;
}
