/**
 * One sync with its miss state, as all three ways of running it need it (DESIGN.md §4): with a state table,
 * the counts are loaded from it and saved back with the conditional write, so the dynamic provider, the
 * Lambda and the CLI count misses together; without one, the caller passes the counts in (the dynamic
 * resource's state, or none) and keeps the report's `misses` itself.
 *
 * Free of @pulumi/pulumi and of module-level state: the Lambda bundle includes it, and the dynamic provider
 * captures it by value (see provider.ts).
 */
import type { SyncClients } from "./aws";
import type { MissState } from "./reconcile";
import { loadMisses, saveMisses, stateKey } from "./state-store";
import { syncOnce, type SyncOptions, type SyncReport } from "./sync";

/** What one sync runs against, and where its miss state lives. */
export interface StoredSyncInputs extends Omit<SyncOptions, "dryRun"> {
    /** DynamoDB table holding the miss state. @default none: the counts passed in are used */
    readonly stateTableName?: string;
}

/** How to run it. */
export interface StoredSyncOptions {
    /** Plan only: make no mutating call and save no miss state. @default false */
    readonly dryRun?: boolean;
    /** Miss counts to start from when there is no state table (ignored with one). @default none */
    readonly misses?: MissState;
}

/**
 * Runs one sync. With `inputs.stateTableName` it loads the misses from the table and, unless `dryRun`, saves
 * the new ones conditionally (a concurrent run makes it reject with ConcurrentSyncError); without it, it
 * starts from `options.misses`.
 */
export async function syncWithStoredMisses(
    clients: SyncClients,
    inputs: StoredSyncInputs,
    options: StoredSyncOptions = {},
): Promise<SyncReport> {
    const dryRun = options.dryRun === true;
    if (!inputs.stateTableName) {
        return syncOnce(clients, { ...inputs, dryRun }, options.misses ?? {});
    }
    const key = stateKey(inputs.targetGroupArn, inputs.port);
    const stored = await loadMisses(clients, inputs.stateTableName, key);
    const report = await syncOnce(clients, { ...inputs, dryRun }, stored.misses);
    if (!dryRun) {
        await saveMisses(clients, inputs.stateTableName, key, report.misses, stored.version);
    }
    return report;
}
