/**
 * What the db-account stack refuses and warns of in an existing database (stacks/db-account/existing-checks.ts): one
 * table, one row per rule, each message exact, and every problem of a database reported at once.
 *
 * What these tests cannot prove: that RDS reports the facts this way (tests/integration/existing-lookup.test.ts reads
 * them from moto), nor that the AWS behaviour each rule rests on holds today (each is cited in the code and in
 * docs/existing-database.md).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    shellWord,
    type ExistingDatabaseFacts,
    type ExistingDatabaseForm,
} from "../../stacks/db-account/existing-facts";
import {
    checkExistingDatabase,
    existingTarget,
    type ExistingContext,
} from "../../stacks/db-account/existing-checks";
import { LOOKUP_ACTIONS } from "../../stacks/db-account/existing-lookup-calls";

const VPC = "vpc-0123456789abcdef0";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
const SG = "sg-0123456789abcdef0";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!cluster-abc-AbCdEf";
const FILE = "Pulumi.db-account.yaml";
const NETWORK_FIX =
    `Set 'network' in ${FILE} to {"vpcId":"${VPC}","subnetIds":["${SUBNETS[0]}","${SUBNETS[1]}"]}: the database's VPC ` +
    `and the subnets of its subnet group (any subnets of that VPC in two or more zones where RDS Proxy runs will do), ` +
    `as this command prints them: aws rds describe-db-subnet-groups --db-subnet-group-name orders-subnets --region ` +
    `eu-west-1 --query "DBSubnetGroups[0].{vpcId: VpcId, subnetIds: Subnets[].SubnetIdentifier}".`;

const cluster: ExistingDatabaseFacts = {
    kind: "cluster",
    identifier: "orders",
    arn: "arn:aws:rds:eu-west-1:111111111111:cluster:orders",
    resourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY",
    engine: "aurora-postgresql",
    engineVersion: "16.6",
    engineMode: "provisioned",
    status: "available",
    port: 5432,
    vpcId: VPC,
    subnetGroupName: "orders-subnets",
    subnetIds: SUBNETS,
    securityGroupIds: [SG, "sg-0fedcba9876543210"],
    iamDatabaseAuthentication: true,
    publicInstances: [],
    storageEncrypted: true,
    masterUsername: "postgres",
    masterSecret: { arn: SECRET, managedByRds: true },
    writerEndpoint: "orders.cluster-abc.eu-west-1.rds.amazonaws.com",
    readers: 1,
    databaseName: "orders",
    tls: {
        parameterGroup: "orders-tls",
        parameterGroupKind: "cluster",
        parameter: "rds.force_ssl",
        value: "1",
        forced: true,
    },
    notATarget: [],
};

const instance: ExistingDatabaseFacts = {
    ...cluster,
    kind: "instance",
    identifier: "billing",
    arn: "arn:aws:rds:eu-west-1:111111111111:db:billing",
    resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY",
    engine: "mariadb",
    engineVersion: "10.11.9",
    engineMode: undefined,
    port: 3306,
    readers: 0,
    tls: {
        parameterGroup: "billing-tls",
        parameterGroupKind: "instance",
        parameter: "require_secure_transport",
        value: "ON",
        forced: true,
    },
};

const clusterForm: ExistingDatabaseForm = { kind: "cluster", identifier: "orders" };
const instanceForm: ExistingDatabaseForm = { kind: "instance", identifier: "billing" };

const context: ExistingContext = {
    stackName: "db-account",
    region: "eu-west-1",
    applicationAuth: "iam",
    network: { kind: "existing", vpcId: VPC, subnetIds: SUBNETS },
};

const C = "Config 'rds-cross-account:database.existing.clusterIdentifier' is \"orders\", but";
const I = "Config 'rds-cross-account:database.existing.instanceIdentifier' is \"billing\", but";

interface Row {
    readonly name: string;
    readonly form?: Partial<ExistingDatabaseForm>;
    readonly facts?: Partial<ExistingDatabaseFacts>;
    readonly context?: Partial<ExistingContext>;
    /** The instance form and facts instead of the cluster's. */
    readonly instance?: true;
    readonly problems?: readonly string[];
    readonly warnings?: readonly string[];
}

