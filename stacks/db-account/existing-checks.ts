/**
 * What the db-account stack refuses, and warns of, in an existing database (`database.existing`), judged from the
 * facts the RDS API reported (./existing-facts.ts, ./existing-lookup.ts) before anything is created. Pure: every
 * problem at once, in the config's message format (`Config '<key>' is <value>, but <why>. <fix>`), and warnings as
 * sentences for `pulumi.log.warn`. Each rule's source is cited beside it and in docs/existing-database.md.
 */
import {
    accessMode,
    ENGINE_FACTS,
    ENGINES,
    enginePort,
    problem,
    proxyEngineFamily,
    readsSecrets,
    render,
    tlsParameter,
    type AccessKind,
    type Engine,
    type Problem,
} from "../../vocabulary";
import type { NetworkConfig } from "../config/common";
import { configSurface, stackFile } from "../config/kit";
import {
    shellWord,
    type ExistingDatabaseFacts,
    type ExistingDatabaseForm,
    type MasterSecretFacts,
} from "./existing-facts";

/** What of the stack's own config and place the checks need. */
export interface ExistingContext {
    /** The stack's name, for the stack file and CLI commands in messages. */
    readonly stackName: string;
    /** The stack's region (`aws:region`), for the CLI commands in messages. */
    readonly region: string;
    /** How applications authenticate (`applicationAuth`). */
    readonly applicationAuth: AccessKind;
    /** The config's `network`: it must be the existing-VPC form, in the database's VPC. */
    readonly network: NetworkConfig;
}

/** The verdict: problems refuse the config; warnings are shown at preview and the stack goes on. */
export interface ExistingVerdict {
    readonly problems: Problem[];
    readonly warnings: string[];
}

/**
 * Statuses that refuse (RDS User Guide, "Viewing Amazon RDS DB instance status"): going away, stopped, or broken in a
 * way that needs the owner; the bootstrap connects at `pulumi up`. Any other but `available` passes and only warns.
 */
const REFUSED_STATUS =
    /^(deleting|failed|stopped|stopping|restore-error|storage-full|inaccessible-encryption-credentials.*|incompatible-.*)$/;

/** The config key naming the database, below the namespace. */
export function identifierKey(form: ExistingDatabaseForm): string {
    return `database.existing.${form.kind === "cluster" ? "clusterIdentifier" : "instanceIdentifier"}`;
}

/** The `aws rds` verb and identifier option of a cluster or an instance. */
function cli(
    kind: "cluster" | "instance",
    verb: "modify" | "start" | "describe",
    id: string,
    region: string,
) {
    const noun = kind === "cluster" ? "db-cluster" : "db-instance";
    return `aws rds ${verb}-${noun}${verb === "describe" ? "s" : ""} --${noun}-identifier ${shellWord(id)} --region ${region}`;
}

function isEngine(engine: string): engine is Engine {
    return (ENGINES as readonly string[]).includes(engine);
}

