/**
 * The canary role's name, which both stacks derive: the app-account stack creates the role under it, and the
 * db-account stack admits `arn:<partition>:iam::<consumer account>:role/<name>` when a consumer's `principals` are
 * narrowed (vocabulary/access/principals.ts), without a value crossing between the stacks. Built from the producer's
 * project and stack names and the consumer's database user, which each side knows for sure: the consumer from its
 * `producerStack` (`<organization>/<project>/<stack>`) and the contract, the producer from its own project and stack
 * and its config. The organization is left out: the producer cannot be sure to spell it as the consumer's config
 * does (a self-managed backend's, the case a consumer writes it in), and a wrong guess would lock the canary out.
 * Hashed so that it fits IAM's limits whatever the names are.
 *
 * IAM role names: "Maximum 64 characters. Use alphanumeric and '+=,.@-_' characters" (IAM User Guide, "IAM object
 * quotas" / CreateRole `RoleName`, pattern `[\w+=,.@-]+`, length 1-64).
 *
 * Pure, free of Pulumi: the producer's side imports it.
 */
import { createHash } from "node:crypto";

const PREFIX = "rcx-canary-";
/** Hex digits of SHA-256 kept: 64 bits, so two consumers of one producer never meet by chance. */
const HASH_DIGITS = 16;
/** IAM's limit on a role name. */
export const ROLE_NAME_MAX = 64;

/** The producer as the role name knows it, `<project>/<stack>`, from a stack's fully qualified name. */
export function canaryProducerOf(qualifiedStackName: string): string {
    return qualifiedStackName.split("/").slice(-2).join("/");
}

/**
 * `rcx-canary-<user, cut to fit, only IAM's characters>-<16 hex digits of SHA-256 over "<producer>\n<user>">`, where
 * `producer` is the db-account stack's `<project>/<stack>` ({@link canaryProducerOf}): the readable part says whose
 * it is, the hash makes it unique per producer stack and user.
 */
export function canaryRoleName(producer: string, databaseUser: string): string {
    const hash = createHash("sha256")
        .update(`${producer}\n${databaseUser}`)
        .digest("hex")
        .slice(0, HASH_DIGITS);
    const room = ROLE_NAME_MAX - PREFIX.length - 1 - HASH_DIGITS;
    const readable = databaseUser.replace(/[^\w+=,.@-]/g, "").slice(0, room);
    return readable ? `${PREFIX}${readable}-${hash}` : `${PREFIX}${hash}`;
}

/** The ARN of a consumer's canary role, as the producer admits it. */
export function canaryRoleArn(
    partition: string,
    consumerAccountId: string,
    producer: string,
    databaseUser: string,
): string {
    return `arn:${partition}:iam::${consumerAccountId}:role/${canaryRoleName(producer, databaseUser)}`;
}