const ROWS: readonly Row[] = [
    { name: "a cluster that passes every rule" },
    { name: "an instance that passes every rule", instance: true },
    {
        name: "an engine this project does not publish",
        instance: true,
        facts: { engine: "oracle-ee" },
        problems: [
            `${I} it runs the engine "oracle-ee", and this project publishes Aurora PostgreSQL (aurora-postgresql), ` +
                `Aurora MySQL (aurora-mysql), RDS for PostgreSQL (postgres), RDS for MySQL (mysql), RDS for MariaDB ` +
                `(mariadb). Name a database of one of those engines in ${FILE}.`,
        ],
    },
    {
        name: "Aurora Serverless v1",
        facts: { engineMode: "serverless" },
        problems: [
            `${C} its engine mode is "serverless", and RDS Proxy fronts only Aurora clusters of engine mode ` +
                `"provisioned" (Aurora Serverless v2 included; not Serverless v1). Move the cluster to provisioned or ` +
                `Aurora Serverless v2 instances, or name another cluster, in ${FILE}.`,
        ],
    },
    {
        name: "an instance of a cluster (the lookup's reason, with its fix)",
        instance: true,
        facts: { notATarget: ['it is an instance of the DB cluster "orders": name the cluster'] },
        problems: [
            `${I} it is an instance of the DB cluster "orders": name the cluster. Name a database RDS Proxy can front ` +
                `in ${FILE}.`,
        ],
    },
    {
        name: "a config that builds a new VPC",
        context: { network: { kind: "new", cidrBlock: "10.20.0.0/16", azCount: 2 } },
        problems: [
            `Config 'rds-cross-account:network' is {"cidrBlock":"10.20.0.0/16","azCount":2}, but that builds a new VPC, ` +
                `and the proxy must be in the VPC of the cluster (${VPC}). ${NETWORK_FIX}`,
        ],
    },
    {
        name: "a database in another VPC than network.vpcId",
        context: { network: { kind: "existing", vpcId: "vpc-0aaaaaaaaaaaaaaaa", subnetIds: SUBNETS } },
        problems: [
            `Config 'rds-cross-account:network.vpcId' is "vpc-0aaaaaaaaaaaaaaaa", but that is another VPC, and the ` +
                `proxy must be in the VPC of the cluster (${VPC}). ${NETWORK_FIX}`,
        ],
    },
    {
        name: "publicly accessible members, named",
        facts: { publicInstances: ["orders-1", "orders-2"] },
        problems: [
            `${C} its instances "orders-1" and "orders-2" are publicly accessible, and this project publishes only ` +
                `databases that no address outside their VPC can reach (its policy pack refuses publicly accessible ` +
                `instances). Turn it off, then run the preview again: aws rds modify-db-instance ` +
                `--db-instance-identifier orders-1 --region eu-west-1 --no-publicly-accessible --apply-immediately; ` +
                `aws rds modify-db-instance --db-instance-identifier orders-2 --region eu-west-1 ` +
                `--no-publicly-accessible --apply-immediately.`,
        ],
    },
    {
        name: "no master secret",
        facts: { masterSecret: undefined },
        problems: [
            `Config 'rds-cross-account:database.existing.masterSecretArn' is not set, but the DB cluster "orders" has ` +
                `no RDS-managed master secret, and the database-user bootstrap logs in as the master user ("postgres") ` +
                `with the credentials of a Secrets Manager secret. Set 'database.existing.masterSecretArn' in ${FILE} ` +
                `to the ARN of a secret holding the master user's {"username", "password"}, or let RDS manage the ` +
                `master password: aws rds modify-db-cluster --db-cluster-identifier orders --region eu-west-1 ` +
                `--manage-master-user-password --apply-immediately.`,
        ],
    },
    {
        name: "IAM mode without IAM database authentication (an instance)",
        instance: true,
        facts: { iamDatabaseAuthentication: false },
        problems: [
            `${I} 'applicationAuth' is "iam", in which applications log in through RDS Proxy with IAM authentication ` +
                `tokens, and the DB instance "billing" does not have IAM database authentication enabled. Turn it on: ` +
                `aws rds modify-db-instance --db-instance-identifier billing --region eu-west-1 ` +
                `--enable-iam-database-authentication --apply-immediately (without --apply-immediately RDS waits for ` +
                `the next maintenance window; plan for the database to restart, as it may). Or set 'applicationAuth' ` +
                `to another mode in ${FILE}.`,
        ],
    },
    {
        name: "password mode needs no IAM database authentication",
        facts: { iamDatabaseAuthentication: false },
        context: { applicationAuth: "password" },
    },
    {
        name: "a securityGroupId that is not the database's",
        form: { securityGroupId: "sg-0aaaaaaaaaaaaaaaa" },
        problems: [
            `Config 'rds-cross-account:database.existing.securityGroupId' is "sg-0aaaaaaaaaaaaaaaa", but it is not one ` +
                `of the VPC security groups of the DB cluster "orders" (${SG}, sg-0fedcba9876543210). Set ` +
                `'database.existing.securityGroupId' in ${FILE} to one of them, or remove it to use the first.`,
        ],
    },
    {
        name: "a database without a VPC security group",
        instance: true,
        facts: { securityGroupIds: [] },
        problems: [
            `${I} the DB instance "billing" has no VPC security group, and the stack admits the proxy and the ` +
                `bootstrap with a rule on one. Attach a security group to it (aws rds modify-db-instance ` +
                `--db-instance-identifier billing --region eu-west-1 --vpc-security-group-ids <sg-id> ` +
                `--apply-immediately), or set 'database.existing.securityGroupId' in ${FILE}.`,
        ],
    },
    {
        name: "a stopped database",
        facts: { status: "stopped" },
        problems: [
            `${C} the DB cluster "orders" is "stopped", and the database-user bootstrap connects to it at pulumi up. ` +
                `Start it (aws rds start-db-cluster --db-cluster-identifier orders --region eu-west-1) and run the ` +
                `preview again when it is available.`,
        ],
    },
    {
        name: "a database that lost its encryption key",
        instance: true,
        facts: { status: "inaccessible-encryption-credentials" },
        problems: [
            `${I} the DB instance "billing" is "inaccessible-encryption-credentials", and the database-user bootstrap ` +
                `connects to it at pulumi up. Repair it, or name another database in ${FILE}.`,
        ],
    },
    {
        name: "a passing status warns",
        facts: { status: "backing-up" },
        warnings: [
            `The DB cluster "orders" (database.existing.clusterIdentifier) is "backing-up", not "available": the ` +
                `database-user bootstrap connects to it at pulumi up and fails if it is not available by then (aws rds ` +
                `describe-db-clusters --db-cluster-identifier orders --region eu-west-1 shows its status).`,
        ],
    },
    {
        name: "unencrypted storage warns",
        instance: true,
        facts: { storageEncrypted: false },
        warnings: [
            `The DB instance "billing" (database.existing.instanceIdentifier) does not encrypt its storage at rest. The ` +
                `stack publishes it as it is; to encrypt it, restore an encrypted copy of a snapshot as a new database ` +
                `and name that one.`,
        ],
    },
    {
        name: "a port other than the engine's warns",
        instance: true,
        facts: { port: 3307 },
        warnings: [
            `The DB instance "billing" (database.existing.instanceIdentifier) listens on port 3307, not 3306, the ` +
                `default of RDS for MariaDB. RDS Proxy (engine family MYSQL) listens on 3306 whatever the database's ` +
                `port and connects to the database on 3307: consumers dial 3306, and the rule on the database's ` +
                `security group admits the proxy on 3307.`,
        ],
    },
    {
        name: "TLS not forced in a custom cluster parameter group warns with the change",
        facts: { tls: { ...cluster.tls, value: "0", forced: false } },
        warnings: [
            `The DB cluster "orders" (database.existing.clusterIdentifier) does not force TLS: its DB cluster ` +
                `parameter group "orders-tls" sets rds.force_ssl to "0". Connections through this stack's proxy use ` +
                `TLS, but other clients may still connect to the database without it. Set it: aws rds ` +
                `modify-db-cluster-parameter-group --db-cluster-parameter-group-name orders-tls --parameters ` +
                `"ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate" --region eu-west-1 (if RDS ` +
                `answers that the parameter is static, use ApplyMethod=pending-reboot and reboot the database).`,
        ],
    },
    {
        name: "TLS left to a default DB parameter group warns: create, set and attach a custom one",
        instance: true,
        facts: {
            tls: {
                parameterGroup: "default.mariadb10.11",
                parameterGroupKind: "instance",
                parameter: "require_secure_transport",
            },
        },
        warnings: [
            `The DB instance "billing" (database.existing.instanceIdentifier) does not force TLS: its DB parameter ` +
                `group "default.mariadb10.11" gives require_secure_transport no value (the engine's default applies, ` +
                `which the stack cannot read). Connections through this stack's proxy use TLS, but other clients may ` +
                `still connect to the database without it. A default parameter group cannot be modified: create a ` +
                `custom one of the same family (aws rds create-db-parameter-group), set it there (aws rds ` +
                `modify-db-parameter-group --db-parameter-group-name <group> --parameters ` +
                `"ParameterName=require_secure_transport,ParameterValue=ON,ApplyMethod=immediate" --region eu-west-1), ` +
                `and attach it (aws rds modify-db-instance --db-instance-identifier billing --region eu-west-1 ` +
                `--db-parameter-group-name <group> --apply-immediately); an attached group takes effect after the ` +
                `database reboots.`,
        ],
    },
];

