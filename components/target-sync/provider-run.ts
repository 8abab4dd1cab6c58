/**
 * One sync as the dynamic provider runs it: the account checked, the proxy's subnet CIDRs read from EC2 (unless
 * given), the sync with its stored misses (run.ts), a dns lookup that does not resolve yet retried for
 * `lookupWaitSeconds` on create and update, and the targets claimed for the registration.
 *
 * Free of @pulumi/pulumi and of module-level state: the dynamic provider captures it by value (see provider.ts).
 */
import { assertTargetGroupAccount, createClients, destroyClients } from "./aws";
import { DEFAULT_LOOKUP_WAIT_SECONDS, type TargetRegistrationInputs } from "./inputs";
import { claimOwnership } from "./ownership";
import type { MissState } from "./reconcile";
import { syncWithStoredMisses } from "./run";
import { describeSubnetCidrs } from "./subnets";
import type { SyncReport } from "./sync";

/** True for a dns lookup that found nothing: the deploying machine cannot (yet) resolve the proxy's name. */
export function isUnresolved(inputs: Pick<TargetRegistrationInputs, "source">, err: unknown): boolean {
    const name = (err as { name?: string } | undefined)?.name;
    return inputs.source === "dns" && (name === "DnsLookupError" || name === "EmptyLookupError");
}

/** The error a create or update ends with when the proxy's name never resolved from this machine. */
export function unresolvedError(inputs: TargetRegistrationInputs, last: unknown, seconds: number): Error {
    const e = new Error(
        `${(last as Error).message} It did not resolve from the machine running pulumi for ${seconds} s. The dns ` +
            `source resolves ${String(inputs.proxyEndpoint)} where pulumi runs: run pulumi up from inside the ` +
            `proxy's VPC or from a network whose resolver answers the VPC's private names, or use source "eni" when ` +
            `the proxy has no read-only endpoint. If the endpoint is new, its name may not be published yet: ` +
            `run pulumi up again in a few minutes.`,
    );
    e.name = "DnsLookupError";
    return e;
}

/** How `runSync` runs. */
export interface RunOptions {
    /** Plan only. */
    readonly dryRun: boolean;
    /** Keep retrying a dns lookup that fails, up to lookupWaitSeconds (create and update). */
    readonly wait: boolean;
    /** Mark the target group's targets on the port as this registration's (create and update). */
    readonly owner?: string;
}

/**
 * Runs one sync with the miss state from the table, or from `previous` when there is no table: checks the
 * account, reads the proxy's subnet CIDRs from EC2 (unless given), syncs, and claims the targets.
 */
export async function runSync(
    inputs: TargetRegistrationInputs,
    previous: MissState,
    options: RunOptions,
): Promise<{ report: SyncReport; subnetCidrs: string[] }> {
    const clients = createClients({ region: inputs.region, assumeRoleArn: inputs.assumeRoleArn });
    try {
        await assertTargetGroupAccount(clients, inputs.targetGroupArn);
        const subnetCidrs =
            inputs.proxySubnetCidrs ??
            (await describeSubnetCidrs(clients, inputs.proxySubnetIds, inputs.vpcId));
        const seconds = inputs.lookupWaitSeconds ?? DEFAULT_LOOKUP_WAIT_SECONDS;
        const deadline = Date.now() + seconds * 1000;
        for (;;) {
            try {
                const report = await syncWithStoredMisses(
                    clients,
                    { ...inputs, subnetCidrs },
                    { dryRun: options.dryRun, misses: previous },
                );
                if (options.owner !== undefined) {
                    await claimOwnership(clients, inputs.targetGroupArn, inputs.port, options.owner);
                }
                return { report, subnetCidrs };
            } catch (err) {
                if (!options.wait || !isUnresolved(inputs, err)) throw err;
                const left = deadline - Date.now();
                if (left <= 0) throw unresolvedError(inputs, err, seconds);
                await new Promise((resolve) => setTimeout(resolve, Math.min(5000, left)));
            }
        }
    } finally {
        destroyClients(clients);
    }
}

/** Runs one sync without waiting or claiming (see `runSync`); the report only. */
export async function syncWithState(
    inputs: TargetRegistrationInputs,
    previous: MissState,
    dryRun: boolean,
): Promise<SyncReport> {
    return (await runSync(inputs, previous, { dryRun, wait: false })).report;
}
