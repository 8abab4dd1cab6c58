/**
 * How the existing-database lookup (./existing-lookup.ts) talks to AWS: its clients (injectable, so that tests point
 * them at moto), the IAM actions it needs, and how an AWS error becomes a refusal that names the config key.
 */
import * as ec2 from "@aws-sdk/client-ec2";
import * as rds from "@aws-sdk/client-rds";
import * as sm from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { LookupRequest, LookupResult } from "./existing-facts";

/** The clients a lookup uses; built per lookup, destroyed after it. */
export interface LookupClients {
    readonly rds: rds.RDSClient;
    readonly secrets: sm.SecretsManagerClient;
    /** For the database VPC's tenancy (DescribeVpcs). */
    readonly ec2: ec2.EC2Client;
    /** Who the credentials are: asked only to explain a database that was not found. */
    callerAccount(): Promise<string | undefined>;
    destroy(): void;
}

/** Builds the clients for a request's region and role. */
export type LookupClientFactory = (target: { region: string; assumeRoleArn?: string }) => LookupClients;

/**
 * The IAM actions the deploying credentials need for the lookup, exactly (Service Authorization Reference, "Actions,
 * resources, and condition keys for Amazon RDS", "... for AWS Secrets Manager", "... for Amazon EC2"). Parameter
 * values are read with DescribeDBClusterParameters / DescribeDBParameters, the VPC's tenancy with DescribeVpcs;
 * `secretsmanager:DescribeSecret` only when config names `masterSecretArn`.
 */
export const LOOKUP_ACTIONS = {
    cluster: [
        "rds:DescribeDBClusters",
        "rds:DescribeDBInstances",
        "rds:DescribeDBSubnetGroups",
        "rds:DescribeDBClusterParameters",
        "ec2:DescribeVpcs",
    ],
    instance: ["rds:DescribeDBInstances", "rds:DescribeDBParameters", "ec2:DescribeVpcs"],
    secret: ["secretsmanager:DescribeSecret"],
} as const;

/** SDK attempts per call: the standard retry mode rides out throttling without letting a preview hang. */
const MAX_ATTEMPTS = 5;

/** The default clients: region, default credential chain or the assumed role, SDK endpoint resolution. */
export function defaultLookupClients(target: { region: string; assumeRoleArn?: string }): LookupClients {
    const credentials = target.assumeRoleArn
        ? fromTemporaryCredentials({
              params: { RoleArn: target.assumeRoleArn, RoleSessionName: "rds-cross-account-lookup" },
              clientConfig: { region: target.region, maxAttempts: MAX_ATTEMPTS },
          })
        : undefined;
    const config = { region: target.region, maxAttempts: MAX_ATTEMPTS, retryMode: "standard", credentials };
    const clients = {
        rds: new rds.RDSClient(config),
        secrets: new sm.SecretsManagerClient(config),
        ec2: new ec2.EC2Client(config),
        sts: new STSClient(config),
    };
    return {
        rds: clients.rds,
        secrets: clients.secrets,
        ec2: clients.ec2,
        callerAccount: async () => {
            try {
                return (await clients.sts.send(new GetCallerIdentityCommand({}))).Account;
            } catch {
                return undefined;
            }
        },
        destroy: () => Object.values(clients).forEach((c) => c.destroy()),
    };
}

export type Refused = Extract<LookupResult, { refused: unknown }>["refused"];

/** Thrown inside a lookup to end it with a refusal. */
export class Refusal extends Error {
    constructor(readonly refused: Refused) {
        super(refused.why);
    }
}

export function keyOf(request: LookupRequest): string {
    return `database.existing.${request.form.kind === "cluster" ? "clusterIdentifier" : "instanceIdentifier"}`;
}

/** The SDK's name for an error (`DBClusterNotFoundFault`, `AccessDenied`, …), or "". */
export function errorName(err: unknown): string {
    if (err && typeof err === "object") {
        const e = err as { name?: unknown; Code?: unknown };
        for (const v of [e.name, e.Code]) if (typeof v === "string" && v !== "Error") return v;
    }
    return "";
}