/** Every problem and warning of publishing `facts` as `form` with `context`. */
export function checkExistingDatabase(
    form: ExistingDatabaseForm,
    facts: ExistingDatabaseFacts,
    context: ExistingContext,
): ExistingVerdict {
    const surface = configSurface(context.stackName);
    const file = stackFile(context.stackName);
    const problems: Problem[] = [];
    const warnings: string[] = [];
    const key = identifierKey(form);
    const id = form.identifier;
    const { region } = context;
    const what = `the DB ${facts.kind} ${render(id)}`;
    const reject = (path: string, value: unknown, why: string, fix: string) =>
        problems.push(problem(surface, path, value, why, fix.replaceAll("{file}", file)));

    if (!isEngine(facts.engine)) {
        reject(
            key,
            id,
            `it runs the engine ${render(facts.engine)}, and this project publishes ${ENGINES.map(
                (e) => `${ENGINE_FACTS[e].label} (${e})`,
            ).join(", ")}`,
            `Name a database of one of those engines in {file}.`,
        );
    }
    // RDS Proxy fronts Aurora Serverless v2 (engine mode provisioned) but not Serverless v1 (engine mode serverless)
    // (RDS User Guide, "Quotas and limitations for RDS Proxy").
    if (facts.kind === "cluster" && facts.engineMode !== undefined && facts.engineMode !== "provisioned") {
        reject(
            key,
            id,
            `its engine mode is ${render(facts.engineMode)}, and RDS Proxy fronts only Aurora clusters of engine mode ` +
                `"provisioned" (Aurora Serverless v2 included; not Serverless v1)`,
            `Move the cluster to provisioned or Aurora Serverless v2 instances, or name another cluster, in {file}.`,
        );
    }
    for (const why of facts.notATarget) {
        reject(key, id, why, `Name a database RDS Proxy can front in {file}.`);
    }
    checkNetwork(form, facts, context, reject);
    if (facts.publicInstances.length > 0) {
        reject(
            key,
            id,
            `${listOf("instance", facts.publicInstances)} publicly accessible, and this project publishes only databases ` +
                `that no address outside their VPC can reach (its policy pack refuses publicly accessible instances)`,
            `Turn it off, then run the preview again: ${facts.publicInstances
                .map(
                    (i) =>
                        `${cli("instance", "modify", i, region)} --no-publicly-accessible --apply-immediately`,
                )
                .join("; ")}.`,
        );
    }
    if (facts.masterSecret === undefined) {
        reject(
            "database.existing.masterSecretArn",
            undefined,
            `${what} has no RDS-managed master secret, and the database-user bootstrap logs in as the master user ` +
                `(${render(facts.masterUsername)}) with the credentials of a Secrets Manager secret`,
            `Set 'database.existing.masterSecretArn' in {file} to the ARN of a secret holding the master user's ` +
                `{"username", "password"}, or let RDS manage the master password: ` +
                `${cli(facts.kind, "modify", facts.identifier, region)} --manage-master-user-password --apply-immediately.`,
        );
    }
    if (
        !readsSecrets(accessMode(context.applicationAuth).databaseLogin) &&
        !facts.iamDatabaseAuthentication
    ) {
        // Without --apply-immediately RDS applies the change in the next maintenance window (RDS User Guide,
        // "Enabling and disabling IAM database authentication"). Whether it restarts the database is not written
        // there: the message says it may, which is the safe side.
        reject(
            key,
            id,
            `'applicationAuth' is ${render(context.applicationAuth)}, in which applications log in through RDS Proxy with ` +
                `IAM authentication tokens, and ${what} does not have IAM database authentication enabled`,
            `Turn it on: ${cli(facts.kind, "modify", facts.identifier, region)} --enable-iam-database-authentication ` +
                `--apply-immediately (without --apply-immediately RDS waits for the next maintenance window; plan for ` +
                `the database to restart, as it may). Or set 'applicationAuth' to another mode in {file}.`,
        );
    }
    if (form.securityGroupId !== undefined && !facts.securityGroupIds.includes(form.securityGroupId)) {
        reject(
            "database.existing.securityGroupId",
            form.securityGroupId,
            `it is not one of the VPC security groups of ${what} (${facts.securityGroupIds.join(", ") || "none"})`,
            `Set 'database.existing.securityGroupId' in {file} to one of them, or remove it to use the first.`,
        );
    } else if (form.securityGroupId === undefined && facts.securityGroupIds.length === 0) {
        reject(
            key,
            id,
            `${what} has no VPC security group, and the stack admits the proxy and the bootstrap with a rule on one`,
            `Attach a security group to it (${cli(facts.kind, "modify", facts.identifier, region)} ` +
                `--vpc-security-group-ids <sg-id> --apply-immediately), or set 'database.existing.securityGroupId' in {file}.`,
        );
    }
    checkStatus(facts, key, id, what, region, reject, warnings);
    if (!facts.storageEncrypted) {
        // A warning, not a refusal: the stack neither reads nor changes storage, and RDS encrypts a database only at
        // creation, so an existing one only through an encrypted snapshot copy restored as a new database (RDS User
        // Guide, "Encrypting Amazon RDS resources"), which no preview can do. Publishing adds no reader of the storage.
        warnings.push(
            `${capital(what)} (${key}) does not encrypt its storage at rest. The stack publishes it as it is; to ` +
                `encrypt it, restore an encrypted copy of a snapshot as a new database and name that one.`,
        );
    }
    if (isEngine(facts.engine)) warnEngineFacts(facts, facts.engine, key, what, region, warnings);
    return { problems, warnings };
}

