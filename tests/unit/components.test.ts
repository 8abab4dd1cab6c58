/**
 * The db-account components validate their own arguments (they are reusable without the stack's config
 * layer): every problem at once, as the SDK's InputPropertiesError, before any child is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { AuroraCluster, AuroraClusterArgs } from "../../components/database/aurora-cluster";
import { parameterGroupFamily } from "../../vocabulary";
import { RdsProxy, RdsProxyArgs } from "../../components/proxy/rds-proxy";
import { EndpointService, EndpointServiceArgs } from "../../components/publication/endpoint-service";
import { LatticePublication } from "../../components/publication/lattice";
import { ConsumerAccess, ConsumerAccessArgs } from "../../components/access/consumer-access";

const registered: string[] = [];

async function useRecordingMocks(): Promise<void> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(`${args.type}::${args.name}`);
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: (args) => {
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "rds-cross-account",
        "components",
    );
}

function errorOf(build: () => unknown): pulumi.InputPropertiesError {
    try {
        build();
    } catch (err) {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), `expected InputPropertiesError, got ${err}`);
        return err as pulumi.InputPropertiesError;
    }
    assert.fail("expected the constructor to throw");
}

const cluster: AuroraClusterArgs = {
    engine: "aurora-postgresql",
    engineVersion: "16.6",
    instanceClass: "db.r6g.large",
    readers: 1,
    databaseName: "app",
    deletionProtection: true,
    backupRetentionDays: 7,
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
};

const proxy: RdsProxyArgs = {
    engine: "aurora-postgresql",
    region: "eu-west-1",
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    accountId: "111111111111",
    target: { kind: "cluster", identifier: "c" },
    databaseResourceId: "cluster-ABCDEFGHIJKL01234",
    databaseSecurityGroupId: "sg-1",
    applicationAuth: "iam",
    scope: "project/stack",
    grants: [{ databaseUser: "app", description: "Database user app of consumer app" }],
};

const access: ConsumerAccessArgs = {
    applicationAuth: "iam",
    region: "eu-west-1",
    accountId: "111111111111",
    principals: ["arn:aws:iam::222222222222:role/app"],
    databaseUser: "app",
    scope: "project/stack",
    proxy: {
        arn: "arn:aws:rds:eu-west-1:111111111111:db-proxy:prx-0123456789abcdef0",
        roleArn: "arn:aws:iam::111111111111:role/proxy",
    },
};

const service: EndpointServiceArgs = {
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    ports: [{ key: "rw", listenerPort: 5432, targetPort: 5432 }],
    targetSecurityGroupId: "sg-2",
    allowedPrincipals: ["arn:aws:iam::222222222222:root"],
};

describe("component argument validation", () => {
    // Mocks are process-wide: set them for this suite, not at the root where other files' runs replace them.
    before(useRecordingMocks);
    beforeEach(() => registered.splice(0));

    const cases: {
        title: string;
        build: () => unknown;
        component: string;
        errors: { propertyPath: string; reason: string }[];
    }[] = [
        {
            title: "AuroraCluster with too many readers and no backups",
            component: "AuroraCluster",
            build: () => new AuroraCluster("c1", { ...cluster, readers: 16, backupRetentionDays: 0 }),
            errors: [
                {
                    propertyPath: "readers",
                    reason: "AuroraCluster argument 'readers' is 16, but it must be a whole number from 0 to 15. Pass such a value, for example 1.",
                },
                {
                    propertyPath: "backupRetentionDays",
                    reason: "AuroraCluster argument 'backupRetentionDays' is 0, but it must be a whole number of days from 1 to 35. Pass such a value, for example 7.",
                },
            ],
        },
        {
            title: "RdsProxy with pool settings out of range",
            component: "RdsProxy",
            build: () =>
                new RdsProxy("p1", { ...proxy, maxConnectionsPercent: 101, idleClientTimeoutSeconds: 0 }),
            errors: [
                {
                    propertyPath: "idleClientTimeoutSeconds",
                    reason: "RdsProxy argument 'idleClientTimeoutSeconds' is 0, but it must be a whole number of seconds from 1 to 330 (the PrivateLink path drops idle connections after 350 seconds without closing them, so the proxy must close them first). Pass such a value, for example 300.",
                },
                {
                    propertyPath: "maxConnectionsPercent",
                    reason: "RdsProxy argument 'maxConnectionsPercent' is 101, but it must be a whole number from 1 to 100. Pass such a value, for example 90.",
                },
            ],
        },
        {
            title: "RdsProxy in iam mode without grants",
            component: "RdsProxy",
            build: () => new RdsProxy("p2", { ...proxy, grants: [] }),
            errors: [
                {
                    propertyPath: "grants",
                    reason: "RdsProxy argument 'grants' is [], but it must list at least one consumer. Pass one per consumer.",
                },
            ],
        },
        {
            title: "RdsProxy in iam mode with a secret, a repeated and a bad user",
            component: "RdsProxy",
            build: () =>
                new RdsProxy("p2b", {
                    ...proxy,
                    grants: [
                        { databaseUser: "app", description: "d", secret: { arn: "arn:s", keyArn: "arn:k" } },
                        { databaseUser: "app", description: "d" },
                        { databaseUser: "App", description: "d" },
                    ],
                }),
            errors: [
                {
                    propertyPath: "grants[0].secret",
                    reason: 'RdsProxy argument \'grants[0].secret\' is "(given)", but applicationAuth is "iam", which shares no secret. Remove it.',
                },
                {
                    propertyPath: "grants[1].databaseUser",
                    reason: "RdsProxy argument 'grants[1].databaseUser' is \"app\", but it must be a distinct database user name (lowercase letters, digits and underscores, starting with a letter). Pass each consumer's own user.",
                },
                {
                    propertyPath: "grants[2].databaseUser",
                    reason: "RdsProxy argument 'grants[2].databaseUser' is \"App\", but it must be a distinct database user name (lowercase letters, digits and underscores, starting with a letter). Pass each consumer's own user.",
                },
            ],
        },
        {
            title: "RdsProxy in password mode without secrets",
            component: "RdsProxy",
            build: () => new RdsProxy("p3", { ...proxy, applicationAuth: "password" }),
            errors: [
                {
                    propertyPath: "grants[0].secret",
                    reason: "RdsProxy argument 'grants[0].secret' is not set, but applicationAuth is \"password\", whose proxy serves each consumer's secret. Pass the consumer's secret and its key.",
                },
            ],
        },
        {
            title: "ConsumerAccess open to everyone, with a bad user, a scope no tag can hold and an unknown mode",
            component: "ConsumerAccess",
            build: () =>
                new ConsumerAccess("a1", {
                    ...access,
                    principals: ["*"],
                    databaseUser: "App-User",
                    scope: "project/stack*",
                    applicationAuth: "kerberos" as ConsumerAccessArgs["applicationAuth"],
                }),
            errors: [
                {
                    propertyPath: "applicationAuth",
                    reason: 'ConsumerAccess argument \'applicationAuth\' is "kerberos", but it must be one of "iam", "password". Pass such a value, for example "iam".',
                },
                {
                    propertyPath: "principals",
                    reason: 'ConsumerAccess argument \'principals\' is ["*"], but it must be a non-empty list of distinct principals, each an IAM ARN of an account root, role or user (a known partition; names of 1-64 characters; never "*"). Pass such a value, for example ["arn:aws:iam::222222222222:role/app"].',
                },
                {
                    propertyPath: "databaseUser",
                    reason: 'ConsumerAccess argument \'databaseUser\' is "App-User", but it must be a database user name of 1-80 lowercase letters, digits and underscores, starting with a letter. Pass such a value, for example "orders_app".',
                },
                {
                    propertyPath: "scope",
                    reason: 'ConsumerAccess argument \'scope\' is "project/stack*", but it must be 1 to 255 letters, digits, spaces or + - = . _ : / @ (a tag value). Pass such a value, for example "rds-cross-account/prod".',
                },
            ],
        },
        {
            title: "EndpointService open to everyone",
            component: "EndpointService",
            build: () => new EndpointService("s1", { ...service, allowedPrincipals: ["*"] }),
            errors: [
                {
                    propertyPath: "allowedPrincipals[0]",
                    reason: "EndpointService argument 'allowedPrincipals[0]' is \"*\", but wildcards would open the service to every AWS account. List exact ARNs.",
                },
            ],
        },
        {
            title: "EndpointService with no principals, no ports",
            component: "EndpointService",
            build: () => new EndpointService("s2", { ...service, allowedPrincipals: [], ports: [] }),
            errors: [
                {
                    propertyPath: "ports",
                    reason: "EndpointService argument 'ports' is [], but it must list at least one port. Pass one port or more.",
                },
                {
                    propertyPath: "allowedPrincipals",
                    reason: "EndpointService argument 'allowedPrincipals' is [], but it must list at least one principal. List the IAM principals (ARNs) allowed to connect.",
                },
            ],
        },
        {
            title: "EndpointService with a duplicate listener port and an invalid target port",
            component: "EndpointService",
            build: () =>
                new EndpointService("s3", {
                    ...service,
                    ports: [
                        { key: "rw", listenerPort: 5432, targetPort: 5432 },
                        { key: "ro", listenerPort: 5432, targetPort: 70000 },
                    ],
                }),
            errors: [
                {
                    propertyPath: "ports",
                    reason: "EndpointService argument 'ports' is [5432,5432], but listener port 5432 is there twice, and each published port needs its own listener port. Give each port its own listenerPort.",
                },
                {
                    propertyPath: "ports[1].targetPort",
                    reason: "EndpointService argument 'ports[1].targetPort' is 70000, but it must be a TCP port from 1 to 65535. Pass such a value, for example 5432.",
                },
            ],
        },
        {
            title: "LatticePublication shared with everyone, publishing nothing",
            component: "LatticePublication",
            build: () =>
                new LatticePublication("l1", {
                    vpcId: "vpc-1",
                    subnetIds: ["subnet-1", "subnet-2"],
                    targetSecurityGroupId: "sg-2",
                    port: 0,
                    endpoints: [],
                    consumerAccountIds: ["*", "222222222222", "222222222222"],
                }),
            errors: [
                {
                    propertyPath: "port",
                    reason: "LatticePublication argument 'port' is 0, but it must be a TCP port from 1 to 65535. Pass such a value, for example 5432.",
                },
                {
                    propertyPath: "endpoints",
                    reason: "LatticePublication argument 'endpoints' is [], but it must list at least one endpoint. Pass one endpoint or more.",
                },
                {
                    propertyPath: "consumerAccountIds[0]",
                    reason: "LatticePublication argument 'consumerAccountIds[0]' is \"*\", but it must be a 12-digit AWS account ID (never an organization, an OU or a wildcard). List each consumer account's ID once.",
                },
                {
                    propertyPath: "consumerAccountIds[2]",
                    reason: "LatticePublication argument 'consumerAccountIds[2]' is \"222222222222\", but that is consumerAccountIds[1] as well. List each consumer account's ID once.",
                },
            ],
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.title}, registering no child`, async () => {
            const err = errorOf(c.build);
            assert.deepStrictEqual(err.errors, c.errors);
            const [header, ...lines] = err.message.split("\n");
            assert.match(header, new RegExp(`^Invalid arguments for ${c.component} [a-z0-9-]+:$`));
            assert.deepStrictEqual(
                lines,
                c.errors.map((e) => `  - ${e.reason}`),
            );
            // Let any registration the constructor started reach the mock monitor before looking.
            await new Promise((resolve) => setImmediate(resolve));
            assert.deepStrictEqual(
                registered.filter((r) => !r.startsWith("rds-cross-account:")),
                [],
            );
        });
    }
});

describe("parameter group families", () => {
    const cases: [Parameters<typeof parameterGroupFamily>, string][] = [
        [["aurora-postgresql", "16.6"], "aurora-postgresql16"],
        [["aurora-postgresql", "15.10"], "aurora-postgresql15"],
        [["aurora-mysql", "8.0.mysql_aurora.3.08.2"], "aurora-mysql8.0"],
    ];
    for (const [args, family] of cases) {
        it(`${args.join(" ")} → ${family}`, () => assert.strictEqual(parameterGroupFamily(...args), family));
    }
});
