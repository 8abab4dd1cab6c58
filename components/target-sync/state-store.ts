/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * Durable miss state for the scheduled Lambda: one DynamoDB item per target group and port.
 *
 * Why DynamoDB: the state must survive cold starts (DESIGN.md §4), may hold a few hundred IPs (beyond an
 * SSM standard parameter's 4 KB), and two overlapping invocations must not silently overwrite each other.
 * A conditional write on a version number gives that without locks, and the Lambda's role needs only
 * GetItem and PutItem on this one table.
 */
import type { SyncClients } from "./aws";
import type { MissState } from "./reconcile";

/** The miss state as stored, with the version the next write must match. */
export interface StoredMisses {
    readonly misses: Record<string, number>;
    /** 0 when no item exists yet. */
    readonly version: number;
}

/** The item key: one state per target group and port. */
export function stateKey(targetGroupArn: string, port: number): string {
    return `${targetGroupArn}#${port}`;
}

/** Reads the miss state (strongly consistent); a missing item is an empty state. */
export async function loadMisses(clients: SyncClients, table: string, key: string): Promise<StoredMisses> {
    const { GetItemCommand } =
        require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
    const out = await clients.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { id: { S: key } }, ConsistentRead: true }),
    );
    if (!out.Item) {
        return { misses: {}, version: 0 };
    }
    const raw = JSON.parse(out.Item.misses?.S ?? "{}") as Record<string, unknown>;
    const misses: Record<string, number> = {};
    for (const [ip, n] of Object.entries(raw)) {
        if (typeof n === "number" && Number.isInteger(n) && n > 0) {
            misses[ip] = n;
        }
    }
    return { misses, version: Number(out.Item.version?.N ?? "0") };
}

/**
 * Writes the miss state if nobody else wrote since `expectedVersion` was read; otherwise rejects, so a
 * concurrent run's counts are not lost (the next scheduled run starts from the winner's state).
 */
export async function saveMisses(
    clients: SyncClients,
    table: string,
    key: string,
    misses: MissState,
    expectedVersion: number,
): Promise<void> {
    const { PutItemCommand } =
        require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
    try {
        await clients.dynamodb.send(
            new PutItemCommand({
                TableName: table,
                Item: {
                    id: { S: key },
                    misses: { S: JSON.stringify(misses) },
                    version: { N: String(expectedVersion + 1) },
                },
                ConditionExpression: "attribute_not_exists(id) OR version = :v",
                ExpressionAttributeValues: { ":v": { N: String(expectedVersion) } },
            }),
        );
    } catch (err) {
        if ((err as { name?: string }).name === "ConditionalCheckFailedException") {
            const e = new Error(
                `Miss state for ${key} changed during this sync (another sync ran at the same time); this run's counts were not saved.`,
            );
            e.name = "ConcurrentSyncError";
            throw e;
        }
        throw err;
    }
}
