/**
 * The canary role's name, which both stacks derive: the app-account stack creates the role under it, and the
 * db-account stack can list `arn:aws:iam::<consumer account>:role/<name>` among a consumer's principals without a
 * value crossing between the stacks. Built from the producer stack's fully qualified name and the consumer's
 * database user, which each side knows; hashed so that it fits IAM's limits whatever they are.
 *
 * IAM role names: "Maximum 64 characters. Use alphanumeric and '+=,.@-_' characters" (IAM User Guide, "IAM object
 * quotas" / CreateRole `RoleName`, pattern `[\w+=,.@-]+`, length 1-64).
 *
 * Pure, free of Pulumi: the producer's side can import it.
 */
import { createHash } from "node:crypto";

const PREFIX = "rcx-canary-";
/** Hex digits of SHA-256 kept: 64 bits, so two consumers of one producer never meet by chance. */
const HASH_DIGITS = 16;
/** IAM's limit on a role name. */
export const ROLE_NAME_MAX = 64;

/**
 * `rcx-canary-<user, cut to fit, only IAM's characters>-<16 hex digits of SHA-256 over "<producerStack>\n<user>">`:
 * the readable part says whose it is, the hash makes it unique per producer stack and user.
 */
export function canaryRoleName(producerStack: string, databaseUser: string): string {
    const hash = createHash("sha256")
        .update(`${producerStack}\n${databaseUser}`)
        .digest("hex")
        .slice(0, HASH_DIGITS);
    const room = ROLE_NAME_MAX - PREFIX.length - 1 - HASH_DIGITS;
    const readable = databaseUser.replace(/[^\w+=,.@-]/g, "").slice(0, room);
    return readable ? `${PREFIX}${readable}-${hash}` : `${PREFIX}${hash}`;
}
