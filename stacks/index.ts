/**
 * Entry point of the rds-cross-account program. The stack's role decides what it deploys:
 * `db-account` (producer: Aurora, RDS Proxy, NLB, endpoint service) or `app-account` (consumer: interface
 * endpoint, private DNS). Each role's module reads and validates its own config before creating anything.
 */
import * as pulumi from "@pulumi/pulumi";

export const ROLES = ["db-account", "app-account"] as const;
export type Role = (typeof ROLES)[number];

/** Runs the stack selected by `rds-cross-account:role` and returns its outputs. */
export async function main(): Promise<Record<string, unknown>> {
    const role = new pulumi.Config("rds-cross-account").get("role");
    switch (role) {
        case "db-account":
            return (await import("./db-account")).dbAccount();
        case "app-account":
            return (await import("./app-account")).appAccount();
        default:
            throw new pulumi.RunError(
                `Config 'rds-cross-account:role' is ${role === undefined ? "not set" : JSON.stringify(role)}, but it must be ` +
                    `one of ${ROLES.map((r) => `"${r}"`).join(", ")}. Set it with: pulumi config set rds-cross-account:role db-account.`,
            );
    }
}
