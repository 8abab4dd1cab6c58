// TLS rules, the whole pack run in-process on each case (support/expect.ts useInProcessPack: the analyzer's Analyze
// and AnalyzeStack without the process, properties through the SDK's own deserialization, so secrets arrive
// unwrapped as on the wire); rules-tls.test.ts calls each policy alone, wire.test.ts proves the wire format through
// the real analyzer. RDS Proxy requireTls, parameter groups (named, not default, and
// forcing TLS when created in the stack), connection strings in SSM, Secrets Manager and Lambda, and the private
// hosted zone a database interface endpoint needs for verify-full. What this cannot prove: that a client library
// honors the mode it is given; the rules check the configuration the stack writes, not the client at run time.
import * as assert from "node:assert/strict";
import { secret, urnOf } from "../../tools/policy/analyzer";
import { useInProcessPack, violation } from "./support/expect";
import {
    CLUSTER,
    CLUSTER_PG,
    ENDPOINT,
    INSTANCE,
    INSTANCE_PG,
    LAMBDA,
    RECORD,
    SECRET_VERSION,
    SSM,
    ZONE,
} from "./support/tokens";

const CS_FIX =
    "so the client does not verify the server's certificate and host name. Fix: PostgreSQL clients need sslmode=verify-full (PGSSLMODE=verify-full), MySQL clients ssl-mode=VERIFY_IDENTITY, with the Amazon root CA (AmazonRootCA1) as the trusted root.";

function weak(type: string, name: string, path: string, problem: string) {
    return violation(
        "connection-strings-verify-full",
        `${type} "${name}" ${path} holds ${problem}, ${CS_FIX}`,
    );
}