type Reject = (path: string, value: unknown, why: string, fix: string) => void;

function checkNetwork(
    form: ExistingDatabaseForm,
    facts: ExistingDatabaseFacts,
    context: ExistingContext,
    reject: Reject,
): void {
    // RDS Proxy must be in the same VPC as the database (RDS User Guide, "Quotas and limitations for RDS Proxy").
    const want = { vpcId: facts.vpcId, subnetIds: facts.subnetIds };
    const derive =
        `aws rds describe-db-subnet-groups --db-subnet-group-name ${shellWord(facts.subnetGroupName)} --region ${context.region} ` +
        `--query "DBSubnetGroups[0].{vpcId: VpcId, subnetIds: Subnets[].SubnetIdentifier}"`;
    const fix =
        `Set 'network' in {file} to ${JSON.stringify(want)}: the database's VPC and the subnets of its subnet group ` +
        `(any subnets of that VPC in two or more zones where RDS Proxy runs will do), as this command prints them: ${derive}.`;
    const why = `the proxy must be in the VPC of the ${form.kind === "cluster" ? "cluster" : "instance"} (${facts.vpcId})`;
    if (context.network.kind === "new") {
        const { cidrBlock, azCount } = context.network;
        reject("network", { cidrBlock, azCount }, `that builds a new VPC, and ${why}`, fix);
    } else if (context.network.vpcId !== facts.vpcId) {
        reject("network.vpcId", context.network.vpcId, `that is another VPC, and ${why}`, fix);
    }
}

function checkStatus(
    facts: ExistingDatabaseFacts,
    key: string,
    id: string,
    what: string,
    region: string,
    reject: Reject,
    warnings: string[],
): void {
    if (facts.status === "available") return;
    if (REFUSED_STATUS.test(facts.status)) {
        const start = /^stopp/.test(facts.status)
            ? `Start it (${cli(facts.kind, "start", facts.identifier, region)}) and run the preview again when it is available`
            : `Repair it, or name another database in {file}`;
        reject(
            key,
            id,
            `${what} is ${render(facts.status)}, and the database-user bootstrap connects to it at pulumi up`,
            `${start}.`,
        );
        return;
    }
    warnings.push(
        `${capital(what)} (${key}) is ${render(facts.status)}, not "available": the database-user bootstrap connects ` +
            `to it at pulumi up and fails if it is not available by then (${cli(facts.kind, "describe", facts.identifier, region)} shows its status).`,
    );
}

