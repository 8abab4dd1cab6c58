/**
 * Every policy document of a recorded stack, measured as AWS counts it against its limit
 * (vocabulary/access/limits.ts): each role's inline policies together, each managed policy, each trust policy,
 * each KMS key policy and each secret's resource policy. The policy-size tests assert the limits; the bench prints
 * the largest of each kind.
 */
import { maxConsumerNameLength } from "../../stacks/names";
import {
    ACCESS_MODES,
    ENGINES,
    maxNameLength,
    modeOf,
    parseReference,
    POLICY_LIMITS,
    policySize,
    type AccessKind,
    type Engine,
} from "../../vocabulary";
import { offlineAwsAnswers } from "./aws-answers";
import { offlineDatabaseLookup } from "./database-answers";
import { dbAccountStateIn } from "./computed-state";
import { defaultRegion, runStack, type RecordedResource, type StackRun } from "./harness";

const ACCOUNT = "111111111111";

/** The longest database user any engine accepts, and an engine that accepts it. */
const LONGEST_USER = Math.max(...ENGINES.map(maxNameLength));
const LONGEST_USER_ENGINE = ENGINES.find((e) => maxNameLength(e) === LONGEST_USER) as Engine;

/** The existing VPC the measured stack publishes its database in. */
const NETWORK = {
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
};
const computed = dbAccountStateIn(defaultRegion);

