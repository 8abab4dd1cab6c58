/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * AWS clients for the sync. Every entry point (dynamic provider, Lambda, CLI) creates its clients here, at
 * call time, never at module load: the dynamic provider is serialized by Pulumi and must not capture a
 * client (DESIGN.md §4, STYLE §12).
 *
 * Endpoints are left to the SDK's own resolution, which honors `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_<SERVICE>` (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html); nothing
 * here sets an endpoint, so that behavior is never overridden. Credentials come from the environment's
 * default chain, or from an STS AssumeRole made with it when `assumeRoleArn` is set; they are never inputs.
 */

/** Where and as whom the clients talk to AWS. */
export interface AwsTarget {
    /** Region of the target group and the proxy. */
    readonly region: string;
    /** Role to assume first (the same role the stack's aws provider assumes), if any. */
    readonly assumeRoleArn?: string;
}

/** Called once per API call attempt with the SDK command name; used for the API-call counts. */
export type CallObserver = (service: string, command: string) => void;

/** The three clients the sync uses, typed loosely to keep SDK imports out of module scope. */
export interface SyncClients {
    readonly ec2: import("@aws-sdk/client-ec2").EC2Client;
    readonly elbv2: import("@aws-sdk/client-elastic-load-balancing-v2").ElasticLoadBalancingV2Client;
    readonly dynamodb: import("@aws-sdk/client-dynamodb").DynamoDBClient;
}

/**
 * Attempts per call, including the first. The SDK's standard retry mode retries throttling and transient
 * errors with exponential backoff and jitter; 5 attempts ride out a burst of throttling from ELBv2's
 * per-account API rate limits without letting a scheduled run hang.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export const MAX_ATTEMPTS = 5;

/** Creates the sync's clients. Call it inside the method that uses them. */
export function createClients(target: AwsTarget, observe?: CallObserver): SyncClients {
    const { EC2Client } = require("@aws-sdk/client-ec2") as typeof import("@aws-sdk/client-ec2");
    const { ElasticLoadBalancingV2Client } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    const { DynamoDBClient } =
        require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");

    let credentials: import("@aws-sdk/types").AwsCredentialIdentityProvider | undefined;
    if (target.assumeRoleArn) {
        const { fromTemporaryCredentials } =
            require("@aws-sdk/credential-providers") as typeof import("@aws-sdk/credential-providers");
        const assume = fromTemporaryCredentials({
            params: { RoleArn: target.assumeRoleArn, RoleSessionName: "rds-cross-account-target-sync" },
            clientConfig: { region: target.region, maxAttempts: MAX_ATTEMPTS },
        });
        // One AssumeRole shared by the three clients (each would otherwise call STS itself), renewed 5
        // minutes before the session expires; a failed attempt is not cached.
        let session: Promise<import("@aws-sdk/types").AwsCredentialIdentity> | undefined;
        let expiresAt = 0;
        credentials = async () => {
            if (!session || Date.now() > expiresAt - 5 * 60_000) {
                session = assume().then(
                    (c) => {
                        expiresAt = c.expiration ? c.expiration.getTime() : Number.MAX_SAFE_INTEGER;
                        return c;
                    },
                    (err: unknown) => {
                        session = undefined;
                        throw err;
                    },
                );
                expiresAt = Number.MAX_SAFE_INTEGER;
            }
            return session;
        };
    }
    const config = { region: target.region, maxAttempts: MAX_ATTEMPTS, retryMode: "standard", credentials };
    const clients: SyncClients = {
        ec2: new EC2Client(config),
        elbv2: new ElasticLoadBalancingV2Client(config),
        dynamodb: new DynamoDBClient(config),
    };
    if (observe) {
        for (const [service, client] of Object.entries(clients) as [
            string,
            { middlewareStack: import("@smithy/types").MiddlewareStack<object, object> },
        ][]) {
            // "finalizeRequest" runs once per attempt, after the retry middleware, so retried calls count.
            const middleware: import("@smithy/types").FinalizeRequestMiddleware<object, object> =
                (next, context) => async (args) => {
                    observe(service, context.commandName ?? "unknown");
                    return next(args);
                };
            client.middlewareStack.add(middleware, {
                step: "finalizeRequest",
                name: "targetSyncCallObserver",
            });
        }
    }
    return clients;
}

/** Destroys clients' sockets so short-lived callers (CLI, tests) exit promptly. */
export function destroyClients(clients: SyncClients): void {
    clients.ec2.destroy();
    clients.elbv2.destroy();
    clients.dynamodb.destroy();
}

/** The error name/code the SDK gives, for matching "not found" and throttling answers. */
export function errorName(err: unknown): string {
    if (err && typeof err === "object") {
        const e = err as { name?: unknown; Code?: unknown; code?: unknown };
        for (const v of [e.name, e.Code, e.code]) {
            if (typeof v === "string" && v !== "Error") {
                return v;
            }
        }
    }
    return "";
}

/**
 * Refuses credentials of another account than the target group's. The stack's aws provider has
 * `allowedAccountIds`; this resource calls AWS with its own clients, so it checks for itself. Without it, a
 * `delete` run with the wrong profile would read "target group not found" as "already gone" and drop the
 * resource from state while its targets stay registered.
 */
export async function assertTargetGroupAccount(clients: SyncClients, targetGroupArn: string): Promise<void> {
    const { STSClient, GetCallerIdentityCommand } =
        require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
    const sts = new STSClient({
        region: await clients.elbv2.config.region(),
        credentials: clients.elbv2.config.credentials,
    });
    try {
        const { Account } = await sts.send(new GetCallerIdentityCommand({}));
        const expected = targetGroupArn.split(":")[4];
        if (Account !== expected) {
            throw new Error(
                `The AWS credentials of this deployment belong to account ${Account}, but target group ` +
                    `${targetGroupArn} is in account ${expected}. Run with credentials for account ${expected} ` +
                    `(the stack's rds-cross-account:accountId), or the role in assumeRoleArn.`,
            );
        }
    } finally {
        sts.destroy();
    }
}
