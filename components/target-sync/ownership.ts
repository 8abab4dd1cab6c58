/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * Which registration owns a target group's targets on one port: a tag on the target group itself, set by the
 * dynamic resource that last created or updated the registration, and read by `delete`.
 *
 * Why: Pulumi replaces a resource by creating the new one before deleting the old one (unless told to delete
 * first), and a URN change without an alias is a create of a "new" resource and a delete of the "old" one. Both
 * registrations name the same target group and port, so the old one's `delete` would deregister the targets the
 * new one has just registered. The tag is the one place both see: the old registration deregisters only when
 * the tag still names it (or names nobody, as before this tag existed). A DynamoDB item would not do: the state
 * table is a child of the component and is itself replaced with it.
 */
import type { SyncClients } from "./aws";
import { targetGroupNotFound } from "./target-group";
import { isTargetGroupNotFound } from "./elbv2";

/** The tag key naming the owner of the targets on `port`. */
export function ownerTagKey(port: number): string {
    return `rds-cross-account:target-sync-owner:${port}`;
}

/** A new owner mark, unique per registration. */
export function newOwnerMark(): string {
    const { randomUUID } = require("node:crypto") as typeof import("node:crypto");
    return randomUUID();
}

/** The mark of the registration that owns the targets on `port`, or undefined when none is set. */
export async function readOwner(
    clients: SyncClients,
    targetGroupArn: string,
    port: number,
): Promise<string | undefined> {
    const { DescribeTagsCommand } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    try {
        const out = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [targetGroupArn] }));
        const key = ownerTagKey(port);
        return out.TagDescriptions?.[0]?.Tags?.find((t) => t.Key === key)?.Value;
    } catch (err) {
        if (isTargetGroupNotFound(err)) throw targetGroupNotFound(targetGroupArn);
        throw err;
    }
}

/** Marks the targets on `port` as `owner`'s (one AddTags call, only when the mark differs). */
export async function claimOwnership(
    clients: SyncClients,
    targetGroupArn: string,
    port: number,
    owner: string,
): Promise<void> {
    if ((await readOwner(clients, targetGroupArn, port)) === owner) return;
    const { AddTagsCommand } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    await clients.elbv2.send(
        new AddTagsCommand({
            ResourceArns: [targetGroupArn],
            Tags: [{ Key: ownerTagKey(port), Value: owner }],
        }),
    );
}

/** Removes the mark of the targets on `port` (after the owner deregistered them). */
export async function releaseOwnership(
    clients: SyncClients,
    targetGroupArn: string,
    port: number,
): Promise<void> {
    const { RemoveTagsCommand } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    await clients.elbv2.send(
        new RemoveTagsCommand({ ResourceArns: [targetGroupArn], TagKeys: [ownerTagKey(port)] }),
    );
}