function warnEngineFacts(
    facts: ExistingDatabaseFacts,
    engine: Engine,
    key: string,
    what: string,
    region: string,
    warnings: string[],
): void {
    const port = enginePort(engine);
    if (facts.port !== port) {
        // "All proxies listen on port 3306 for MySQL [5432 for PostgreSQL]. The proxies still connect to your
        // database using the port that you specified in the database settings" (RDS User Guide, "Quotas and
        // limitations for RDS Proxy"): consumers dial the engine's port, the database's rule admits the proxy on its own.
        warnings.push(
            `${capital(what)} (${key}) listens on port ${facts.port}, not ${port}, the default of ${ENGINE_FACTS[engine].label}. ` +
                `RDS Proxy (engine family ${proxyEngineFamily(engine)}) listens on ${port} whatever the database's port and ` +
                `connects to the database on ${facts.port}: consumers dial ${port}, and the rule on the database's ` +
                `security group admits the proxy on ${facts.port}.`,
        );
    }
    if (facts.tls.forced === true) return;
    const { parameter, parameterGroup, parameterGroupKind, value } = facts.tls;
    const want = tlsParameter(engine).value;
    const group = parameterGroupKind === "cluster" ? "DB cluster parameter group" : "DB parameter group";
    const noun = parameterGroupKind === "cluster" ? "db-cluster-parameter-group" : "db-parameter-group";
    const state =
        value === undefined
            ? `its ${group} ${render(parameterGroup)} gives ${parameter} no value (the engine's default applies, which the stack cannot read)`
            : `its ${group} ${render(parameterGroup)} sets ${parameter} to ${render(value)}`;
    // A default parameter group cannot be modified; a group newly attached takes effect after a reboot; a dynamic
    // parameter changes at once with ApplyMethod=immediate (RDS User Guide, "Working with parameter groups").
    const change = `aws rds modify-${noun} --${noun}-name <group> --parameters "ParameterName=${parameter},ParameterValue=${want},ApplyMethod=immediate" --region ${region}`;
    const how = parameterGroup.startsWith("default.")
        ? `A default parameter group cannot be modified: create a custom one of the same family (aws rds create-${noun}), ` +
          `set it there (${change}), and attach it (${cli(facts.kind, "modify", facts.identifier, region)} ` +
          `--${noun}-name <group> --apply-immediately); an attached group takes effect after the database reboots.`
        : `Set it: ${change.replace("<group>", shellWord(parameterGroup))} (if RDS answers that the parameter is static, use ` +
          `ApplyMethod=pending-reboot and reboot the database).`;
    warnings.push(
        `${capital(what)} (${key}) does not force TLS: ${state}. Connections through this stack's proxy use TLS, but ` +
            `other clients may still connect to the database without it. ${how}`,
    );
}

/** `instance "a" is` / `instances "a" and "b" are`. */
function listOf(noun: string, names: readonly string[]): string {
    const shown = names.map((n) => render(n));
    const joined =
        shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
    return `${names.length === 1 ? `its ${noun}` : `its ${noun}s`} ${joined} ${names.length === 1 ? "is" : "are"}`;
}

function capital(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the stack builds around an existing database, resolved from facts the checks passed. */
export interface ExistingTarget {
    readonly kind: "cluster" | "instance";
    readonly identifier: string;
    readonly arn: string;
    /** The resource ID `rds-db:connect` names (`cluster-…` or `db-…`). */
    readonly resourceId: string;
    readonly engine: Engine;
    readonly engineVersion: string;
    /** The database's own port: what the proxy and the bootstrap connect to, and the security-group rule admits. */
    readonly port: number;
    /** The proxy's listener port, fixed by the engine family (the NLB listener and the contract's port). */
    readonly proxyPort: number;
    /** The database security group the stack adds its rule to: config's, else the database's first. */
    readonly securityGroupId: string;
    readonly masterSecret: MasterSecretFacts;
    readonly masterUsername: string;
    /** The cluster's readers (members that are not the writer); 0 for an instance. */
    readonly readers: number;
    readonly writerEndpoint: string;
    readonly databaseName?: string;
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
}

/** The resolved view of a database the checks passed; throws (a defect of the caller) on facts they refuse. */
export function existingTarget(form: ExistingDatabaseForm, facts: ExistingDatabaseFacts): ExistingTarget {
    const securityGroupId = form.securityGroupId ?? facts.securityGroupIds[0];
    if (!isEngine(facts.engine) || facts.masterSecret === undefined || securityGroupId === undefined) {
        throw new Error(
            `rds-cross-account: existingTarget was called for ${facts.kind} ${facts.identifier}, which checkExistingDatabase refuses.`,
        );
    }
    return {
        kind: facts.kind,
        identifier: facts.identifier,
        arn: facts.arn,
        resourceId: facts.resourceId,
        engine: facts.engine,
        engineVersion: facts.engineVersion,
        port: facts.port,
        proxyPort: enginePort(facts.engine),
        securityGroupId,
        masterSecret: facts.masterSecret,
        masterUsername: facts.masterUsername,
        readers: facts.kind === "cluster" ? facts.readers : 0,
        writerEndpoint: facts.writerEndpoint,
        ...(facts.databaseName !== undefined ? { databaseName: facts.databaseName } : {}),
        vpcId: facts.vpcId,
        subnetIds: facts.subnetIds,
    };
}
