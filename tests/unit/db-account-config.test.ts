/**
 * Config validation of the db-account stack: every bad value gets one exact message naming the key, the
 * value, what is allowed and the fix; all problems are reported at once; nothing is registered.
 */
import * as assert from "assert";
import { readDbAccountConfig } from "../../stacks/config/db-account";
import { checkConnectivity } from "../../stacks/config/db-account-connectivity";
import { MAX_STACK_NAME_LENGTH, maxConsumerNameLength } from "../../stacks/names";
import { ConfigError } from "../../stacks/config/kit";
import { ConfigSource, Problems } from "../../stacks/config/read";
import { awsCalls, dbAccountState, exampleConfig } from "../support/fixtures";
import { runStack } from "../../tools/recording/harness";
import {
    CONNECTIVITY_KINDS,
    IDLE_MARGIN_SECONDS,
    PATH_IDLE_TIMEOUT_SECONDS,
    SETTINGS,
} from "../../vocabulary";

const F = "Pulumi.db-account.yaml";

/** A valid minimal config (everything else defaulted). */
const minimal: Record<string, unknown> = {
    role: "db-account",
    accountId: "111111111111",
    network: { cidrBlock: "10.20.0.0/16" },
    consumers: [{ name: "app", accountId: "222222222222" }],
};

