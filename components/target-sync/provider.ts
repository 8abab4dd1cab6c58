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
 * (cmd/dynamic-provider/index.js `read`), which is what makes out-of-band changes visible. What the methods call
 * lives beside them, under the same rules: provider-diff.ts (the input diff) and provider-run.ts (one sync).
 */
import * as pulumi from "@pulumi/pulumi";
import { assertTargetGroupAccount, createClients, destroyClients, errorName } from "./aws";
import { deregisterTargets, describeTargets, isTargetGroupNotFound } from "./elbv2";
import { validateInputs, type TargetRegistrationInputs, type TargetRegistrationOutputs } from "./inputs";
import { newOwnerMark, readOwner, releaseOwnership } from "./ownership";
import { diffInputs, hasDrift, pickInputs } from "./provider-diff";
import { isUnresolved, runSync, syncWithState } from "./provider-run";
import { LEAVING_STATES } from "./reconcile";
import type { IpSource } from "./sources";
import type { SyncReport } from "./sync";

export {
    INPUT_KEYS,
    UNKNOWN,
    validateInputs,
    type TargetRegistrationInputs,
    type TargetRegistrationOutputs,
    type UncheckedInputs,
} from "./inputs";
export { diffInputs, hasDrift, pickInputs, REPLACE_KEYS, type InputDiff } from "./provider-diff";
export { isUnresolved, runSync, syncWithState, unresolvedError } from "./provider-run";

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
    /** VPC of the proxy (and of the target group). */
    readonly vpcId: pulumi.Input<string>;
    /** The proxy's subnets: every registered address is inside them (their CIDRs are read from EC2). */
    readonly proxySubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The proxy's security groups; required for the eni source (its interfaces carry them). */
    readonly proxySecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
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
    /** Seconds create and update keep retrying a dns lookup that fails. @default 300 */
    readonly lookupWaitSeconds?: pulumi.Input<number>;
}

function outputsOf(
    inputs: TargetRegistrationInputs,
    result: { report: SyncReport; subnetCidrs: string[] },
    owner: string,
): TargetRegistrationOutputs {
    return {
        ...inputs,
        targets: result.report.targets,
        misses: inputs.stateTableName ? {} : result.report.misses,
        subnetCidrs: result.subnetCidrs,
        owner,
    };
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
        let report: SyncReport;
        try {
            report = await syncWithState(pickInputs(news), olds.misses ?? {}, true);
        } catch (err) {
            if (!isUnresolved(news, err)) throw err;
            // The machine running pulumi cannot resolve the proxy's name (a resolver that drops private answers,
            // a name not published yet): that says nothing about the target group, so a preview must not fail.
            // Drift is unknown (the engine then compares inputs only). A dynamic provider has no engine connection for
            // structured diagnostics (pulumi/pulumi#6065); the CLI passes its console output through
            // (pulumi/pulumi#18253), so this line is what the user sees.
            console.error(
                `warning: TargetRegistration ${news.targetGroupArn}: drift unknown, ${(err as Error).message} ` +
                    `The machine running pulumi cannot resolve ${String(news.proxyEndpoint)}; the scheduled sync resolves it inside the VPC.`,
            );
            return {
                changes: d.changed.length > 0 ? true : undefined,
                replaces: [],
                deleteBeforeReplace: false,
            };
        }
        const drift = hasDrift(report);
        return { changes: d.changed.length > 0 || drift, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs: TargetRegistrationInputs) {
        const plain = pickInputs(inputs);
        const owner = newOwnerMark();
        const result = await runSync(plain, {}, { dryRun: false, wait: true, owner });
        return { id: resourceId(plain), outs: outputsOf(plain, result, owner) };
    },

    async update(_id: string, olds: TargetRegistrationOutputs, news: TargetRegistrationInputs) {
        const plain = pickInputs(news);
        // A registration created before owner marks existed gets one now.
        const owner = olds.owner ?? newOwnerMark();
        const result = await runSync(plain, olds.misses ?? {}, { dryRun: false, wait: true, owner });
        return { outs: outputsOf(plain, result, owner) };
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
            const targets = current
                .filter((t) => t.port === plain.port && !LEAVING_STATES.includes(t.state))
                .map((t) => t.ip);
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
            // Another registration owns these targets now (a replacement created before this delete, or this
            // resource's successor after a URN change): its targets stay.
            const owner = await readOwner(clients, plain.targetGroupArn, plain.port);
            if (owner !== undefined && owner !== props.owner) {
                return;
            }
            // Its own targets: those on its port (a sync run removes any other).
            const current = await describeTargets(clients, plain.targetGroupArn, plain.port);
            const own = current.filter((t) => t.port === plain.port && !LEAVING_STATES.includes(t.state));
            if (own.length > 0) {
                await deregisterTargets(clients, plain.targetGroupArn, own);
            }
            if (owner !== undefined) {
                await releaseOwnership(clients, plain.targetGroupArn, plain.port);
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
    /** IPv4 CIDRs of the proxy's subnets as EC2 reported them (the Lambda's bounds for every address). */
    declare readonly subnetCidrs: pulumi.Output<string[]>;

    constructor(name: string, args: TargetRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            targetRegistrationProvider,
            name,
            { ...args, targets: undefined, misses: undefined, subnetCidrs: undefined, owner: undefined },
            opts,
            REGISTRATION_MODULE,
            REGISTRATION_TYPE,
        );
    }
}
