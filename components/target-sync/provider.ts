/**
 * The sync as a Pulumi dynamic provider resource (DESIGN.md §4, way 1): `create` registers, `diff` looks the
 * IPs up so `pulumi preview` shows drift, `update` converges, `read` returns the real targets so
 * `pulumi refresh` shows out-of-band changes, `delete` deregisters and tolerates a deleted target group.
 *
 * Pulumi serializes `targetRegistrationProvider` with `runtime.serializeFunction` into the resource's
 * `__provider` input (@pulumi/pulumi dynamic/index.js `serializeProvider`) and later runs it in a separate
 * process that loads that text with `require-from-string` (@pulumi/pulumi cmd/dynamic-provider/index.js
 * `getProvider`); https://www.pulumi.com/docs/iac/concepts/providers/dynamic-providers/ describes the model.
 * So the provider's methods only capture plain functions and constants; AWS SDK modules are `require`d and
 * clients created inside the methods, and no credentials are inputs, outputs or state: they come from the
 * environment, or from assuming `assumeRoleArn`. Some Pulumi docs say `read` is not functional for dynamic
 * providers; in this SDK the host does call it on `pulumi refresh` with the prior outputs
 * (cmd/dynamic-provider/index.js `read`), which is what makes out-of-band changes visible.
 */
import * as pulumi from "@pulumi/pulumi";
import { createClients, destroyClients, errorName } from "./aws";
import { deregisterTargets, describeTargets, isTargetGroupNotFound } from "./elbv2";
import { LEAVING_STATES, validateThreshold, type MissState } from "./reconcile";
import type { IpSource } from "./sources";
import { parseDnsServer } from "./sources/dns";
import { syncOnce, type SyncReport } from "./sync";
import { loadMisses, saveMisses, stateKey } from "./state-store";

/** The dynamic resource's type token is `pulumi-nodejs:dynamic/<module>:<type>` with these. */
export const REGISTRATION_MODULE = "target-sync";
export const REGISTRATION_TYPE = "TargetRegistration";

/** Inputs of the dynamic resource, as Pulumi Inputs. */
export interface TargetRegistrationArgs {
    /** ARN of the NLB target group (type ip) to keep in sync. */
    readonly targetGroupArn: pulumi.Input<string>;
    /** Port the targets are registered on. */
    readonly port: pulumi.Input<number>;
    /** Where the IPs come from. */
    readonly source: pulumi.Input<IpSource>;
    /** RDS Proxy name (used by the eni source, and in messages). */
    readonly proxyName: pulumi.Input<string>;
    /** VPC of the proxy; required for the eni source. */
    readonly vpcId?: pulumi.Input<string>;
    /** Hostname of the proxy endpoint; required for the dns source. */
    readonly proxyEndpoint?: pulumi.Input<string>;
    /** DNS server `host:port` for the dns source. @default the system resolver */
    readonly dnsServer?: pulumi.Input<string>;
    /** Consecutive misses before a missing healthy target is deregistered. */
    readonly missesBeforeDeregister: pulumi.Input<number>;
    /** Region of the target group and proxy (the stack's region). */
    readonly region: pulumi.Input<string>;
    /** Role to assume (the stack's aws provider role). @default the environment's credentials are used */
    readonly assumeRoleArn?: pulumi.Input<string>;
    /** DynamoDB table holding the miss state shared with the Lambda. @default miss state is kept in this resource's state */
    readonly stateTableName?: pulumi.Input<string>;
}

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