function run(row: Row) {
    const baseForm = row.instance ? instanceForm : clusterForm;
    const baseFacts = row.instance ? instance : cluster;
    return checkExistingDatabase(
        { ...baseForm, ...row.form },
        { ...baseFacts, ...row.facts },
        { ...context, ...row.context },
    );
}

describe("existing database checks", () => {
    for (const row of ROWS) {
        it(row.name, () => {
            const verdict = run(row);
            assert.deepEqual(
                verdict.problems.map((p) => p.message),
                row.problems ?? [],
            );
            assert.deepEqual(verdict.warnings, row.warnings ?? []);
        });
    }

    it("reports every problem of a database at once, each at its key, and still warns", () => {
        const verdict = run({
            name: "all",
            form: { securityGroupId: "sg-0aaaaaaaaaaaaaaaa" },
            facts: {
                engineMode: "serverless",
                publicInstances: ["orders-1"],
                masterSecret: undefined,
                iamDatabaseAuthentication: false,
                status: "stopped",
                storageEncrypted: false,
                notATarget: ['it is a read replica of "x": name the source instead'],
            },
            context: { network: { kind: "existing", vpcId: "vpc-0aaaaaaaaaaaaaaaa", subnetIds: SUBNETS } },
        });
        const key = "rds-cross-account:database.existing.clusterIdentifier";
        assert.deepEqual(
            verdict.problems.map((p) => p.path),
            [
                key,
                key,
                "rds-cross-account:network.vpcId",
                key,
                "rds-cross-account:database.existing.masterSecretArn",
                key,
                "rds-cross-account:database.existing.securityGroupId",
                key,
            ],
        );
        assert.equal(verdict.warnings.length, 1);
    });

    it("existingTarget resolves what the stack builds around a database the checks passed", () => {
        assert.deepEqual(existingTarget(instanceForm, { ...instance, port: 3307 }), {
            kind: "instance",
            identifier: "billing",
            arn: instance.arn,
            resourceId: instance.resourceId,
            engine: "mariadb",
            engineVersion: "10.11.9",
            port: 3307,
            proxyPort: 3306,
            securityGroupId: SG,
            masterSecret: cluster.masterSecret,
            masterUsername: "postgres",
            readers: 0,
            writerEndpoint: cluster.writerEndpoint,
            databaseName: "orders",
            vpcId: VPC,
            subnetIds: SUBNETS,
        });
        const target = existingTarget({ ...clusterForm, securityGroupId: "sg-0fedcba9876543210" }, cluster);
        assert.equal(target.securityGroupId, "sg-0fedcba9876543210");
        assert.equal(target.readers, 1);
        assert.equal(target.proxyPort, 5432);
    });

    it("existingTarget refuses facts the checks refuse, as a defect of its caller", () => {
        assert.throws(() => existingTarget(clusterForm, { ...cluster, masterSecret: undefined }), {
            message:
                "rds-cross-account: existingTarget was called for cluster orders, which checkExistingDatabase refuses.",
        });
        assert.throws(() => existingTarget(clusterForm, { ...cluster, engine: "oracle-ee" }));
        assert.throws(() => existingTarget(clusterForm, { ...cluster, securityGroupIds: [] }));
    });
});