export const NOT_FOUND = new Set([
    "DBClusterNotFoundFault",
    "DBInstanceNotFoundFault",
    "DBInstanceNotFound",
    "DBClusterNotFound",
    "ResourceNotFoundException",
]);

export const DENIED = new Set([
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "NotAuthorized",
]);

function actionsFor(request: LookupRequest): string[] {
    return [
        ...LOOKUP_ACTIONS[request.form.kind],
        ...(request.form.masterSecretArn !== undefined ? LOOKUP_ACTIONS.secret : []),
    ];
}

/** Runs `call`; a denial or a failure becomes a refusal at `key` (`what` names the call in the message). */
export async function ask<T>(
    request: LookupRequest,
    key: string,
    value: string,
    what: string,
    call: () => Promise<T>,
): Promise<T> {
    try {
        return await call();
    } catch (err) {
        if (err instanceof Refusal || NOT_FOUND.has(errorName(err))) throw err;
        const actions = actionsFor(request);
        if (DENIED.has(errorName(err))) {
            throw new Refusal({
                key,
                value,
                why: `the deploying credentials may not call ${what} in ${request.region} (${errorName(err)})`,
                fix:
                    `Allow the deploying credentials${request.assumeRoleArn ? ` (the role ${request.assumeRoleArn})` : ""} ` +
                    `these IAM actions: ${actions.join(", ")}.`,
            });
        }
        throw new Refusal({
            key,
            value,
            why: `${what} in ${request.region} gave no usable answer (${errorName(err) || "error"}: ${
                err instanceof Error ? err.message : String(err)
            })`,
            fix: `Check that the RDS API of ${request.region} is reachable with the deploying credentials, which need ${actions.join(", ")}, and run the preview again.`,
        });
    }
}

export async function notFound(
    c: LookupClients,
    request: LookupRequest,
    key: string,
    value: string,
): Promise<never> {
    const what = request.form.kind === "cluster" ? "DB cluster" : "DB instance";
    const caller = await c.callerAccount();
    const whose =
        caller !== undefined && caller !== request.accountId
            ? `; the deploying credentials are of account ${caller}, not the stack's accountId ${request.accountId}`
            : "";
    throw new Refusal({
        key,
        value,
        why: `there is no ${what} of that identifier in account ${request.accountId}, region ${request.region}${whose}`,
        fix: `Set '${key}' in {file} to the identifier of an existing ${what} (aws rds ${
            request.form.kind === "cluster" ? "describe-db-clusters" : "describe-db-instances"
        } --region ${request.region} lists them; ${
            request.form.kind === "cluster"
                ? "an RDS instance is named by 'database.existing.instanceIdentifier'"
                : "an Aurora cluster is named by 'database.existing.clusterIdentifier'"
        }), and deploy with credentials of account ${request.accountId}.`,
    });
}

export function assertAccount(
    request: LookupRequest,
    key: string,
    value: string,
    arn: string | undefined,
): string {
    const account = arn?.split(":")[4];
    if (arn === undefined || account !== request.accountId) {
        throw new Refusal({
            key,
            value,
            why: `that database (${arn ?? "no ARN"}) is in account ${account ?? "unknown"}, and the stack's accountId is ${request.accountId}: RDS Proxy must be in the database's account and VPC`,
            fix: `Deploy the db-account stack in account ${account ?? "of the database"} (rds-cross-account:accountId), or name a database of account ${request.accountId}.`,
        });
    }
    return arn;
}

/** Every page of a Marker-paginated Describe call. */
export async function allPages<P extends { Marker?: string }, T>(
    page: (marker: string | undefined) => Promise<P>,
    items: (p: P) => T[],
): Promise<T[]> {
    const out: T[] = [];
    let marker: string | undefined;
    do {
        const p = await page(marker);
        out.push(...items(p));
        marker = p.Marker;
    } while (marker);
    return out;
}
