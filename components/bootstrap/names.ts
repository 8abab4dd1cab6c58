/**
 * The bootstrap's marker role by default. The rules for user, role and database names and passwords are the
 * vocabulary's (vocabulary/database-names.ts), re-exported here for the bootstrap's modules.
 */
import { createHash } from "node:crypto";
import { MARKER_ROLE_PREFIX } from "../../vocabulary/database-names";

export {
    databaseNameRule,
    databasePasswordRule,
    databaseRoleRule,
    databaseUserRule,
    MARKER_ROLE_PREFIX,
    markerRoleRule,
    maxNameLength,
} from "../../vocabulary/database-names";

/**
 * The default marker role of the bootstrap `name` of `stack` in `project`: the prefix and the first 16 hex digits
 * of SHA-256 over the three, so that bootstraps of different stacks (or two in one stack) on one cluster never
 * share a marker. Renaming the component or the stack changes it (see docs/database-users.md).
 */
export function defaultMarkerRole(project: string, stack: string, name: string): string {
    const digest = createHash("sha256").update(`${project}\n${stack}\n${name}`).digest("hex");
    return `${MARKER_ROLE_PREFIX}${digest.slice(0, 16)}`;
}
