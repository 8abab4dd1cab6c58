import * as pulumi from "@pulumi/pulumi";

/** The consumer stack is not built yet; it refuses to run rather than deploy part of itself. */
export async function appAccount(): Promise<Record<string, unknown>> {
    throw new pulumi.RunError(
        'The app-account stack is not implemented yet: set rds-cross-account:role to "db-account" or wait for the consumer stack.',
    );
}