describe("policy pack in-process: TLS", () => {
    const pack = useInProcessPack();

    describe("rds-proxy-require-tls", () => {
        const PROXY = "aws:rds/proxy:Proxy";
        it("blocks a proxy that omits requireTls", async () => {
            assert.deepEqual(
                await pack().analyze({ type: PROXY, name: "proxy", props: { engineFamily: "POSTGRESQL" } }),
                [
                    violation(
                        "rds-proxy-require-tls",
                        `${PROXY} "proxy" omits requireTls, so clients can connect without TLS. Fix: set requireTls: true on the proxy.`,
                    ),
                ],
            );
        });
        it("blocks a proxy with requireTls: false", async () => {
            assert.deepEqual(
                await pack().analyze({ type: PROXY, name: "proxy", props: { requireTls: false } }),
                [
                    violation(
                        "rds-proxy-require-tls",
                        `${PROXY} "proxy" sets requireTls: false, so clients can connect without TLS. Fix: set requireTls: true on the proxy.`,
                    ),
                ],
            );
        });
        it("passes a proxy with requireTls: true", async () => {
            assert.deepEqual(
                await pack().analyze({ type: PROXY, name: "proxy", props: { requireTls: true } }),
                [],
            );
        });
    });

    describe("rds-parameter-group-required", () => {
        const clusterFix =
            "Fix: create an aws.rds.ClusterParameterGroup with rds.force_ssl=1 (PostgreSQL, SQL Server) or require_secure_transport=ON (MySQL, MariaDB) and set dbClusterParameterGroupName to its name.";
        const instanceFix =
            "Fix: create an aws.rds.ParameterGroup with rds.force_ssl=1 (PostgreSQL, SQL Server) or require_secure_transport=ON (MySQL, MariaDB) and set parameterGroupName to its name.";
        it("blocks a cluster without dbClusterParameterGroupName", async () => {
            assert.deepEqual(
                await pack().analyze({ type: CLUSTER, name: "db", props: { engine: "aurora-postgresql" } }),
                [
                    violation(
                        "rds-parameter-group-required",
                        `${CLUSTER} "db" does not set dbClusterParameterGroupName, so it runs on the engine's default parameter group, which does not force TLS. ${clusterFix}`,
                    ),
                ],
            );
        });
        it("blocks an instance without parameterGroupName", async () => {
            assert.deepEqual(
                await pack().analyze({ type: INSTANCE, name: "pg", props: { engine: "postgres" } }),
                [
                    violation(
                        "rds-parameter-group-required",
                        `${INSTANCE} "pg" does not set parameterGroupName, so it runs on the engine's default parameter group, which does not force TLS. ${instanceFix}`,
                    ),
                ],
            );
        });
        it("blocks an instance on a default parameter group, in any case", async () => {
            const diags = await pack().analyze({
                type: INSTANCE,
                name: "my",
                props: { parameterGroupName: "DEFAULT.mysql8.0" },
            });
            assert.deepEqual(diags, [
                violation(
                    "rds-parameter-group-required",
                    `${INSTANCE} "my" sets parameterGroupName to the default parameter group "DEFAULT.mysql8.0", which cannot be changed to force TLS. ${instanceFix}`,
                ),
            ]);
        });
    });

    describe("rds-parameter-group-forces-tls (stack)", () => {
        const cluster = { type: CLUSTER, name: "db", props: { dbClusterParameterGroupName: "db-tls" } };
        function group(family: string, parameters: Array<{ name: string; value: string }>) {
            return { type: CLUSTER_PG, name: "db-tls", props: { name: "db-tls", family, parameters } };
        }
        function gap(family: string, what: string, parameter: string, value: string) {
            return violation(
                "rds-parameter-group-forces-tls",
                `${CLUSTER_PG} "db-tls" (family ${family}), used by ${CLUSTER} "db", ${what}, so the database accepts unencrypted connections. Fix: add the parameter { name: "${parameter}", value: "${value}" } to the group.`,
                urnOf(CLUSTER_PG, "db-tls"),
            );
        }
        it("passes an aurora-postgresql group with rds.force_ssl=1", async () => {
            const diags = await pack().analyzeStack([
                cluster,
                group("aurora-postgresql16", [{ name: "rds.force_ssl", value: "1" }]),
            ]);
            assert.deepEqual(diags, []);
        });
        it("blocks an aurora-postgresql group with rds.force_ssl=0", async () => {
            const diags = await pack().analyzeStack([
                cluster,
                group("aurora-postgresql16", [{ name: "rds.force_ssl", value: "0" }]),
            ]);
            assert.deepEqual(diags, [
                gap("aurora-postgresql16", "sets rds.force_ssl=0", "rds.force_ssl", "1"),
            ]);
        });
        it("blocks an aurora-postgresql group that does not set rds.force_ssl", async () => {
            const diags = await pack().analyzeStack([
                cluster,
                group("aurora-postgresql16", [{ name: "log_min_duration_statement", value: "500" }]),
            ]);
            assert.deepEqual(diags, [
                gap("aurora-postgresql16", "does not set rds.force_ssl", "rds.force_ssl", "1"),
            ]);
        });
        it("passes an aurora-mysql group with require_secure_transport=ON", async () => {
            const diags = await pack().analyzeStack([
                cluster,
                group("aurora-mysql8.0", [{ name: "require_secure_transport", value: "ON" }]),
            ]);
            assert.deepEqual(diags, []);
        });
        it("passes an aurora-mysql group with require_secure_transport=1", async () => {
            const diags = await pack().analyzeStack([
                cluster,
                group("aurora-mysql8.0", [{ name: "require_secure_transport", value: "1" }]),
            ]);
            assert.deepEqual(diags, []);
        });
        it("blocks an aurora-mysql group with require_secure_transport=OFF", async () => {
            const diags = await pack().analyzeStack([
                cluster,
                group("aurora-mysql8.0", [{ name: "require_secure_transport", value: "OFF" }]),
            ]);
            assert.deepEqual(diags, [
                gap("aurora-mysql8.0", "sets require_secure_transport=OFF", "require_secure_transport", "ON"),
            ]);
        });
        it("blocks a mysql group that sets rds.force_ssl instead of require_secure_transport", async () => {
            const diags = await pack().analyzeStack([
                cluster,
                group("aurora-mysql8.0", [{ name: "rds.force_ssl", value: "1" }]),
            ]);
            assert.deepEqual(diags, [
                gap(
                    "aurora-mysql8.0",
                    "does not set require_secure_transport",
                    "require_secure_transport",
                    "ON",
                ),
            ]);
        });
        it("finds the group through the engine's property dependencies when names differ", async () => {
            const diags = await pack().analyzeStack([
                {
                    type: CLUSTER,
                    name: "db",
                    props: { dbClusterParameterGroupName: "db-tls-7f3a" },
                    propertyDependencies: { dbClusterParameterGroupName: [urnOf(CLUSTER_PG, "db-tls")] },
                },
                {
                    type: CLUSTER_PG,
                    name: "db-tls",
                    props: { family: "aurora-postgresql15", parameters: [] },
                },
            ]);
            assert.deepEqual(diags, [
                gap("aurora-postgresql15", "does not set rds.force_ssl", "rds.force_ssl", "1"),
            ]);
        });
        it("finds the group by name in another letter case, as AWS stores names in lower case", async () => {
            const diags = await pack().analyzeStack([
                { type: CLUSTER, name: "db", props: { dbClusterParameterGroupName: "DB-TLS" } },
                group("aurora-postgresql16", [{ name: "rds.force_ssl", value: "0" }]),
            ]);
            assert.deepEqual(diags, [
                violation(
                    "rds-parameter-group-forces-tls",
                    `${CLUSTER_PG} "db-tls" (family aurora-postgresql16), used by ${CLUSTER} "db", sets rds.force_ssl=0, so the database accepts unencrypted connections. Fix: add the parameter { name: "rds.force_ssl", value: "1" } to the group.`,
                    urnOf(CLUSTER_PG, "db-tls"),
                ),
            ]);
        });
        it("finds an instance's group whose own name is in upper case", async () => {
            const diags = await pack().analyzeStack([
                { type: INSTANCE, name: "pg", props: { parameterGroupName: "pg-tls" } },
                {
                    type: INSTANCE_PG,
                    name: "pg-tls",
                    props: { name: "PG-TLS", family: "postgres16", parameters: [] },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "rds-parameter-group-forces-tls",
                    `${INSTANCE_PG} "pg-tls" (family postgres16), used by ${INSTANCE} "pg", does not set rds.force_ssl, so the database accepts unencrypted connections. Fix: add the parameter { name: "rds.force_ssl", value: "1" } to the group.`,
                    urnOf(INSTANCE_PG, "pg-tls"),
                ),
            ]);
        });
        it("does not judge a group created outside the stack", async () => {
            const diags = await pack().analyzeStack([
                { type: CLUSTER, name: "db", props: { dbClusterParameterGroupName: "shared-tls" } },
                group("aurora-postgresql16", []),
            ]);
            assert.deepEqual(diags, []);
        });
        it("checks an instance's parameter group (postgres family)", async () => {
            const diags = await pack().analyzeStack([
                { type: INSTANCE, name: "pg", props: { parameterGroupName: "pg-tls" } },
                {
                    type: INSTANCE_PG,
                    name: "pg-tls",
                    props: {
                        name: "pg-tls",
                        family: "postgres16",
                        parameters: [{ name: "rds.force_ssl", value: "1" }],
                    },
                },
            ]);
            assert.deepEqual(diags, []);
        });
        it("blocks a family it cannot check", async () => {
            const diags = await pack().analyzeStack([
                { type: INSTANCE, name: "ora", props: { parameterGroupName: "ora" } },
                {
                    type: INSTANCE_PG,
                    name: "ora",
                    props: { name: "ora", family: "oracle-ee-19", parameters: [] },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "rds-parameter-group-forces-tls",
                    `${INSTANCE_PG} "ora" (family oracle-ee-19), used by ${INSTANCE} "ora", has a family this policy cannot check for TLS. Fix: use a postgres, aurora-postgresql, sqlserver, mysql, mariadb or aurora-mysql family, or disable this policy for the stack.`,
                    urnOf(INSTANCE_PG, "ora"),
                ),
            ]);
        });
    });

    describe("connection-strings-verify-full", () => {
        const ssm = (value: unknown) => ({ type: SSM, name: "db-url", props: { type: "String", value } });
        const cases: Array<{ title: string; value: string; problem: string | undefined }> = [
            {
                title: "a postgres:// URL with sslmode=verify-full",
                value: "postgres://app@db.example:5432/app?sslmode=verify-full",
                problem: undefined,
            },
            {
                title: "a postgresql:// URL with sslmode=require",
                value: "postgresql://app@db.example:5432/app?sslmode=require",
                problem: "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
            },
            {
                title: "a URL with sslmode=verify-ca",
                value: "postgres://app@db.example/app?sslmode=verify-ca&connect_timeout=5",
                problem: "a PostgreSQL URL with sslmode=verify-ca (needs sslmode=verify-full)",
            },
            {
                title: "a URL with ssl=true and no sslmode",
                value: "postgres://app@db.example/app?ssl=true",
                problem: "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)",
            },
            {
                title: "a URL without a query",
                value: "postgresql://app@db.example/app",
                problem: "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)",
            },
            {
                title: "a URL that sets sslmode twice, once weakly",
                value: "postgres://db.example/app?sslmode=verify-full&sslmode=disable",
                problem:
                    "a PostgreSQL URL with sslmode=verify-full, sslmode=disable (needs sslmode=verify-full)",
            },
            {
                title: "a JDBC PostgreSQL URL with verify-full",
                value: "jdbc:postgresql://db.example:5432/app?sslmode=verify-full",
                problem: undefined,
            },
            {
                title: "a keyword DSN with sslmode=prefer",
                value: "host=db.example port=5432 dbname=app user=app sslmode=prefer",
                problem:
                    "a PostgreSQL keyword connection string with sslmode=prefer (needs sslmode=verify-full)",
            },
            {
                title: "a keyword DSN with sslmode=verify-full",
                value: "host=db.example dbname=app sslmode='verify-full'",
                problem: undefined,
            },
            {
                title: "a MySQL URL with ssl-mode=REQUIRED",
                value: "mysql://app@db.example:3306/app?ssl-mode=REQUIRED",
                problem: "a MySQL URL with ssl-mode=REQUIRED (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a MySQL URL with ssl-mode=VERIFY_IDENTITY",
                value: "mysql://app@db.example:3306/app?ssl-mode=VERIFY_IDENTITY",
                problem: undefined,
            },
            {
                title: "a MySQL URL with sslMode=verify_identity (any case)",
                value: "jdbc:mysql://db.example/app?sslMode=verify_identity",
                problem: undefined,
            },
            {
                title: "a MySQL URL without ssl-mode",
                value: "mysql://db.example/app",
                problem: "a MySQL URL with no ssl-mode (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "text that is not a connection string",
                value: "https://example.com/?sslmode=disable",
                problem: undefined,
            },
            {
                title: "a JDBC URL with verify-full and the NonValidatingFactory",
                value: "jdbc:postgresql://db.example/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory",
                problem:
                    "a PostgreSQL URL with sslmode=verify-full and sslfactory=org.postgresql.ssl.NonValidatingFactory, which turns server verification off (needs sslmode=verify-full)",
            },
            {
                title: "a MySQL URL with VERIFY_IDENTITY and sslaccept=accept_invalid_certs",
                value: "mysql://db.example/app?ssl-mode=VERIFY_IDENTITY&sslaccept=accept_invalid_certs",
                problem:
                    "a MySQL URL with ssl-mode=VERIFY_IDENTITY and sslaccept=accept_invalid_certs, which turns server verification off (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a JDBC MySQL URL with useSSL=false and verifyServerCertificate=false",
                value: "jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&useSSL=false&verifyServerCertificate=false",
                problem:
                    "a MySQL URL with ssl-mode=VERIFY_IDENTITY and useSSL=false, verifyServerCertificate=false, which turns server verification off (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a MySQL URL with ssl-mode=PREFERRED",
                value: "mysql://db.example/app?ssl-mode=PREFERRED",
                problem: "a MySQL URL with ssl-mode=PREFERRED (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a semicolon connection string with SSL Mode=Require",
                value: "Host=db.example;Database=app;SSL Mode=Require",
                problem:
                    "a semicolon-separated connection string with SSL Mode=Require (needs SSL Mode=VerifyFull)",
            },
            {
                title: "a semicolon connection string with SSL Mode=VerifyFull",
                value: "Host=db.example;Database=app;SSL Mode=VerifyFull",
                problem: undefined,
            },
        ];
        for (const c of cases) {
            it(`${c.problem === undefined ? "passes" : "blocks"} ${c.title} in an SSM parameter`, async () => {
                assert.deepEqual(
                    await pack().analyze(ssm(c.value)),
                    c.problem === undefined ? [] : [weak(SSM, "db-url", "value", c.problem)],
                );
            });
        }
        it("checks SecureString parameters, whose values arrive as secrets", async () => {
            const diags = await pack().analyze({
                type: SSM,
                name: "db-url",
                props: {
                    type: "SecureString",
                    value: secret("postgres://app:pw@db.example/app?sslmode=require"),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    SSM,
                    "db-url",
                    "value",
                    "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
                ),
            ]);
        });
        it("checks connection strings inside a JSON secret, at any depth", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretId: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db",
                    secretString: secret(
                        JSON.stringify({
                            username: "app",
                            url: "postgresql://app@db.example/app?sslmode=disable",
                            replicas: [{ dsn: "host=r1.example dbname=app" }],
                            PGSSLMODE: "require",
                        }),
                    ),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.url",
                    "a PostgreSQL URL with sslmode=disable (needs sslmode=verify-full)",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.replicas[0].dsn",
                    "a PostgreSQL keyword connection string with no sslmode (needs sslmode=verify-full)",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.PGSSLMODE",
                    "PGSSLMODE=require (needs PGSSLMODE=verify-full)",
                ),
            ]);
        });
        it("passes an RDS credentials secret without connection strings, even with key=value text in it", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretString: secret(
                        JSON.stringify({
                            username: "app",
                            password: "a=b c=d",
                            engine: "postgres",
                            host: "db-proxy.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
                            port: 5432,
                        }),
                    ),
                },
            });
            assert.deepEqual(diags, []);
        });
        it("passes a JSON secret whose connection string verifies fully", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretString: JSON.stringify({ url: "postgres://db.example/app?sslmode=verify-full" }),
                },
            });
            assert.deepEqual(diags, []);
        });
        it("checks Lambda environment variables, PGSSLMODE included", async () => {
            const diags = await pack().analyze({
                type: LAMBDA,
                name: "api",
                props: {
                    environment: {
                        variables: {
                            DATABASE_URL: "postgres://api@db.example/app?sslmode=require",
                            PGSSLMODE: "verify-ca",
                            LOG_LEVEL: "info",
                        },
                    },
                },
            });
            assert.deepEqual(diags, [
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.DATABASE_URL",
                    "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
                ),
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.PGSSLMODE",
                    "PGSSLMODE=verify-ca (needs PGSSLMODE=verify-full)",
                ),
            ]);
        });
        it("checks .env blobs line by line, each value again", async () => {
            const diags = await pack().analyze(
                ssm(
                    "# database\nDB_HOST=db.example\nsslmode=disable\nexport DATABASE_URL='postgres://db.example/app?sslmode=require'\nhost=db.example dbname=app sslmode=allow\nLOG=info\n",
                ),
            );
            assert.deepEqual(diags, [
                weak(
                    SSM,
                    "db-url",
                    "value.sslmode",
                    "sslmode=disable (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
                ),
                weak(
                    SSM,
                    "db-url",
                    "value.DATABASE_URL",
                    "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
                ),
                weak(
                    SSM,
                    "db-url",
                    "value",
                    "a PostgreSQL keyword connection string with sslmode=allow (needs sslmode=verify-full)",
                ),
            ]);
        });
        it("checks TLS settings in JSON: sslmode, ssl: false, ssl.rejectUnauthorized: false", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretString: secret(
                        JSON.stringify({
                            primary: { host: "db.example", sslmode: "disable" },
                            replica: { host: "r.example", ssl: false },
                            node: { host: "db.example", ssl: { rejectUnauthorized: false, ca: "PEM" } },
                            ok: { host: "db.example", ssl: { rejectUnauthorized: true, ca: "PEM" } },
                        }),
                    ),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.primary.sslmode",
                    "sslmode=disable (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.replica.ssl",
                    "ssl=false, which turns server verification off",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.node.ssl.rejectUnauthorized",
                    "rejectUnauthorized=false, which turns server verification off",
                ),
            ]);
        });
        it("checks Lambda variables as TLS settings: DB_SSLMODE, NODE_TLS_REJECT_UNAUTHORIZED", async () => {
            const diags = await pack().analyze({
                type: LAMBDA,
                name: "api",
                props: {
                    environment: {
                        variables: {
                            DB_SSLMODE: "disable",
                            NODE_TLS_REJECT_UNAUTHORIZED: "0",
                            MYSQL_SSL_MODE: "VERIFY_IDENTITY",
                            SMTP_USE_SSL: "false",
                        },
                    },
                },
            });
            assert.deepEqual(diags, [
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.DB_SSLMODE",
                    "DB_SSLMODE=disable (needs DB_SSLMODE=verify-full, or VERIFY_IDENTITY for MySQL)",
                ),
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.NODE_TLS_REJECT_UNAUTHORIZED",
                    "NODE_TLS_REJECT_UNAUTHORIZED=0, which turns server verification off",
                ),
            ]);
        });
        it("checks the environment of ECS container definitions", async () => {
            const ECS = "aws:ecs/taskDefinition:TaskDefinition";
            const diags = await pack().analyze({
                type: ECS,
                name: "api",
                props: {
                    family: "api",
                    containerDefinitions: JSON.stringify([
                        {
                            name: "api",
                            image: "api:1",
                            environment: [
                                { name: "PGSSLMODE", value: "require" },
                                {
                                    name: "DATABASE_URL",
                                    value: "postgres://db.example/app?sslmode=verify-full",
                                },
                            ],
                        },
                    ]),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    ECS,
                    "api",
                    "containerDefinitions[0].environment[0].value",
                    "PGSSLMODE=require (needs PGSSLMODE=verify-full)",
                ),
            ]);
        });
        it("passes a Lambda with PGSSLMODE=verify-full and a verify-full URL", async () => {
            const diags = await pack().analyze({
                type: LAMBDA,
                name: "api",
                props: {
                    environment: {
                        variables: {
                            DATABASE_URL: secret(
                                "postgres://api@db.example/app?sslmode=verify-full&sslrootcert=/opt/AmazonRootCA1.pem",
                            ),
                            PGSSLMODE: "verify-full",
                        },
                    },
                },
            });
            assert.deepEqual(diags, []);
        });
    });

    describe("database-endpoint-private-dns (stack)", () => {
        const SERVICE = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
        const PROXY_HOST = "db-proxy.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com";
        const endpoint = {
            type: ENDPOINT,
            name: "db",
            props: { vpcEndpointType: "Interface", serviceName: SERVICE },
        };
        const zone = {
            type: ZONE,
            name: "proxy",
            props: { name: PROXY_HOST, vpcs: [{ vpcId: "vpc-0app" }] },
        };
        const record = {
            type: RECORD,
            name: "proxy",
            props: {
                zoneId: "Z0PROXY",
                name: PROXY_HOST,
                type: "A",
                aliases: [
                    {
                        name: "vpce-0abc.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
                        zoneId: "Z1",
                        evaluateTargetHealth: false,
                    },
                ],
            },
        };
        const fix =
            "so clients must use the endpoint's own DNS name, which the proxy's certificate does not cover, and sslmode=verify-full fails. Fix: create a private hosted zone (aws.route53.Zone with vpcs set to the consumer VPC) for the proxy's hostname and an alias A record for that hostname pointing at the endpoint's DNS name.";
        it("passes an endpoint with a private zone for the proxy hostname and an alias record", async () => {
            assert.deepEqual(await pack().analyzeStack([endpoint, zone, record]), []);
        });
        it("blocks an endpoint without any private hosted zone", async () => {
            assert.deepEqual(await pack().analyzeStack([endpoint]), [
                violation(
                    "database-endpoint-private-dns",
                    `${ENDPOINT} "db" connects to the database endpoint service ${SERVICE}, but the stack has no private hosted zone for a name within rds.amazonaws.com, ${fix}`,
                    urnOf(ENDPOINT, "db"),
                ),
            ]);
        });
        it("blocks an endpoint whose private zone has no alias record", async () => {
            assert.deepEqual(await pack().analyzeStack([endpoint, zone]), [
                violation(
                    "database-endpoint-private-dns",
                    `${ENDPOINT} "db" connects to the database endpoint service ${SERVICE}, but no private hosted zone of the stack (${ZONE} "proxy") holds an alias A/AAAA or CNAME record, ${fix}`,
                    urnOf(ENDPOINT, "db"),
                ),
            ]);
        });
        it("does not count a public zone (no vpcs)", async () => {
            const publicZone = { ...zone, props: { name: PROXY_HOST } };
            assert.deepEqual(await pack().analyzeStack([endpoint, publicZone, record]), [
                violation(
                    "database-endpoint-private-dns",
                    `${ENDPOINT} "db" connects to the database endpoint service ${SERVICE}, but the stack has no private hosted zone for a name within rds.amazonaws.com, ${fix}`,
                    urnOf(ENDPOINT, "db"),
                ),
            ]);
        });
        it("links a record with a relative name to its zone through the engine's dependencies", async () => {
            const relative = {
                ...record,
                props: { ...record.props, name: "" },
                propertyDependencies: { zoneId: [urnOf(ZONE, "proxy")] },
            };
            assert.deepEqual(await pack().analyzeStack([endpoint, zone, relative]), []);
        });
        it("ignores gateway endpoints and endpoints to AWS services", async () => {
            const diags = await pack().analyzeStack([
                { type: ENDPOINT, name: "s3", props: { serviceName: "com.amazonaws.eu-west-1.s3" } },
                {
                    type: ENDPOINT,
                    name: "sts",
                    props: { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.sts" },
                },
            ]);
            assert.deepEqual(diags, []);
        });
        it("only counts the configured endpointServiceNames when set", async () => {
            await pack().configure({
                "database-endpoint-private-dns": {
                    endpointServiceNames: ["com.amazonaws.vpce.eu-west-1.vpce-svc-0fff"],
                },
            });
            assert.deepEqual(await pack().analyzeStack([endpoint]), []);
        });
    });
});