/** Real-shaped ARNs of the longest kind: auto-named roles and secrets carry Pulumi's 8-character suffix. */
function longestArns(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const state = computed(type, name, inputs);
    const at = (service: string) => `arn:aws:${service}:${defaultRegion}:${ACCOUNT}`;
    switch (type) {
        case "aws:iam/role:Role":
            return { ...state, arn: `arn:aws:iam::${ACCOUNT}:role/${name}-a1b2c3d` };
        case "aws:kms/key:Key":
            return { ...state, arn: `${at("kms")}:key/00000000-0000-4000-8000-000000000000` };
        case "aws:secretsmanager/secret:Secret":
            return { ...state, arn: `${at("secretsmanager")}:secret:${name}-a1b2c3d-AbCdEf` };
        case "aws:rds/proxy:Proxy":
            return { ...state, arn: `${at("rds")}:db-proxy:prx-0123456789abcdef0` };
        case "aws:rds/cluster:Cluster":
            return { ...state, clusterResourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
        default:
            return state;
    }
}

/**
 * `n` consumers with the longest names the mode accepts and database users of `userLength` (by default the longest any
 * engine accepts, MariaDB's),
 * each with the account root and a role of the longest name as principals.
 */
export function longestConsumers(kind: AccessKind, n: number, userLength = LONGEST_USER) {
    // The name also names the connect role in iam mode; otherwise the schema's 32 characters.
    const nameLength = kind === ACCESS_MODES.iam.auth ? maxConsumerNameLength("db-account", "-connect") : 32;
    return Array.from({ length: n }, (_, i) => {
        const accountId = String(300000000000 + i);
        const id = String(i).padStart(4, "0");
        return {
            name: `c${id}-`.padEnd(nameLength, "x"),
            accountId,
            principals: [
                `arn:aws:iam::${accountId}:root`,
                `arn:aws:iam::${accountId}:role/${"r".repeat(64)}`,
            ],
            databaseUser: `u${id}_`.padEnd(userLength, "x"),
        };
    });
}

/**
 * The two databases the sizes are measured with: a new cluster with a reader (its read-only endpoint adds the second
 * sync function and its role), and an existing database of the engine whose user names are the longest (the
 * consumers' documents name their users). No one config has both, so each document's largest is the larger of the two.
 */
export const MEASURED_DATABASES = ["new-cluster", "existing-longest-users"] as const;

export type MeasuredDatabase = (typeof MEASURED_DATABASES)[number];

/** Runs the db-account stack under mocks with `n` of the longest consumers in mode `kind`, on `database`. */
export function runWithLongestConsumers(
    kind: AccessKind,
    n: number,
    database: MeasuredDatabase = "existing-longest-users",
): Promise<StackRun> {
    const existing = database === "existing-longest-users";
    return runStack({
        stack: "db-account",
        config: {
            accountId: ACCOUNT,
            ...(existing
                ? { network: NETWORK, database: { existing: { instanceIdentifier: "d".repeat(63) } } }
                : { network: { cidrBlock: "10.20.0.0/16", azCount: 3 } }),
            applicationAuth: kind,
            consumers: longestConsumers(
                kind,
                n,
                existing ? LONGEST_USER : maxNameLength("aurora-postgresql"),
            ),
        },
        calls: offlineAwsAnswers({ region: defaultRegion, ...(existing ? NETWORK : {}) }),
        databases: offlineDatabaseLookup({ ...NETWORK, engine: LONGEST_USER_ENGINE }),
        state: longestArns,
    });
}

/** The kinds of policy documents, named as in `POLICY_LIMITS`. */
export type PolicyKind = keyof typeof POLICY_LIMITS;

/** One measured document (or, for inline policies, one role's documents together). */
export interface PolicyMeasure {
    readonly kind: PolicyKind;
    /** The resource the document belongs to: the role, the managed policy, the key or the secret policy. */
    readonly resource: string;
    readonly size: number;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Measures every policy document of `resources` (a run under mocks: the mock gives a resource the ID `<name>-id`). */
export function measurePolicies(resources: readonly RecordedResource[]): PolicyMeasure[] {
    const measures: PolicyMeasure[] = [];
    const size = (kind: PolicyKind, document: string) => policySize(document, POLICY_LIMITS[kind]);
    const inline = new Map<string, number>();
    const roleOfId = new Map<string, string>();
    for (const r of resources) {
        const { inputs } = r;
        switch (r.type) {
            case "aws:iam/role:Role": {
                roleOfId.set(`${r.name}-id`, r.name);
                const trust = text(inputs.assumeRolePolicy);
                if (trust)
                    measures.push({
                        kind: "roleTrustPolicy",
                        resource: r.name,
                        size: size("roleTrustPolicy", trust),
                    });
                // Inline policies given on the role itself count with its RolePolicy resources.
                for (const p of (inputs.inlinePolicies as { policy?: string }[] | undefined) ?? []) {
                    if (p.policy)
                        inline.set(r.name, (inline.get(r.name) ?? 0) + size("roleInlinePolicies", p.policy));
                }
                break;
            }
            case "aws:iam/rolePolicy:RolePolicy": {
                const role = String(inputs.role);
                const policy = text(inputs.policy);
                if (policy) inline.set(role, (inline.get(role) ?? 0) + size("roleInlinePolicies", policy));
                break;
            }
            case "aws:iam/policy:Policy": {
                const policy = text(inputs.policy);
                if (policy)
                    measures.push({
                        kind: "managedPolicy",
                        resource: r.name,
                        size: size("managedPolicy", policy),
                    });
                break;
            }
            case "aws:kms/key:Key": {
                const policy = text(inputs.policy);
                if (policy)
                    measures.push({
                        kind: "kmsKeyPolicy",
                        resource: r.name,
                        size: size("kmsKeyPolicy", policy),
                    });
                break;
            }
            case "aws:secretsmanager/secretPolicy:SecretPolicy": {
                const policy = text(inputs.policy);
                if (policy)
                    measures.push({
                        kind: "secretPolicy",
                        resource: r.name,
                        size: size("secretPolicy", policy),
                    });
                break;
            }
        }
    }
    for (const [role, total] of inline) {
        measures.push({ kind: "roleInlinePolicies", resource: roleOfId.get(role) ?? role, size: total });
    }
    return measures;
}

/**
 * The consumers' managed policy: the policy each consumer's app-account stack writes for its applications (the
 * mode's application policy, components/consumer/application-access.ts), for each reference of the exported
 * contract.
 */
export function measureApplicationPolicies(run: StackRun): PolicyMeasure[] {
    const contract = run.outputs.contract as { consumers?: Record<string, unknown>[] } | undefined;
    return (contract?.consumers ?? []).map((c) => {
        const parsed = parseReference(c, { betweenFields: false });
        if (!("reference" in parsed)) throw new Error(`not a reference: ${JSON.stringify(c)}`);
        const reference = parsed.reference;
        const document = JSON.stringify(modeOf(reference).applicationPolicy(reference));
        return {
            kind: "managedPolicy" as const,
            resource: `application policy of ${String(c.accountId)}`,
            size: policySize(document, POLICY_LIMITS.managedPolicy),
        };
    });
}

/** The largest measure of each kind that `measures` has. */
export function largestOfEachKind(
    measures: readonly PolicyMeasure[],
): Partial<Record<PolicyKind, PolicyMeasure>> {
    const largest: Partial<Record<PolicyKind, PolicyMeasure>> = {};
    for (const m of measures) {
        const best = largest[m.kind];
        if (!best || m.size > best.size) largest[m.kind] = m;
    }
    return largest;
}