describe("commands in messages", () => {
    it("quote a name that a shell would split or expand, and leave plain names as they are", () => {
        assert.equal(shellWord("orders-1"), "orders-1");
        assert.equal(
            shellWord("arn:aws:secretsmanager:eu-west-1:111111111111:secret:a/b+c=d@e-AbC"),
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:a/b+c=d@e-AbC",
        );
        assert.equal(shellWord("my subnets"), "'my subnets'");
        assert.equal(shellWord("it's $HOME"), `'it'\\''s $HOME'`);
    });

    it("quote the database's names where the checks put them in a command", () => {
        const verdict = checkExistingDatabase(
            clusterForm,
            { ...cluster, subnetGroupName: "orders subnets" },
            { ...context, network: { kind: "new", cidrBlock: "10.20.0.0/16", azCount: 2 } },
        );
        assert.match(
            verdict.problems[0].message,
            / --db-subnet-group-name 'orders subnets' --region eu-west-1 /,
        );
    });
});

describe("docs/existing-database.md", () => {
    it("lists exactly the IAM actions of each lookup form", () => {
        const text = fs.readFileSync(
            path.join(__dirname, "..", "..", "docs", "existing-database.md"),
            "utf8",
        );
        const row = (label: string) => {
            const line = text.split("\n").find((l) => l.startsWith(`| ${label} |`));
            assert.ok(line, `no row for ${label}`);
            return [...line.matchAll(/`([a-z0-9]+:[A-Za-z]+)`/g)].map((m) => m[1]);
        };
        assert.deepEqual(row("`clusterIdentifier`"), [...LOOKUP_ACTIONS.cluster]);
        assert.deepEqual(row("`instanceIdentifier`"), [...LOOKUP_ACTIONS.instance]);
        assert.deepEqual(row("with `masterSecretArn`"), [...LOOKUP_ACTIONS.secret]);
    });
});