/** A config source over plain values, stored as the CLI stores them (objects as JSON). */
function source(values: Record<string, unknown>, region: string | undefined = "eu-west-1"): ConfigSource {
    const stored: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        if (v !== undefined) stored[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return {
        get: (ns, key) => (ns === "aws" ? (key === "region" ? region : undefined) : stored[key]),
        keys: () => Object.keys(stored),
    };
}

function problemsOf(values: Record<string, unknown>, region?: string): string[] {
    const problems = new Problems("db-account");
    readDbAccountConfig(problems, source(values, region));
    try {
        problems.throwIfAny();
        return [];
    } catch (err) {
        return (err as ConfigError).problems.map((p) => p.message);
    }
}

describe("db-account config", () => {
    it("accepts the minimal config and fills every default", () => {
        const problems = new Problems("db-account");
        const config = readDbAccountConfig(problems, source(minimal));
        assert.strictEqual(problems.count, 0);
        assert.deepStrictEqual(config, {
            region: "eu-west-1",
            accountId: "111111111111",
            assumeRoleArn: undefined,
            applicationAuth: "iam",
            connectivity: { kind: "privatelink-nlb" },
            origin: {
                kind: "new-cluster",
                cluster: { instanceClass: "db.r6g.large", deletionProtection: true, backupRetentionDays: 7 },
            },
            network: { kind: "new", cidrBlock: "10.20.0.0/16", azCount: 3 },
            database: {
                engine: "aurora-postgresql",
                engineVersion: "16.6",
                readers: 1,
                databaseName: "app",
                masterUsername: "dbadmin",
            },
            proxy: {
                idleClientTimeoutSeconds: 300,
                maxConnectionsPercent: 90,
                connectionBorrowTimeoutSeconds: 120,
                readOnlyEndpoint: true,
                readOnlyPort: 5433,
                name: "db-account-proxy",
            },
            consumers: [
                {
                    name: "app",
                    accountId: "222222222222",
                    principals: ["arn:aws:iam::222222222222:root"],
                    endpointPrincipals: ["arn:aws:iam::222222222222:root"],
                    databaseUser: "app",
                    canary: true,
                },
            ],
            endpointService: { acceptanceRequired: false },
            // A read-only endpoint (the default with readers) makes DNS the only source that tells endpoints apart.
            targetSync: { source: "dns", schedule: "rate(1 minute)", missesBeforeDeregister: 3 },
            alarms: { kind: "created-topic", emails: [] },
            dsql: { enabled: false, adminPrincipals: [] },
        });
    });

    it("accepts the example file Pulumi.db-account.yaml as it is", () => {
        const { config, extra } = exampleConfig("db-account");
        assert.deepStrictEqual(problemsOf(config, extra["aws:region"]), []);
    });

    it("defaults MySQL to its own version and ports, with no read-only endpoint when there are no readers", () => {
        const problems = new Problems("db-account");
        const config = readDbAccountConfig(
            problems,
            source({ ...minimal, database: { engine: "aurora-mysql", readers: 0 } }),
        );
        assert.strictEqual(problems.count, 0);
        assert.strictEqual(config?.database.engineVersion, "8.0.mysql_aurora.3.08.2");
        assert.strictEqual(config?.proxy.readOnlyEndpoint, false);
        assert.strictEqual(config?.proxy.readOnlyPort, undefined);
        assert.strictEqual(config?.targetSync.source, "eni");
    });

    it('accepts six-field cron expressions with "?" in one day field', () => {
        for (const schedule of [
            "cron(0/5 * * * ? *)",
            "cron(0 12 ? * MON-FRI *)",
            "rate(5 minutes)",
            "rate(1 hour)",
        ]) {
            assert.deepStrictEqual(problemsOf({ ...minimal, targetSync: { schedule } }), [], schedule);
        }
    });

    it("derives each consumer's database user from its name, keeps an explicit one and its role, and reads password mode", () => {
        const problems = new Problems("db-account");
        const config = readDbAccountConfig(
            problems,
            source({
                ...minimal,
                applicationAuth: "password",
                consumers: [
                    { name: "orders-app", accountId: "222222222222" },
                    {
                        name: "billing",
                        accountId: "333333333333",
                        databaseUser: "billing_ro",
                        databaseRole: "app_readonly",
                    },
                ],
            }),
        );
        assert.strictEqual(problems.count, 0);
        assert.strictEqual(config?.applicationAuth, "password");
        assert.deepStrictEqual(
            config?.consumers.map((c) => [c.databaseUser, c.databaseRole]),
            [
                ["orders_app", undefined],
                ["billing_ro", "app_readonly"],
            ],
        );
    });

    it("builds default principals in the region's partition", () => {
        const problems = new Problems("db-account");
        const config = readDbAccountConfig(problems, source(minimal, "us-west-2"));
        assert.deepStrictEqual(config?.consumers[0].principals, ["arn:aws:iam::222222222222:root"]);
    });

    const cases: { title: string; change: Record<string, unknown>; region?: string; expected: string[] }[] = [
        {
            title: "account ID of the wrong length",
            change: { accountId: "12345" },
            expected: [
                `Config 'rds-cross-account:accountId' is "12345", but it must be a 12-digit AWS account ID. Set 'accountId' in ${F} to such a value, for example "111111111111".`,
            ],
        },
        {
            title: "missing account ID",
            change: { accountId: undefined },
            expected: [
                `Config 'rds-cross-account:accountId' is not set, but it must be a 12-digit AWS account ID. Set 'accountId' in ${F} to such a value, for example "111111111111".`,
            ],
        },
        {
            title: "missing region",
            change: {},
            region: "",
            expected: [
                `Config 'aws:region' is "" (empty), but it must be an AWS region code. Set it with: pulumi config set aws:region eu-west-1 --stack db-account.`,
            ],
        },
        {
            title: "assume-role ARN that is not a role",
            change: { assumeRoleArn: "arn:aws:iam::111111111111:user/deployer" },
            expected: [
                `Config 'rds-cross-account:assumeRoleArn' is "arn:aws:iam::111111111111:user/deployer", but it must be an IAM role ARN in the stack's account (a known partition, a role name of 1-64 characters). Set 'assumeRoleArn' in ${F} to such a value, for example "arn:aws:iam::111111111111:role/rds-cross-account-deployer".`,
            ],
        },
        {
            title: "assume-role ARN in another account",
            change: { assumeRoleArn: "arn:aws:iam::999999999999:role/deployer" },
            expected: [
                `Config 'rds-cross-account:assumeRoleArn' is "arn:aws:iam::999999999999:role/deployer", but that is a role in account 999999999999, and the stack deploys into account 111111111111 (rds-cross-account:accountId). Use a role in account 111111111111, or fix accountId in ${F}.`,
            ],
        },
        {
            title: "network not set",
            change: { network: undefined },
            expected: [
                `Config 'rds-cross-account:network' is not set, but it must be a map of keys (a YAML object). Fix 'network' in ${F}.`,
            ],
        },
        {
            title: "CIDR with host bits and too many AZs",
            change: { network: { cidrBlock: "10.20.0.1/16", azCount: 7 } },
            expected: [
                `Config 'rds-cross-account:network.cidrBlock' is "10.20.0.1/16", but it must be an IPv4 network address in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (RFC 1918 and RFC 6598), with a prefix from /16 to /24, written canonically (host bits zero, no leading zeros). Set 'network.cidrBlock' in ${F} to such a value, for example "10.20.0.0/16".`,
                `Config 'rds-cross-account:network.azCount' is 7, but it must be a whole number from 2 to 6. Set 'network.azCount' in ${F} to such a value, for example 3.`,
            ],
        },
        {
            title: "existing network with one subnet",
            change: { network: { vpcId: "vpc-0a000000000000001", subnetIds: ["subnet-0a000000000000001"] } },
            expected: [
                `Config 'rds-cross-account:network.subnetIds' is ["subnet-0a000000000000001"], but it must be a list of at least two distinct subnet IDs, in at least two AZs. Set 'network.subnetIds' in ${F} to such a value, for example ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"].`,
            ],
        },
        {
            title: "network mixing both forms",
            change: {
                network: {
                    cidrBlock: "10.20.0.0/16",
                    vpcId: "vpc-0a000000000000001",
                    subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"],
                },
            },
            expected: [
                `Config 'rds-cross-account:network' is {"cidrBlock":"10.20.0.0/16","vpcId":"vpc-0a000000000000001","subnetIds":["subnet-0a000000000000001","subnet-0a000000000000002"]}, but it mixes the two forms of 'network', which are exclusive: a new VPC (cidrBlock, azCount), of which it has cidrBlock; and an existing VPC (vpcId, subnetIds), of which it has vpcId and subnetIds. Remove cidrBlock from 'network' in ${F} to use the existing VPC, or remove vpcId and subnetIds to create a new one.`,
            ],
        },
        {
            title: "unknown engine",
            change: { database: { engine: "postgres" } },
            expected: [
                `Config 'rds-cross-account:database.engine' is "postgres", but it must be one of "aurora-postgresql", "aurora-mysql". Set 'database.engine' in ${F} to such a value, for example "aurora-postgresql".`,
            ],
        },
        {
            title: "engine version of the other engine",
            change: { database: { engine: "aurora-mysql", engineVersion: "16.6" } },
            expected: [
                `Config 'rds-cross-account:database.engineVersion' is "16.6", but that is not a version of aurora-mysql. Set 'database.engineVersion' in ${F} to a version of aurora-mysql, for example "8.0.mysql_aurora.3.08.2", or remove it to use that default.`,
            ],
        },
        {
            title: "readers, retention and a misspelt key",
            change: { database: { readers: 16, backupRetentionDays: 0, deletionProtecton: false } },
            expected: [
                `Config 'rds-cross-account:database.readers' is 16, but it must be a whole number from 0 to 15. Set 'database.readers' in ${F} to such a value, for example 1.`,
                `Config 'rds-cross-account:database.backupRetentionDays' is 0, but it must be a whole number of days from 1 to 35. Set 'database.backupRetentionDays' in ${F} to such a value, for example 7.`,
                `Config 'rds-cross-account:database.deletionProtecton' is false, but it is not a key of 'database'; allowed keys are engine, engineVersion, instanceClass, readers, databaseName, deletionProtection, backupRetentionDays. Remove it or fix the spelling in ${F}.`,
            ],
        },
        {
            title: "database name with a hyphen and deletionProtection as a word",
            change: { database: { databaseName: "my-app", deletionProtection: "yes" } },
            expected: [
                `Config 'rds-cross-account:database.databaseName' is "my-app", but it must be a letter followed by up to 62 letters, digits or underscores. Set 'database.databaseName' in ${F} to such a value, for example "app".`,
                `Config 'rds-cross-account:database.deletionProtection' is "yes", but it must be true or false. Set 'database.deletionProtection' in ${F} to such a value, for example true.`,
            ],
        },
        {
            title: "proxy pool settings out of range",
            change: {
                proxy: {
                    maxConnectionsPercent: 0,
                    idleClientTimeoutSeconds: 331,
                    connectionBorrowTimeoutSeconds: 1.5,
                },
            },
            expected: [
                `Config 'rds-cross-account:proxy.idleClientTimeoutSeconds' is 331, but it must be a whole number of seconds from 1 to 330 (the PrivateLink path drops idle connections after 350 seconds without closing them, so the proxy must close them first). Set 'proxy.idleClientTimeoutSeconds' in ${F} to such a value, for example 300.`,
                `Config 'rds-cross-account:proxy.maxConnectionsPercent' is 0, but it must be a whole number from 1 to 100. Set 'proxy.maxConnectionsPercent' in ${F} to such a value, for example 90.`,
                `Config 'rds-cross-account:proxy.connectionBorrowTimeoutSeconds' is 1.5, but it must be a whole number of seconds from 1 to 3600. Set 'proxy.connectionBorrowTimeoutSeconds' in ${F} to such a value, for example 120.`,
            ],
        },
        {
            title: "read-only endpoint without readers",
            change: { database: { readers: 0 }, proxy: { readOnlyEndpoint: true } },
            expected: [
                `Config 'rds-cross-account:proxy.readOnlyEndpoint' is true, but 'database.readers' is 0: a read-only endpoint needs at least one reader. Set 'database.readers' to 1 or more, or 'proxy.readOnlyEndpoint' to false, in ${F}.`,
            ],
        },
        {
            title: "read-only port equal to the engine port",
            change: { proxy: { readOnlyPort: 5432 } },
            expected: [
                `Config 'rds-cross-account:proxy.readOnlyPort' is 5432, but that is the port of the read/write endpoint, and the read-only endpoint needs its own listener port. Set 'proxy.readOnlyPort' in ${F} to another port, for example 5433.`,
            ],
        },
        {
            title: "no consumers",
            change: { consumers: [] },
            expected: [
                `Config 'rds-cross-account:consumers' is [], but it must list at least one consumer account ({ name, accountId, principals?, endpointPrincipals?, databaseUser?, databaseRole?, adopt?, canary?, outsideOrganization? }) allowed to connect. Fix 'consumers' in ${F}.`,
            ],
        },
        {
            title: "consumer with a wildcard principal and a bad name",
            change: { consumers: [{ name: "App One", accountId: "222222222222", principals: ["*"] }] },
            expected: [
                `Config 'rds-cross-account:consumers[0].name' is "App One", but it must be a lower-case name: a letter, then up to 31 letters, digits or hyphens. Set 'consumers[0].name' in ${F} to such a value, for example "billing".`,
                `Config 'rds-cross-account:consumers[0].principals[0]' is "*", but it must be an IAM ARN of an account root, role or user (a known partition; names of 1-64 characters; never "*"). Set 'consumers[0].principals[0]' in ${F} to such a value, for example "arn:aws:iam::222222222222:role/app".`,
            ],
        },
        {
            title: "principal of another account, duplicate consumer name and account",
            change: {
                consumers: [
                    {
                        name: "app",
                        accountId: "222222222222",
                        principals: ["arn:aws:iam::333333333333:role/app"],
                    },
                    { name: "app", accountId: "222222222222" },
                ],
            },
            expected: [
                `Config 'rds-cross-account:consumers[1].name' is "app", but that is the name of consumers[0]. Give every consumer its own name in ${F}.`,
                `Config 'rds-cross-account:consumers[1].accountId' is "222222222222", but that account is already listed as consumers[0]. List each account once, with all its principals, in ${F}.`,
                `Config 'rds-cross-account:consumers[0].principals[0]' is "arn:aws:iam::333333333333:role/app", but that is a principal of account 333333333333, and the consumer's accountId is 222222222222. List only principals of account 222222222222 for this consumer in ${F}.`,
            ],
        },
        {
            title: "endpoint service regions",
            change: {
                endpointService: { acceptanceRequired: "no", supportedRegions: ["eu-west-1", "eu-west-1"] },
            },
            expected: [
                `Config 'rds-cross-account:endpointService.acceptanceRequired' is "no", but it must be true or false. Set 'endpointService.acceptanceRequired' in ${F} to such a value, for example false.`,
                `Config 'rds-cross-account:endpointService.supportedRegions[1]' is "eu-west-1", but that is endpointService.supportedRegions[0] as well, and 'endpointService.supportedRegions' must be a non-empty list of distinct AWS region codes. Remove one of the two from ${F}.`,
            ],
        },
        {
            title: "target sync source, schedule and threshold",
            change: { targetSync: { source: "api", schedule: "every minute", missesBeforeDeregister: 0 } },
            expected: [
                `Config 'rds-cross-account:targetSync.source' is "api", but it must be one of "eni", "dns". Set 'targetSync.source' in ${F} to such a value, for example "dns".`,
                `Config 'rds-cross-account:targetSync.schedule' is "every minute", but it must be an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and day-of-week. Set 'targetSync.schedule' in ${F} to such a value, for example "rate(1 minute)".`,
                `Config 'rds-cross-account:targetSync.missesBeforeDeregister' is 0, but it must be a whole number from 1 to 100. Set 'targetSync.missesBeforeDeregister' in ${F} to such a value, for example 3.`,
            ],
        },
        {
            title: "a five-field (crontab) cron expression",
            change: { targetSync: { schedule: "cron(*/5 * * * *)" } },
            expected: [
                `Config 'rds-cross-account:targetSync.schedule' is "cron(*/5 * * * *)", but it must be an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and day-of-week. Set 'targetSync.schedule' in ${F} to such a value, for example "rate(1 minute)".`,
            ],
        },
        {
            title: "a cron expression with both day fields set",
            change: { targetSync: { schedule: "cron(0 5 * * * *)" } },
            expected: [
                `Config 'rds-cross-account:targetSync.schedule' is "cron(0 5 * * * *)", but it must be an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and day-of-week. Set 'targetSync.schedule' in ${F} to such a value, for example "rate(1 minute)".`,
            ],
        },
        {
            title: "the eni source with a read-only endpoint",
            change: { targetSync: { source: "eni" } },
            expected: [
                `Config 'rds-cross-account:targetSync.source' is "eni", but the proxy has a read-only endpoint ('proxy.readOnlyEndpoint' is true, or defaults to true because 'database.readers' > 0): the network interfaces of the two endpoints cannot be told apart, so only DNS finds each endpoint's own IPs. Set 'targetSync.source' to "dns" (or remove it), or set 'proxy.readOnlyEndpoint' to false, in ${F}.`,
            ],
        },
        {
            title: "a schedule of 1 minutes (EventBridge wants the singular)",
            change: { targetSync: { schedule: "rate(1 minutes)" } },
            expected: [
                `Config 'rds-cross-account:targetSync.schedule' is "rate(1 minutes)", but it must be an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and day-of-week. Set 'targetSync.schedule' in ${F} to such a value, for example "rate(1 minute)".`,
            ],
        },
        {
            title: "an unknown applicationAuth",
            change: { applicationAuth: "token" },
            expected: [
                `Config 'rds-cross-account:applicationAuth' is "token", but it must be one of "iam", "password". Set 'applicationAuth' in ${F} to such a value, for example "iam".`,
            ],
        },
        {
            title: "database users that are not valid PostgreSQL users and a bad role",
            change: {
                consumers: [
                    { name: "a", accountId: "222222222222", databaseUser: "Orders" },
                    { name: "b", accountId: "333333333333", databaseUser: "pg_app" },
                    { name: "c", accountId: "444444444444", databaseRole: "rds_superuser" },
                ],
            },
            expected: [
                `Config 'rds-cross-account:consumers[0].databaseUser' is "Orders", but it must be a database user name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_", "rds" or "rcx_bootstrap_" and not "public" or "none" (aurora-postgresql). Set 'consumers[0].databaseUser' in ${F} to such a value, for example "orders_app".`,
                `Config 'rds-cross-account:consumers[1].databaseUser' is "pg_app", but it must be a database user name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_", "rds" or "rcx_bootstrap_" and not "public" or "none" (aurora-postgresql). Set 'consumers[1].databaseUser' in ${F} to such a value, for example "orders_app".`,
                `Config 'rds-cross-account:consumers[2].databaseRole' is "rds_superuser", but it must be an existing database role name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_" (PostgreSQL's predefined roles), "rds" or "rcx_bootstrap_" and not "public", "none", "current_user", "current_role" or "session_user" (aurora-postgresql). Set 'consumers[2].databaseRole' in ${F} to such a value, for example "app_readwrite", or remove it (connect only).`,
            ],
        },
        {
            // A problem of the consumers key's own shape comes alone: the engine's rules need the parsed list.
            title: "a database user that is not a string",
            change: { consumers: [{ name: "d", accountId: "555555555555", databaseUser: 7 }] },
            expected: [
                `Config 'rds-cross-account:consumers[0].databaseUser' is 7, but it must be a database user name (a string). Set 'consumers[0].databaseUser' in ${F} to such a value, for example "orders_app".`,
            ],
        },
        {
            title: "MySQL users: too long, reserved, and a default derived from a reserved name",
            change: {
                database: { engine: "aurora-mysql", readers: 0 },
                consumers: [
                    { name: "a", accountId: "222222222222", databaseUser: "a".repeat(33) },
                    { name: "b", accountId: "333333333333", databaseUser: "mysql" },
                    { name: "root", accountId: "444444444444" },
                ],
            },
            expected: [
                `Config 'rds-cross-account:consumers[0].databaseUser' is "${"a".repeat(33)}", but it must be a database user name of 1-32 lowercase letters, digits and underscores, starting with a letter, not starting with "rds" or "rcx_bootstrap_" and not "root" or "mysql" (aurora-mysql). Set 'consumers[0].databaseUser' in ${F} to such a value, for example "orders_app".`,
                `Config 'rds-cross-account:consumers[1].databaseUser' is "mysql", but it must be a database user name of 1-32 lowercase letters, digits and underscores, starting with a letter, not starting with "rds" or "rcx_bootstrap_" and not "root" or "mysql" (aurora-mysql). Set 'consumers[1].databaseUser' in ${F} to such a value, for example "orders_app".`,
                `Config 'rds-cross-account:consumers[2].databaseUser' is not set, but its default, "root" (from 'consumers[2].name'), is not a database user name of 1-32 lowercase letters, digits and underscores, starting with a letter, not starting with "rds" or "rcx_bootstrap_" and not "root" or "mysql" (aurora-mysql). Set 'consumers[2].databaseUser' in ${F} to such a value, for example "orders_app".`,
            ],
        },
        {
            title: "two consumers with one database user (one of them derived)",
            change: {
                consumers: [
                    { name: "orders-app", accountId: "222222222222" },
                    { name: "billing", accountId: "333333333333", databaseUser: "orders_app" },
                ],
            },
            expected: [
                `Config 'rds-cross-account:consumers[1].databaseUser' is "orders_app", but that is the database user of consumers[0] as well. Give every consumer its own database user in ${F} ('consumers[].databaseUser', default the consumer's name with "-" replaced by "_").`,
            ],
        },
        {
            title: "a key that does not exist",
            change: { accountID: "111111111111" },
            expected: [
                `Config 'rds-cross-account:accountID' is "111111111111", but it is not a key of the db-account stack; allowed keys are role, applicationAuth, connectivity, accountId, assumeRoleArn, network, database, proxy, consumers, endpointService, targetSync, alarms, dsql. Remove it or fix the spelling in ${F}.`,
            ],
        },
    ];

    for (const c of cases) {
        it(`reports ${c.title}`, () => {
            assert.deepStrictEqual(problemsOf({ ...minimal, ...c.change }, c.region), c.expected);
        });
    }

    it("reports problems of every key together, in one error", () => {
        const messages = problemsOf({
            ...minimal,
            accountId: "x",
            network: { cidrBlock: "10.0.0.0/8" },
            database: { readers: -1 },
            consumers: [],
        });
        assert.deepStrictEqual(
            messages.map((m) => m.slice(0, m.indexOf("'", 8))),
            [
                "Config 'rds-cross-account:accountId",
                "Config 'rds-cross-account:network.cidrBlock",
                "Config 'rds-cross-account:database.readers",
                "Config 'rds-cross-account:consumers",
            ],
        );
    });

    it("stops the program before registering anything, with every problem in the error", async () => {
        const run = await runStack({
            stack: "db-account",
            config: { ...minimal, accountId: "x", database: { readers: 99 } },
        });
        assert.ok(run.error instanceof ConfigError, `expected a ConfigError, got ${run.error}`);
        assert.strictEqual((run.error as ConfigError).problems.length, 2);
        assert.match(
            run.error.message,
            /^The config of stack "db-account" has 2 problems; nothing was created:\n/,
        );
        assert.deepStrictEqual(run.resources, []);
        assert.deepStrictEqual(run.calls, []);
    });

    describe("the stack's own name", () => {
        const problemsNamed = (stackName: string) => {
            const problems = new Problems(stackName);
            readDbAccountConfig(problems, source(minimal));
            try {
                problems.throwIfAny();
                return [];
            } catch (err) {
                return (err as ConfigError).problems.map((p) => [p.path, p.message]);
            }
        };
        const longest = "a".repeat(MAX_STACK_NAME_LENGTH);
        for (const name of ["db-account", "prod", "db-1", longest]) {
            it(`accepts ${name}`, () => assert.deepStrictEqual(problemsNamed(name), []));
        }
        for (const name of [
            `${longest}b`,
            "db_account",
            "db.account",
            "Db-account",
            "1db",
            "db--account",
            "db-",
        ]) {
            it(`refuses ${JSON.stringify(name)}`, () =>
                assert.deepStrictEqual(problemsNamed(name), [
                    [
                        "stack",
                        `Stack name ${JSON.stringify(name)} is ${name.length} characters, but it must be at most ` +
                            `${MAX_STACK_NAME_LENGTH} lower-case letters, digits and single hyphens, starting with a letter ` +
                            `and not ending with a hyphen: every resource name of the db-account stack starts with it, ` +
                            `and RDS identifiers and the 32-character load balancer and target group names must hold it. ` +
                            `Create the stack under such a name (pulumi stack rename <name> before the first pulumi up, ` +
                            `or pulumi stack init <name>).`,
                    ],
                ]));
        }

        it("derives load balancer and target group names that fit 32 characters with the longest name", async () => {
            const run = await runStack({
                stack: "db-account",
                stackName: longest,
                config: minimal,
                calls: awsCalls(),
                state: dbAccountState,
            });
            assert.equal(run.error, undefined);
            const limited = run.resources.filter(
                (r) =>
                    r.type === "aws:lb/loadBalancer:LoadBalancer" ||
                    r.type === "aws:lb/targetGroup:TargetGroup",
            );
            assert.equal(limited.length, 3);
            // Pulumi's auto-name adds "-" and 7 random characters to the logical name.
            for (const r of limited) assert.ok(r.name.length + 8 <= 32, `${r.type} ${r.name} is too long`);
            assert.equal(Math.max(...limited.map((r) => r.name.length + 8)), 32);
        });

        it("derives IAM role names that fit 64 characters with the longest stack and consumer names", async () => {
            const consumer = "c".repeat(maxConsumerNameLength(longest, "-connect"));
            assert.equal(consumer.length, 25);
            const run = await runStack({
                stack: "db-account",
                stackName: longest,
                config: { ...minimal, consumers: [{ name: consumer, accountId: "222222222222" }] },
                calls: awsCalls(),
                state: dbAccountState,
            });
            assert.equal(run.error, undefined);
            const roles = run.resources.filter((r) => r.type === "aws:iam/role:Role");
            for (const r of roles) assert.ok(r.name.length + 8 <= 64, `${r.name} is too long`);
            assert.equal(Math.max(...roles.map((r) => r.name.length + 8)), 64);
        });

        it("refuses a consumer name one character longer, naming the limit for this stack", () => {
            const name = "c".repeat(maxConsumerNameLength("db-account", "-connect") + 1);
            assert.deepStrictEqual(
                problemsOf({ ...minimal, consumers: [{ name, accountId: "222222222222" }] }),
                [
                    `Config 'rds-cross-account:consumers[0].name' is "${name}", but it is 31 characters, and with this ` +
                        `stack's name ("db-account") a consumer's name must be at most 30: its IAM role is named ` +
                        `<stack>-access-<name>-connect plus Pulumi's 8-character suffix, and IAM role names have at ` +
                        `most 64 characters. Give consumers[0] a shorter name in ${F} (its databaseUser can keep the ` +
                        `long one).`,
                ],
            );
            const passwordMode = problemsOf({
                ...minimal,
                applicationAuth: "password",
                consumers: [{ name, accountId: "222222222222" }],
            });
            // No connect role in password mode: nothing to fit.
            assert.deepStrictEqual(passwordMode, []);
        });
    });

    describe("values are checked for meaning, not only form", () => {
        /** The paths of the problems a config has (empty when it is accepted). */
        const pathsOf = (values: Record<string, unknown>, region?: string) => {
            const problems = new Problems("db-account");
            readDbAccountConfig(problems, source(values, region));
            try {
                problems.throwIfAny();
                return [];
            } catch (err) {
                return (err as ConfigError).problems.map((p) => p.path);
            }
        };
        const cidr = (cidrBlock: string) => ({ ...minimal, network: { cidrBlock } });
        for (const ok of [
            "10.0.0.0/16",
            "172.16.0.0/16",
            "172.31.255.0/24",
            "192.168.0.0/16",
            "100.64.0.0/16",
        ]) {
            it(`accepts the VPC CIDR ${ok}`, () => assert.deepStrictEqual(pathsOf(cidr(ok)), []));
        }
        for (const bad of [
            "0.0.0.0/16",
            "127.0.0.0/16",
            "224.0.0.0/16",
            "169.254.0.0/16",
            "8.8.0.0/16",
            "172.32.0.0/16",
            "100.128.0.0/16",
            "010.020.000.000/16",
            "10.0.0.0/15",
            "10.0.0.0/25",
            "10.0.0.1/16",
            "10.0.0.0/016",
        ]) {
            it(`refuses the VPC CIDR ${bad}`, () =>
                assert.deepStrictEqual(pathsOf(cidr(bad)), ["rds-cross-account:network.cidrBlock"]));
        }

        const withPrincipals = (principals: string[]) => ({
            ...minimal,
            consumers: [{ name: "app", accountId: "222222222222", principals }],
        });
        for (const ok of [
            "arn:aws:iam::222222222222:root",
            "arn:aws:iam::222222222222:role/app",
            "arn:aws:iam::222222222222:role/team/service/app",
            `arn:aws:iam::222222222222:user/${"u".repeat(64)}`,
        ]) {
            it(`accepts the principal ${ok.slice(0, 60)}`, () =>
                assert.deepStrictEqual(pathsOf(withPrincipals([ok])), []));
        }
        const list = "rds-cross-account:consumers[0].principals";
        for (const [bad, path] of [
            ["arn:aws-evil:iam::222222222222:root", `${list}[0]`],
            ["arn:aws:iam::222222222222:role//", `${list}[0]`],
            ["arn:aws:iam::222222222222:role//app", `${list}[0]`],
            [`arn:aws:iam::222222222222:role/${"r".repeat(65)}`, `${list}[0]`],
            [`arn:aws:iam::222222222222:role/${"p/".repeat(256)}app`, `${list}[0]`],
            ["arn:aws:iam::222222222222:group/app", `${list}[0]`],
            ["arn:aws:iam::2222222222222:root", `${list}[0]`],
            ["arn:aws-cn:iam::222222222222:root", `${list}[0]`],
        ] as const) {
            it(`refuses the principal ${bad.slice(0, 60)}`, () =>
                assert.deepStrictEqual(pathsOf(withPrincipals([bad])), [path]));
        }
        it("holds consumers[].endpointPrincipals to the consumer's account, as principals", () =>
            assert.deepStrictEqual(
                problemsOf({
                    ...minimal,
                    consumers: [
                        {
                            name: "app",
                            accountId: "222222222222",
                            endpointPrincipals: ["arn:aws:iam::333333333333:role/deployer"],
                        },
                    ],
                }),
                [
                    `Config 'rds-cross-account:consumers[0].endpointPrincipals[0]' is ` +
                        `"arn:aws:iam::333333333333:role/deployer", but that is a principal of account 333333333333, ` +
                        `and the consumer's accountId is 222222222222. List only principals of account 222222222222 ` +
                        `for this consumer in ${F}.`,
                ],
            ));
        it("reads proxy.name, which keeps an existing proxy's name, and refuses a name RDS refuses", () => {
            const name = (value: unknown) =>
                readDbAccountConfig(
                    new Problems("db-account"),
                    source({ ...minimal, proxy: { name: value } }),
                )?.proxy.name;
            assert.strictEqual(name("db-account-proxy-1a2b3c4"), "db-account-proxy-1a2b3c4");
            for (const bad of ["1proxy", "a--b", "a-", "a_b", "a".repeat(61)]) {
                assert.deepStrictEqual(
                    pathsOf({ ...minimal, proxy: { name: bad } }),
                    ["rds-cross-account:proxy.name"],
                    bad,
                );
            }
            assert.strictEqual(name("a".repeat(60)), "a".repeat(60));
        });
        it("reads consumers[].adopt as true or false, and refuses anything else", () => {
            const withAdopt = (adopt: unknown) => ({
                ...minimal,
                consumers: [{ name: "app", accountId: "222222222222", adopt }],
            });
            const read = (adopt: unknown) =>
                readDbAccountConfig(new Problems("db-account"), source(withAdopt(adopt)))?.consumers[0].adopt;
            assert.strictEqual(read(true), true);
            assert.strictEqual(read(false), undefined);
            assert.deepStrictEqual(problemsOf(withAdopt("yes")), [
                `Config 'rds-cross-account:consumers[0].adopt' is "yes", but it must be true or false. Set ` +
                    `'consumers[0].adopt' in ${F} to such a value, for example true.`,
            ]);
        });
        it("reads consumers[].canary as true (the default) or false, and refuses anything else", () => {
            const withCanary = (canary?: unknown) => ({
                ...minimal,
                consumers: [
                    { name: "app", accountId: "222222222222", ...(canary === undefined ? {} : { canary }) },
                ],
            });
            const read = (canary?: unknown) =>
                readDbAccountConfig(new Problems("db-account"), source(withCanary(canary)))?.consumers[0]
                    .canary;
            assert.deepStrictEqual([read(), read(true), read(false)], [true, true, false]);
            assert.deepStrictEqual(problemsOf(withCanary("off")), [
                `Config 'rds-cross-account:consumers[0].canary' is "off", but it must be true or false. Set ` +
                    `'consumers[0].canary' in ${F} to such a value, for example false.`,
            ]);
        });
        it("refuses the same principal twice", () =>
            assert.deepStrictEqual(
                pathsOf(
                    withPrincipals([
                        "arn:aws:iam::222222222222:role/app",
                        "arn:aws:iam::222222222222:role/app",
                    ]),
                ),
                [`${list}[1]`],
            ));
        it("refuses one role or user named twice in other letter case or under another path", () =>
            assert.deepStrictEqual(
                pathsOf(
                    withPrincipals([
                        "arn:aws:iam::222222222222:role/app",
                        "arn:aws:iam::222222222222:role/App",
                        "arn:aws:iam::222222222222:role/team/app",
                        "arn:aws:iam::222222222222:user/app",
                        "arn:aws:iam::222222222222:user/x/APP",
                    ]),
                ),
                [`${list}[1]`, `${list}[2]`, `${list}[4]`],
            ));
        it("refuses supported regions of another partition", () =>
            assert.deepStrictEqual(
                pathsOf({
                    ...minimal,
                    endpointService: { supportedRegions: ["eu-west-1", "cn-north-1", "us-gov-west-1"] },
                }),
                [
                    "rds-cross-account:endpointService.supportedRegions[1]",
                    "rds-cross-account:endpointService.supportedRegions[2]",
                ],
            ));
        it("accepts arn:aws-cn principals in a China region, and refuses arn:aws ones there", () => {
            // China is refused as a whole (no RDS CA of it in the bootstrap: "aws:region"); the partition
            // rule still judges the principals on their own.
            assert.deepStrictEqual(
                pathsOf(withPrincipals(["arn:aws-cn:iam::222222222222:root"]), "cn-north-1"),
                ["aws:region"],
            );
            assert.deepStrictEqual(
                pathsOf(withPrincipals(["arn:aws:iam::222222222222:root"]), "cn-north-1"),
                ["aws:region", `${list}[0]`],
            );
        });
        it("refuses a deploy role of another partition", () =>
            assert.deepStrictEqual(
                pathsOf({ ...minimal, assumeRoleArn: "arn:aws-us-gov:iam::111111111111:role/deployer" }),
                ["rds-cross-account:assumeRoleArn"],
            ));
        it("refuses a read-only port that would have no effect", () =>
            assert.deepStrictEqual(
                pathsOf({ ...minimal, database: { readers: 0 }, proxy: { readOnlyPort: 5433 } }),
                ["rds-cross-account:proxy.readOnlyPort"],
            ));
        for (const bad of ["cron(60 * ? * * *)", "cron(a b ? c d e)", "rate(1 minutes)"]) {
            it(`refuses the schedule ${bad}`, () =>
                assert.deepStrictEqual(pathsOf({ ...minimal, targetSync: { schedule: bad } }), [
                    "rds-cross-account:targetSync.schedule",
                ]));
        }
        it("judges the regions of every partition by the RDS CA alone (no partition rule refuses them)", () => {
            for (const region of ["us-gov-west-1", "cn-north-1", "us-isob-east-1", "eusc-de-east-1"]) {
                assert.deepStrictEqual(pathsOf(minimal, region), ["aws:region"], region);
            }
        });
    });

    describe("whole-value patterns and their examples", () => {
        const consumer = (name: string) => ({
            ...minimal,
            applicationAuth: "password",
            consumers: [{ name, accountId: "222222222222" }],
        });
        for (const name of ["app_1", "app.x", "a".repeat(33)]) {
            it(`refuses the consumer name ${JSON.stringify(name)} (a valid prefix is not enough)`, () =>
                assert.deepStrictEqual(problemsOf(consumer(name)), [
                    `Config 'rds-cross-account:consumers[0].name' is ${JSON.stringify(name)}, but it must be a lower-case ` +
                        `name: a letter, then up to 31 letters, digits or hyphens. Set 'consumers[0].name' in ${F} to such ` +
                        `a value, for example "billing".`,
                ]));
        }
        for (const instanceClass of ["xdb.r6g.large", "db.r6g.large-"]) {
            it(`refuses the instance class ${instanceClass}, naming an example`, () =>
                assert.deepStrictEqual(problemsOf({ ...minimal, database: { instanceClass } }), [
                    `Config 'rds-cross-account:database.instanceClass' is "${instanceClass}", but it must be a ` +
                        `provisioned DB instance class. Set 'database.instanceClass' in ${F} to such a value, for example ` +
                        `"db.r6g.large".`,
                ]));
        }
        it("refuses a schedule that is not a string", () =>
            assert.deepStrictEqual(problemsOf({ ...minimal, targetSync: { schedule: 5 } }), [
                `Config 'rds-cross-account:targetSync.schedule' is 5, but it must be an EventBridge schedule expression: ` +
                    `"rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and ` +
                    `day-of-week. Set 'targetSync.schedule' in ${F} to such a value, for example "rate(1 minute)".`,
            ]));
        it("names an example for the engine version, the read-only port, a consumer's account and role", () =>
            assert.deepStrictEqual(
                problemsOf({
                    ...minimal,
                    database: { engineVersion: 16 },
                    proxy: { readOnlyPort: 0 },
                    consumers: [{ name: "app", accountId: "22", databaseRole: 7 }],
                }),
                [
                    `Config 'rds-cross-account:database.engineVersion' is 16, but it must be an Aurora PostgreSQL version ` +
                        `such as "16.6" or an Aurora MySQL 3 version such as "8.0.mysql_aurora.3.08.2". Set ` +
                        `'database.engineVersion' in ${F} to such a value, for example "16.6".`,
                    `Config 'rds-cross-account:proxy.readOnlyPort' is 0, but it must be a TCP port from 1 to 65535. Set ` +
                        `'proxy.readOnlyPort' in ${F} to such a value, for example 5433.`,
                    `Config 'rds-cross-account:consumers[0].accountId' is "22", but it must be a 12-digit AWS account ID. ` +
                        `Set 'consumers[0].accountId' in ${F} to such a value, for example "222222222222".`,
                    `Config 'rds-cross-account:consumers[0].databaseRole' is 7, but it must be a database role name (a ` +
                        `string). Set 'consumers[0].databaseRole' in ${F} to such a value, for example "app_readwrite".`,
                ],
            ));
    });

    describe("exact messages of the meaning checks", () => {
        const messagesOf = (values: Record<string, unknown>, region?: string) => problemsOf(values, region);
        it("a database name the engine's rules refuse", () =>
            assert.deepStrictEqual(messagesOf({ ...minimal, database: { databaseName: "App" } }), [
                `Config 'rds-cross-account:database.databaseName' is "App", but it must be a database name of 1-63 ` +
                    `lowercase letters, digits and underscores, starting with a letter (aurora-postgresql). Set ` +
                    `'database.databaseName' in ${F} to such a value, for example "appdb".`,
            ]));
        it("a read-only port that would have no effect", () =>
            assert.deepStrictEqual(
                messagesOf({ ...minimal, database: { readers: 0 }, proxy: { readOnlyPort: 5433 } }),
                [
                    `Config 'rds-cross-account:proxy.readOnlyPort' is 5433, but there is no read-only endpoint to publish ` +
                        `on it ('proxy.readOnlyEndpoint' is false, or 'database.readers' is 0), so it would have no effect. ` +
                        `Remove 'proxy.readOnlyPort', or add readers and a read-only endpoint, in ${F}.`,
                ],
            ));
        it("a principal of another partition", () =>
            assert.deepStrictEqual(
                messagesOf({
                    ...minimal,
                    consumers: [
                        {
                            name: "app",
                            accountId: "222222222222",
                            principals: ["arn:aws-cn:iam::222222222222:root"],
                        },
                    ],
                }),
                [
                    `Config 'rds-cross-account:consumers[0].principals[0]' is "arn:aws-cn:iam::222222222222:root", but ` +
                        `that ARN is in partition aws-cn, and the stack's region eu-west-1 (aws:region) is in aws. Use an ` +
                        `ARN of the form arn:aws:iam::… in ${F}, or fix aws:region.`,
                ],
            ));
        it("the same IAM role in other letter case", () =>
            assert.deepStrictEqual(
                messagesOf({
                    ...minimal,
                    consumers: [
                        {
                            name: "app",
                            accountId: "222222222222",
                            principals: [
                                "arn:aws:iam::222222222222:role/app",
                                "arn:aws:iam::222222222222:role/ops/App",
                            ],
                        },
                    ],
                }),
                [
                    `Config 'rds-cross-account:consumers[0].principals[1]' is "arn:aws:iam::222222222222:role/ops/App", ` +
                        `but that is the IAM role of consumers[0].principals[0] (arn:aws:iam::222222222222:role/app) as ` +
                        `well: IAM role names are unique in an account whatever their path and letter case. List the ` +
                        `role once, spelled as IAM shows it, in ${F}.`,
                ],
            ));
        it("a supported region of another partition", () =>
            assert.deepStrictEqual(
                messagesOf({ ...minimal, endpointService: { supportedRegions: ["cn-north-1"] } }),
                [
                    `Config 'rds-cross-account:endpointService.supportedRegions[0]' is "cn-north-1", but that region is ` +
                        `in partition aws-cn, and the stack's region eu-west-1 (aws:region) is in aws: PrivateLink does ` +
                        `not cross partitions. Remove it from 'endpointService.supportedRegions' in ${F}.`,
                ],
            ));
        it("the master user as a consumer's user, by name or by default", () =>
            assert.deepStrictEqual(
                messagesOf({
                    ...minimal,
                    consumers: [
                        { name: "app", accountId: "222222222222", databaseUser: "dbadmin" },
                        { name: "dbadmin", accountId: "333333333333" },
                    ],
                }),
                [
                    `Config 'rds-cross-account:consumers[0].databaseUser' is "dbadmin", but it is the cluster's master ` +
                        `user, which only the database-user bootstrap logs in as. Set 'consumers[0].databaseUser' in ` +
                        `${F} to another name.`,
                    `Config 'rds-cross-account:consumers[1].databaseUser' is not set, but its default, "dbadmin" (from ` +
                        `'consumers[1].name'), is the cluster's master user, which only the database-user bootstrap logs ` +
                        `in as. Set 'consumers[1].databaseUser' in ${F} to another name.`,
                ],
            ));
        it("a database role that is the master user, another consumer's user or its own", () =>
            assert.deepStrictEqual(
                messagesOf({
                    ...minimal,
                    consumers: [
                        { name: "app", accountId: "222222222222", databaseRole: "dbadmin" },
                        { name: "billing", accountId: "333333333333", databaseRole: "app" },
                        { name: "ops", accountId: "444444444444", databaseRole: "ops" },
                        { name: "reports", accountId: "555555555555", databaseRole: "app_read" },
                    ],
                }),
                [
                    `Config 'rds-cross-account:consumers[0].databaseRole' is "dbadmin", but that is the cluster's master ` +
                        `user, and membership would give this consumer its privileges. Set 'consumers[0].databaseRole' in ` +
                        `${F} to a role made for applications, or remove it (connect only).`,
                    `Config 'rds-cross-account:consumers[1].databaseRole' is "app", but that is the database user of ` +
                        `consumers[0], and membership would give this consumer its privileges. Set ` +
                        `'consumers[1].databaseRole' in ${F} to a role made for applications, or remove it (connect only).`,
                    `Config 'rds-cross-account:consumers[2].databaseRole' is "ops", but that is this consumer's own ` +
                        `database user, and membership would give this consumer its privileges. Set ` +
                        `'consumers[2].databaseRole' in ${F} to a role made for applications, or remove it (connect only).`,
                ],
            ));
        it("a section that is not a map, and a list that is not a list", () =>
            assert.deepStrictEqual(messagesOf({ ...minimal, database: "big", consumers: { name: "app" } }), [
                `Config 'rds-cross-account:database' is "big", but it must be a map of keys (a YAML object). Fix ` +
                    `'database' in ${F}.`,
                `Config 'rds-cross-account:consumers' is {"name":"app"}, but it must be a list (a YAML sequence). Fix ` +
                    `'consumers' in ${F}.`,
            ]));
        it("an existing VPC's subnets without its VPC ID", () =>
            assert.deepStrictEqual(
                messagesOf({
                    ...minimal,
                    network: { subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"] },
                }),
                [
                    `Config 'rds-cross-account:network.vpcId' is not set, but it must be a VPC ID. Set 'network.vpcId' in ` +
                        `${F} to such a value, for example "vpc-0123456789abcdef0".`,
                ],
            ));
        it("heads a single problem in the singular", () => {
            const problems = new Problems("db-account");
            readDbAccountConfig(problems, source({ ...minimal, accountId: "1" }));
            assert.throws(
                () => problems.throwIfAny(),
                (err: Error) => {
                    assert.equal(err.name, "ConfigError");
                    assert.match(
                        err.message,
                        /^The config of stack "db-account" has 1 problem; nothing was created:\n {2}- /,
                    );
                    return true;
                },
            );
        });
    });

    describe("network.apiEndpoints", () => {
        const network = {
            vpcId: "vpc-0a000000000000001",
            subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"],
        };
        const key = "Config 'rds-cross-account:network.apiEndpoints";

        it("reads the endpoints an existing VPC names, by service", () => {
            const apiEndpoints = { secretsmanager: "vpce-0a000000000000001", dynamodb: "vpce-0a00000a" };
            const problems = new Problems("db-account");
            const config = readDbAccountConfig(
                problems,
                source({ ...minimal, network: { ...network, apiEndpoints } }),
            );
            assert.strictEqual(problems.count, 0);
            assert.deepStrictEqual(config?.network, { kind: "existing", ...network, apiEndpoints });
        });

        const cases: { title: string; network: Record<string, unknown>; expected: string[] }[] = [
            {
                title: "with a new VPC, which has no endpoints yet",
                network: {
                    cidrBlock: "10.20.0.0/16",
                    apiEndpoints: { secretsmanager: "vpce-0a000000000000001" },
                },
                expected: [
                    `${key}' is {"secretsmanager":"vpce-0a000000000000001"}, but 'network' asks for a new VPC, and a ` +
                        "VPC the stack creates has no endpoints to reuse (the stack creates the ones it needs). Remove " +
                        `'network.apiEndpoints' from ${F}, or set 'network' to an existing vpcId and subnetIds.`,
                ],
            },
            {
                title: "an ID that is not a VPC endpoint's, and a service the stack has no endpoint for",
                network: {
                    ...network,
                    apiEndpoints: { elasticloadbalancing: "sg-0a000000000000001", sts: "vpce-0a000000" },
                },
                expected: [
                    `${key}.elasticloadbalancing' is "sg-0a000000000000001", but it must be a VPC endpoint ID. Set ` +
                        `'network.apiEndpoints.elasticloadbalancing' in ${F} to such a value, for example ` +
                        `"vpce-0123456789abcdef0".`,
                    `${key}.sts' is "vpce-0a000000", but it is not a key of 'network.apiEndpoints'; allowed keys are ` +
                        `"elasticloadbalancing", "dynamodb" and "secretsmanager", each a VPC endpoint ID. Remove it or ` +
                        `fix the spelling in ${F}.`,
                ],
            },
            {
                title: "a list instead of a map",
                network: { ...network, apiEndpoints: ["vpce-0a000000000000001"] },
                expected: [
                    `${key}' is ["vpce-0a000000000000001"], but it must be a map of keys (a YAML object). Fix ` +
                        `'network.apiEndpoints' in ${F}.`,
                ],
            },
            {
                title: "a misspelt key of the existing form, which names the form's keys",
                network: { ...network, apiEndpoint: {} },
                expected: [
                    `Config 'rds-cross-account:network.apiEndpoint' is {}, but it is not a key of 'network'; allowed ` +
                        "keys are cidrBlock and azCount (a new VPC), or vpcId, subnetIds and apiEndpoints (an existing " +
                        `VPC). Remove it or fix the spelling in ${F}.`,
                ],
            },
        ];
        for (const c of cases) {
            it(`refuses ${c.title}`, () =>
                assert.deepStrictEqual(problemsOf({ ...minimal, network: c.network }), c.expected));
        }
    });

    describe("connectivity", () => {
        const lattice = { ...minimal, connectivity: "vpc-lattice" };
        it("defaults to privatelink-nlb and reads vpc-lattice, with each consumer's outsideOrganization", () => {
            const read = (values: Record<string, unknown>) => {
                const problems = new Problems("db-account");
                const config = readDbAccountConfig(problems, source(values));
                assert.strictEqual(problems.count, 0);
                return config;
            };
            assert.deepStrictEqual(read(minimal)?.connectivity, { kind: "privatelink-nlb" });
            const config = read({
                ...lattice,
                consumers: [
                    { name: "app", accountId: "222222222222", outsideOrganization: true },
                    { name: "billing", accountId: "333333333333", outsideOrganization: false },
                ],
            });
            assert.deepStrictEqual(config?.connectivity, { kind: "vpc-lattice" });
            assert.deepStrictEqual(
                config?.consumers.map((c) => [c.name, c.outsideOrganization]),
                [
                    ["app", true],
                    ["billing", undefined],
                ],
            );
            // The read-only endpoint is published on the proxy's own port: no listener port.
            assert.strictEqual(config?.proxy.readOnlyEndpoint, true);
            assert.strictEqual(config?.proxy.readOnlyPort, undefined);
        });

        it("refuses an unknown path", () =>
            assert.deepStrictEqual(problemsOf({ ...minimal, connectivity: "transit-gateway" }), [
                `Config 'rds-cross-account:connectivity' is "transit-gateway", but it must be one of "privatelink-nlb", ` +
                    `"vpc-lattice". Set 'connectivity' in ${F} to such a value, for example "privatelink-nlb".`,
            ]));

        it("refuses, all at once, the keys that would have no effect on the Lattice path", () =>
            assert.deepStrictEqual(
                problemsOf({
                    ...lattice,
                    endpointService: { acceptanceRequired: true },
                    targetSync: { source: "dns" },
                    proxy: { readOnlyPort: 5440 },
                }),
                [
                    `Config 'rds-cross-account:endpointService' is {"acceptanceRequired":true}, but with 'connectivity' ` +
                        `"vpc-lattice" there is no endpoint service: the proxy is published through resource configurations ` +
                        `shared with AWS RAM, so it would have no effect. Remove 'endpointService' from ${F}, or set ` +
                        `'connectivity' to "privatelink-nlb".`,
                    `Config 'rds-cross-account:targetSync' is {"source":"dns"}, but with 'connectivity' "vpc-lattice" ` +
                        `nothing keeps IPs in sync: VPC Lattice resolves the proxy's name per connection, so it would have ` +
                        `no effect. Remove 'targetSync' from ${F}, or set 'connectivity' to "privatelink-nlb".`,
                    `Config 'rds-cross-account:proxy.readOnlyPort' is 5440, but with 'connectivity' "vpc-lattice" the ` +
                        `read-only endpoint has its own resource configuration on the proxy's port, so a listener port ` +
                        `would have no effect. Remove 'proxy.readOnlyPort' from ${F}, or set 'connectivity' to ` +
                        `"privatelink-nlb".`,
                ],
            ));

        it("refuses outsideOrganization on the PrivateLink path, where there is no share", () =>
            assert.deepStrictEqual(
                problemsOf({
                    ...minimal,
                    consumers: [{ name: "app", accountId: "222222222222", outsideOrganization: false }],
                }),
                [
                    `Config 'rds-cross-account:consumers[0].outsideOrganization' is false, but it decides whether the ` +
                        `Lattice path's AWS RAM share invites the account, and with 'connectivity' "privatelink-nlb" there ` +
                        `is no share (the endpoint service admits exact principals), so it would have no effect. Remove ` +
                        `'consumers[0].outsideOrganization' from ${F}, or set 'connectivity' to "vpc-lattice".`,
                ],
            ));

        it("keeps the proxy's idle timeout below every path's idle limit", () => {
            // The setting's range is the rule on both paths today; a path whose limit is lower refuses more.
            for (const kind of CONNECTIVITY_KINDS) {
                assert.ok(
                    SETTINGS.idleClientTimeoutSeconds.max <=
                        PATH_IDLE_TIMEOUT_SECONDS[kind] - IDLE_MARGIN_SECONDS,
                    kind,
                );
            }
            // The path's own rule, reached directly (the setting's range refuses such a value first today).
            const problems = new Problems("db-account");
            checkConnectivity(
                { connectivity: { kind: "vpc-lattice" }, proxy: { idleClientTimeoutSeconds: 340 } },
                () => undefined,
                problems,
            );
            assert.throws(
                () => problems.throwIfAny(),
                (err: ConfigError) => {
                    assert.deepStrictEqual(
                        err.problems.map((p) => p.message),
                        [
                            `Config 'rds-cross-account:proxy.idleClientTimeoutSeconds' is 340, but the vpc-lattice path ` +
                                `drops idle connections after 350 seconds without closing them, so the proxy must close ` +
                                `them at most 330 seconds idle. Set 'proxy.idleClientTimeoutSeconds' in ${F} to at most 330.`,
                        ],
                    );
                    return true;
                },
            );
            assert.deepStrictEqual(problemsOf({ ...lattice, proxy: { idleClientTimeoutSeconds: 331 } }), [
                `Config 'rds-cross-account:proxy.idleClientTimeoutSeconds' is 331, but it must be a whole number of ` +
                    `seconds from 1 to 330 (the PrivateLink path drops idle connections after 350 seconds without ` +
                    `closing them, so the proxy must close them first). Set 'proxy.idleClientTimeoutSeconds' in ${F} to ` +
                    `such a value, for example 300.`,
            ]);
        });
    });
});