/** Inputs whose change means another target group (or another set of targets): replace, not update. */
export const REPLACE_KEYS: readonly (keyof TargetRegistrationInputs)[] = ["targetGroupArn", "port", "region"];

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
export function validateInputs(inputs: Record<string, unknown>): InputProblem[] {
    const problems: InputProblem[] = [];
    const known = (k: string) => inputs[k] !== undefined && inputs[k] !== UNKNOWN;
    const str = (k: string) => (typeof inputs[k] === "string" ? (inputs[k] as string) : undefined);
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
        if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(str("region") ?? "")) {
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
export function diffInputs(olds: Record<string, unknown>, news: Record<string, unknown>): InputDiff {
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

/** Plain inputs only, without the outputs and the serialized provider. */
export function pickInputs(props: Record<string, unknown>): TargetRegistrationInputs {
    const out: Record<string, unknown> = {};
    for (const k of INPUT_KEYS) {
        if (props[k] !== undefined) {
            out[k] = props[k];
        }
    }
    return out as unknown as TargetRegistrationInputs;
}

/** Runs one sync with the miss state from the table, or from `previous` when there is no table. */
export async function syncWithState(
    inputs: TargetRegistrationInputs,
    previous: MissState,
    dryRun: boolean,
): Promise<SyncReport> {
    const clients = createClients({ region: inputs.region, assumeRoleArn: inputs.assumeRoleArn });
    try {
        const options = { ...inputs, dryRun };
        if (!inputs.stateTableName) {
            return await syncOnce(clients, options, previous);
        }
        const key = stateKey(inputs.targetGroupArn, inputs.port);
        const stored = await loadMisses(clients, inputs.stateTableName, key);
        const report = await syncOnce(clients, options, stored.misses);
        if (!dryRun) {
            await saveMisses(clients, inputs.stateTableName, key, report.misses, stored.version);
        }
        return report;
    } finally {
        destroyClients(clients);
    }
}

function outputsOf(inputs: TargetRegistrationInputs, report: SyncReport): TargetRegistrationOutputs {
    return { ...inputs, targets: report.targets, misses: inputs.stateTableName ? {} : report.misses };
}

function resourceId(inputs: TargetRegistrationInputs): string {
    return `${inputs.targetGroupArn}#${inputs.port}`;
}

/** The provider Pulumi serializes. Every method creates its own clients. */
export const targetRegistrationProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
        const failures = validateInputs(news);
        return { inputs: news, failures };
    },

    async diff(_id: string, olds: TargetRegistrationOutputs, news: TargetRegistrationInputs) {
        const d = diffInputs(
            olds as unknown as Record<string, unknown>,
            news as unknown as Record<string, unknown>,
        );
        if (d.unknown || d.replaces.length > 0) {
            return { changes: true, replaces: d.replaces, deleteBeforeReplace: false };
        }
        // Drift: what a sync with the new inputs would do to the target group right now.
        const report = await syncWithState(
            pickInputs(news as unknown as Record<string, unknown>),
            olds.misses ?? {},
            true,
        );
        const drift = hasDrift(report);
        return { changes: d.changed.length > 0 || drift, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs: TargetRegistrationInputs) {
        const plain = pickInputs(inputs as unknown as Record<string, unknown>);
        const report = await syncWithState(plain, {}, false);
        return { id: resourceId(plain), outs: outputsOf(plain, report) };
    },

    async update(_id: string, olds: TargetRegistrationOutputs, news: TargetRegistrationInputs) {
        const plain = pickInputs(news as unknown as Record<string, unknown>);
        const report = await syncWithState(plain, olds.misses ?? {}, false);
        return { outs: outputsOf(plain, report) };
    },

    async read(id: string, props: TargetRegistrationOutputs) {
        const plain = pickInputs(props as unknown as Record<string, unknown>);
        const clients = createClients({ region: plain.region, assumeRoleArn: plain.assumeRoleArn });
        try {
            const current = await describeTargets(clients, plain.targetGroupArn, plain.port);
            const targets = current.filter((t) => !LEAVING_STATES.includes(t.state)).map((t) => t.ip);
            return { id, props: { ...props, targets } };
        } catch (err) {
            if (errorName(err) === "TargetGroupNotFound") {
                // The target group is gone: show that nothing is registered rather than failing the refresh.
                return { id, props: { ...props, targets: [] } };
            }
            throw err;
        } finally {
            destroyClients(clients);
        }
    },

    async delete(_id: string, props: TargetRegistrationOutputs) {
        const plain = pickInputs(props as unknown as Record<string, unknown>);
        const clients = createClients({ region: plain.region, assumeRoleArn: plain.assumeRoleArn });
        try {
            const current = await describeTargets(clients, plain.targetGroupArn, plain.port);
            const ips = current.filter((t) => !LEAVING_STATES.includes(t.state)).map((t) => t.ip);
            if (ips.length > 0) {
                await deregisterTargets(clients, plain.targetGroupArn, plain.port, ips);
            }
        } catch (err) {
            // Deleting the sync of a target group that no longer exists is already done.
            if (errorName(err) !== "TargetGroupNotFound" && !isTargetGroupNotFound(err)) {
                throw err;
            }
        } finally {
            destroyClients(clients);
        }
    },
};

/**
 * Registers the proxy's IPs in one target group at `pulumi up` and keeps them converged on every later up.
 * Type token `pulumi-nodejs:dynamic/target-sync:TargetRegistration`.
 */
export class TargetRegistration extends pulumi.dynamic.Resource {
    /** IPs registered on the port after the last sync or refresh. */
    declare readonly targets: pulumi.Output<string[]>;
    /** Miss state kept in this resource's state (empty when a state table is used). */
    declare readonly misses: pulumi.Output<Record<string, number>>;

    constructor(name: string, args: TargetRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            targetRegistrationProvider,
            name,
            { ...args, targets: undefined, misses: undefined },
            opts,
            REGISTRATION_MODULE,
            REGISTRATION_TYPE,
        );
    }
}
