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
import { assertTargetGroupAccount, createClients, destroyClients, errorName } from "./aws";
import { deregisterTargets, describeTargets, isTargetGroupNotFound } from "./elbv2";
import {
    INPUT_KEYS,
    UNKNOWN,
    validateInputs,
    type TargetRegistrationInputs,
    type TargetRegistrationOutputs,
    type UncheckedInputs,
} from "./inputs";
import { LEAVING_STATES, type MissState } from "./reconcile";
import type { IpSource } from "./sources";
import { syncWithStoredMisses } from "./run";
import type { SyncReport } from "./sync";

export {
    INPUT_KEYS,
    UNKNOWN,
    validateInputs,
    type TargetRegistrationInputs,
    type TargetRegistrationOutputs,
    type UncheckedInputs,
} from "./inputs";

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

/** Runs one sync with the miss state from the table, or from `previous` when there is no table. */
export async function syncWithState(
    inputs: TargetRegistrationInputs,
    previous: MissState,
    dryRun: boolean,
): Promise<SyncReport> {
    const clients = createClients({ region: inputs.region, assumeRoleArn: inputs.assumeRoleArn });
    try {
        await assertTargetGroupAccount(clients, inputs.targetGroupArn);
        return await syncWithStoredMisses(clients, inputs, { dryRun, misses: previous });
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
export const targetRegistrationProvider: pulumi.dynamic.ResourceProvider<
    TargetRegistrationInputs,
    TargetRegistrationOutputs
> = {
    // The engine passes the inputs as the program gave them: `check` is where they are validated.
    async check(_olds: TargetRegistrationInputs, news: TargetRegistrationInputs) {
        const failures = validateInputs(news).map((p) => ({ property: p.path, reason: p.message }));
        return { inputs: news, failures };
    },

    async diff(_id: string, olds: TargetRegistrationOutputs, news: TargetRegistrationInputs) {
        const d = diffInputs(olds, news);
        if (d.unknown || d.replaces.length > 0) {
            return { changes: true, replaces: d.replaces, deleteBeforeReplace: false };
        }
        // Drift: what a sync with the new inputs would do to the target group right now.
        const report = await syncWithState(pickInputs(news), olds.misses ?? {}, true);
        const drift = hasDrift(report);
        return { changes: d.changed.length > 0 || drift, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs: TargetRegistrationInputs) {
        const plain = pickInputs(inputs);
        const report = await syncWithState(plain, {}, false);
        return { id: resourceId(plain), outs: outputsOf(plain, report) };
    },

    async update(_id: string, olds: TargetRegistrationOutputs, news: TargetRegistrationInputs) {
        const plain = pickInputs(news);
        const report = await syncWithState(plain, olds.misses ?? {}, false);
        return { outs: outputsOf(plain, report) };
    },

    async read(id: string, props?: TargetRegistrationOutputs) {
        if (!props) {
            // The SDK's type allows it; its host passes the last outputs on refresh (the inputs on a get).
            throw new Error(`TargetRegistration ${id} cannot be read without its last outputs or inputs.`);
        }
        const plain = pickInputs(props);
        const clients = createClients({ region: plain.region, assumeRoleArn: plain.assumeRoleArn });
        try {
            await assertTargetGroupAccount(clients, plain.targetGroupArn);
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
        const plain = pickInputs(props);
        const clients = createClients({ region: plain.region, assumeRoleArn: plain.assumeRoleArn });
        try {
            // Wrong credentials fail the delete (the catch below only forgives a missing target group).
            await assertTargetGroupAccount(clients, plain.targetGroupArn);
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
