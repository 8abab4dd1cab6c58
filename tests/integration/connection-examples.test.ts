/**
 * The `connection` output's examples, RUN as the app-account stack generates them, against real PostgreSQL and
 * MariaDB servers (a contract of engine "mariadb": RDS for MariaDB) that present a certificate shaped like RDS Proxy's and admit
 * TLS connections only. The contract is checked by the stack's own `parseContract` and points at the local
 * servers: the writer's port is the server's port; the read-only port is a TCP forwarder to the same server (the
 * stand-in for the NLB's read-only listener), so that each endpoint's example dials its own port. The database
 * user is created with plain SQL, its password kept in a Secrets Manager secret in moto, and every example
 * fetches it the way it is written to: the command line through `aws secretsmanager get-secret-value | jq`, the
 * Node.js code through the AWS SDK.
 *
 * Stand-ins, none of which changes an example's text:
 * - The CA: each example runs in a directory whose `AmazonRootCA1.pem` is the test CA that signed the servers'
 *   certificate, in place of Amazon Root CA 1.
 * - Name resolution (the consumer's private hosted zones): psql gets `PGHOSTADDR`, Node.js a preload answering
 *   `dns.lookup`, MariaDB's client a private hosts file bind-mounted over /etc/hosts (tools/local/hosts.ts).
 *   Every client still dials and verifies the NAME: the failing cases reach the same server at the same address
 *   and are refused only for their name or their CA.
 * - The AWS CLI: `aws` on PATH is tools/local/aws-standin.cjs, which accepts exactly the example's
 *   get-secret-value command and reads the secret from moto. The Node.js examples use the real SDK, pointed at
 *   moto by AWS_ENDPOINT_URL.
 *
 * The VPC Lattice path (a version-2 contract): its `connection` names the same proxy names, both on the proxy's port
 * (no listener of its own); psql and MariaDB's client dial them, and a resource endpoint's own name is refused.
 * Also run: the plain PostgreSQL JDBC URL with pgjdbc, and the node-postgres IAM example (its token signed with a
 * session of the connect role from moto's STS; see that block for what the stand-in does not check).
 * Not run here: MySQL's own client (`cli` of a MySQL 8.0 engine; MariaDB's client has no `--ssl-mode`: a MySQL
 * engine's `mariadbCli` is the MariaDB engine's `cli` run here, tests/unit/app-account.test.ts), MariaDB Connector/J
 * (not packaged on this machine), the `jdbc:aws-wrapper:` URLs, and the other IAM examples (CLI token, mysql2).
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { connection, type Connection, type EndpointConnection } from "../../stacks/app-account/connection";
import { consumerFor, parseContract } from "../../stacks/app-account/contract";
import {
    assertPrivateHosts,
    awsStandinBin,
    inPrivateHosts,
    nodeHostsArgs,
    writeHostsFile,
} from "../../tools/local/hosts";
import { pgjdbc } from "../../tools/local/jdbc";
import { startMariadb, type LocalMariadb } from "../../tools/local/mariadb";
import { freePort, startMoto, type Moto } from "../../tools/local/moto";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";
import type { Engine } from "../../vocabulary/engines";

const identity = { id: "c1a2b3", region: "eu-west-1" };
const domain = proxyDomain(identity);
const WRITER = `db-account-proxy-7c1d.${domain}`;
/** The read-only alias clients dial (one label under the proxy's domain, covered by its wildcard). */
const READER = `db-account-proxy-ro.${domain}`;
/** The read-only endpoint's own name: only IAM tokens use it. */
const READER_REAL = `db-account-proxy-ro.endpoint.${domain}`;
const VPCE = "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com";
/** A name of a resource endpoint's own (the Lattice path), which the proxy's certificate does not cover either. */
const RESOURCE_VPCE =
    "vpce-0123456789abcdef1-snra-0123456789abcdef0.rcfg-0123456789abcdef0.vpc-lattice-rsc.on.aws";
const PRODUCER = "organization/rds-cross-account/db-account";
const CONSUMER_ACCOUNT = "222222222222";
const USER = "orders";
/** The secret's KMS key as the contract names it; no example uses it (moto does not encrypt). */
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001";

/** The connect role in the database account (moto's default account). */
const CONNECT_ROLE = "arn:aws:iam::123456789012:role/db-account-connect-orders";

const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs a process without blocking this one (the read-only forwarders live in this process). A process still
 * running after a minute is killed, so that a hung client fails the test instead of stalling it.
 */
function run(
    command: string,
    args: readonly string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: "pipe" });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const guard = setTimeout(() => child.kill("SIGKILL"), 60000);
        child.once("error", (err) => {
            clearTimeout(guard);
            reject(err);
        });
        child.once("close", (status) => {
            clearTimeout(guard);
            resolve({ status, stdout, stderr });
        });
        child.stdin.end(options.input ?? "");
    });
}

/** A TCP forwarder on a free loopback port to `targetPort`, counting the connections it forwarded. */
interface Forwarder {
    readonly port: number;
    connections: number;
    stop(): Promise<void>;
}

async function startForwarder(targetPort: number): Promise<Forwarder> {
    const port = await freePort();
    const sockets = new Set<net.Socket>();
    const forwarder: Forwarder = {
        port,
        connections: 0,
        stop: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
    const server = net.createServer((client) => {
        forwarder.connections++;
        const upstream = net.connect(targetPort, "127.0.0.1");
        for (const s of [client, upstream]) {
            sockets.add(s);
            s.once("close", () => sockets.delete(s));
            s.on("error", () => {
                client.destroy();
                upstream.destroy();
            });
        }
        client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
    });
    return forwarder;
}

/**
 * The `connection` output the app-account stack exports for a password consumer of `engine`, or (no `secretArn`)
 * from a producer whose contract describes no credentials.
 */
function connectionFor(
    engine: Engine,
    port: number,
    readOnlyPort: number,
    database: string,
    secretArn: string | undefined,
    connectRoleArn?: string,
): Connection {
    const details = {
        value: {
            version: 1,
            region: identity.region,
            engine,
            port,
            endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            availabilityZoneIds: ["euw1-az1", "euw1-az2"],
            proxyEndpoint: WRITER,
            readOnlyEndpoint: READER,
            readOnlyPort,
            readOnlyProxyEndpoint: READER_REAL,
            idleTimeoutSeconds: 300,
            databaseName: database,
            ...(connectRoleArn !== undefined
                ? {
                      consumers: [
                          { accountId: CONSUMER_ACCOUNT, databaseUser: USER, auth: "iam", connectRoleArn },
                      ],
                  }
                : secretArn === undefined
                  ? {}
                  : {
                        consumers: [
                            {
                                accountId: CONSUMER_ACCOUNT,
                                databaseUser: USER,
                                auth: "password",
                                secretArn,
                                secretKeyArn: KEY,
                            },
                        ],
                    }),
            tls: { sslmode: "verify-full" },
        },
    };
    const contract = parseContract(PRODUCER, details);
    return connection(contract, true, consumerFor(PRODUCER, contract, CONSUMER_ACCOUNT));
}

/**
 * The `connection` output for a password consumer of `engine` on the VPC Lattice path: a version-2 contract whose
 * resource configurations answer the same names, both on the proxy's port (a resource endpoint has no listener of
 * its own, so the read-only endpoint is dialled on the proxy's port too).
 */
function latticeConnectionFor(engine: Engine, port: number, database: string, secretArn: string): Connection {
    const account = "123456789012";
    const configuration = (n: number) =>
        `arn:aws:vpc-lattice:${identity.region}:${account}:resourceconfiguration/rcfg-0123456789abcdef${n}`;
    const details = {
        value: {
            version: 2,
            producerAccountId: account,
            region: identity.region,
            engine,
            port,
            proxyEndpoint: WRITER,
            readOnlyEndpoint: READER,
            readOnlyProxyEndpoint: READER_REAL,
            idleTimeoutSeconds: 300,
            databaseName: database,
            consumers: [
                {
                    accountId: CONSUMER_ACCOUNT,
                    databaseUser: USER,
                    auth: "password",
                    secretArn,
                    secretKeyArn: KEY,
                },
            ],
            tls: { sslmode: "verify-full" },
            connectivity: {
                kind: "vpc-lattice",
                resourceConfigurationArn: configuration(0),
                readOnlyResourceConfigurationArn: configuration(1),
                resourceShareArn: `arn:aws:ram:${identity.region}:${account}:resource-share/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d`,
                invitedAccountIds: [CONSUMER_ACCOUNT],
            },
        },
    };
    const contract = parseContract(PRODUCER, details);
    assert.equal(contract.connectivity.kind, "vpc-lattice");
    return connection(contract, true, consumerFor(PRODUCER, contract, CONSUMER_ACCOUNT));
}

/**
 * The SigV4 query-string signature of an RDS auth token (a presigned GET of `/` with `host` the only signed header
 * and the empty payload's hash), recomputed from the token's own parameters and the signing key's secret
 * (AWS Signature Version 4, "Create a signed AWS API request" / "Authentication methods": query parameters).
 */
function presignature(token: URL, secretAccessKey: string, region: string): string {
    const sha256 = (v: string) => crypto.createHash("sha256").update(v).digest("hex");
    const hmac = (key: crypto.BinaryLike, v: string) => crypto.createHmac("sha256", key).update(v).digest();
    const encode = (v: string) =>
        encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const query = [...token.searchParams.entries()]
        .filter(([k]) => k !== "X-Amz-Signature")
        .map(([k, v]) => [encode(k), encode(v)])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
    const date = token.searchParams.get("X-Amz-Date") ?? "";
    const scope = `${date.slice(0, 8)}/${region}/rds-db/aws4_request`;
    const canonical = ["GET", "/", query, `host:${token.host}`, "", "host", sha256("")].join("\n");
    const toSign = ["AWS4-HMAC-SHA256", date, scope, sha256(canonical)].join("\n");
    let key: Buffer = hmac(`AWS4${secretAccessKey}`, date.slice(0, 8));
    for (const part of [region, "rds-db", "aws4_request"]) key = hmac(key, part);
    return crypto.createHmac("sha256", key).update(toSign).digest("hex");
}

/** Makes a directory in which the examples run: `AmazonRootCA1.pem` is `caPem`, node_modules the project's. */
function workDir(parent: string, name: string, caPem: string): string {
    const dir = path.join(parent, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "AmazonRootCA1.pem"), caPem);
    fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(dir, "node_modules"));
    return dir;
}

/** The example text with the name it dials replaced by `name` (its port and everything else unchanged). */
function dialling(text: string, endpoint: EndpointConnection, name: string): string {
    assert.ok(text.includes(endpoint.host), `the example does not name ${endpoint.host}: ${text}`);
    return text.split(endpoint.host).join(name);
}

describe("connection examples, run as generated (real PostgreSQL and MariaDB, secrets in moto)", function () {
    this.timeout(180000);
    let tls: TestTls;
    let otherCa: TestTls;
    let pgServer: LocalPostgres | undefined;
    let mariaServer: LocalMariadb | undefined;
    let moto: Moto | undefined;
    /** Runs `work` as the server's master user, over TLS verified as the writer's name, then disconnects. */
    async function asPgAdmin<T>(pg: LocalPostgres, work: (admin: Client) => Promise<T>): Promise<T> {
        const admin = new Client({
            host: "127.0.0.1",
            port: pg.port,
            user: pg.adminUser,
            password: pg.adminPassword,
            database: pg.database,
            ssl: { ca: tls.caPem, rejectUnauthorized: true, servername: WRITER },
        });
        await admin.connect();
        try {
            return await work(admin);
        } finally {
            await admin.end();
        }
    }
    const forwarders: Forwarder[] = [];
    let root: string;
    let hostsFile: string;
    /** The environment every example runs with: the AWS CLI stand-in first on PATH, moto's variables. */
    let env: NodeJS.ProcessEnv;
    let pgConnection: Connection;
    /** PostgreSQL, from a contract without credentials: its JDBC example is the plain driver's URL. */
    let pgPlainConnection: Connection;
    let pgPassword: string;
    /** PostgreSQL, IAM authentication. */
    let pgIamConnection: Connection;
    let mariaConnection: Connection;
    /** The same consumers on the VPC Lattice path (contract version 2). */
    let pgLatticeConnection: Connection;
    let mariaLatticeConnection: Connection;
    let pgReadOnly: Forwarder;
    let mariaReadOnly: Forwarder;

    before(async () => {
        tls = makeTestTls(identity);
        otherCa = makeTestTls(identity);
        root = fs.mkdtempSync(path.join(os.tmpdir(), "rcx-examples-"));
        hostsFile = writeHostsFile(root, "127.0.0.1", [WRITER, READER, VPCE, RESOURCE_VPCE]);
        assertPrivateHosts(hostsFile, WRITER);
        [pgServer, mariaServer, moto] = await Promise.all([
            startPostgres(tls),
            startMariadb(tls),
            startMoto(identity.region),
        ]);
        env = { ...process.env, PATH: `${awsStandinBin(root)}:${process.env.PATH ?? ""}` };
        for (const k of Object.keys(env)) if (/^(PG|MYSQL_)/.test(k)) delete env[k];

        const secrets = new SecretsManagerClient({ region: identity.region });
        const secretFor = async (name: string, password: string) =>
            (
                await secrets.send(
                    new CreateSecretCommand({
                        Name: name,
                        SecretString: JSON.stringify({ username: USER, password }),
                    }),
                )
            ).ARN!;
        pgPassword = crypto.randomBytes(18).toString("base64url");
        const mariaPassword = crypto.randomBytes(18).toString("base64url");

        // The application's user, created with plain SQL by the master user (over verified TLS).
        const pg = pgServer;
        await asPgAdmin(pg, async (admin) => {
            await admin.query(
                `CREATE ROLE ${admin.escapeIdentifier(USER)} LOGIN PASSWORD ${admin.escapeLiteral(pgPassword)}`,
            );
            await admin.query(
                `GRANT CONNECT ON DATABASE ${admin.escapeIdentifier(pg.database)} TO ${admin.escapeIdentifier(USER)}`,
            );
        });
        const maria = mariaServer;
        const madmin = await mysql.createConnection({
            host: WRITER,
            port: maria.port,
            stream: () => net.connect(maria.port, "127.0.0.1"),
            user: maria.adminUser,
            password: maria.adminPassword,
            ssl: { ca: tls.caPem, rejectUnauthorized: true, verifyIdentity: true },
        });
        try {
            await madmin.query(
                mysql.format("CREATE USER ?@'127.0.0.1' IDENTIFIED BY ? REQUIRE SSL", [USER, mariaPassword]),
            );
            await madmin.query(mysql.format("GRANT SELECT ON ??.* TO ?@'127.0.0.1'", [maria.database, USER]));
        } finally {
            await madmin.end();
        }

        pgReadOnly = await startForwarder(pg.port);
        mariaReadOnly = await startForwarder(maria.port);
        forwarders.push(pgReadOnly, mariaReadOnly);
        const pgSecret = await secretFor("db-account-orders-pg", pgPassword);
        pgConnection = connectionFor("aurora-postgresql", pg.port, pgReadOnly.port, pg.database, pgSecret);
        pgLatticeConnection = latticeConnectionFor("aurora-postgresql", pg.port, pg.database, pgSecret);
        pgPlainConnection = connectionFor(
            "aurora-postgresql",
            pg.port,
            pgReadOnly.port,
            pg.database,
            undefined,
        );
        pgIamConnection = connectionFor(
            "aurora-postgresql",
            pg.port,
            pgReadOnly.port,
            pg.database,
            undefined,
            CONNECT_ROLE,
        );
        const mariaSecret = await secretFor("db-account-orders-mysql", mariaPassword);
        mariaConnection = connectionFor(
            "mariadb",
            maria.port,
            mariaReadOnly.port,
            maria.database,
            mariaSecret,
        );
        mariaLatticeConnection = latticeConnectionFor("mariadb", maria.port, maria.database, mariaSecret);
    });
    after(async () => {
        await Promise.all([
            ...forwarders.map((f) => f.stop()),
            pgServer?.stop(),
            mariaServer?.stop(),
            moto?.stop(),
        ]);
        tls?.cleanup();
        otherCa?.cleanup();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    let dirs = 0;
    /** A fresh directory for one example, trusting the test CA (or `caPem`). */
    const dirFor = (caPem = tls.caPem) => workDir(root, `run-${++dirs}`, caPem);

    /** Runs a Node.js example with `tail` appended, resolving the proxy's names through the hosts preload. */
    async function runNode(
        example: string,
        tail: string,
        caPem?: string,
        extraEnv: Record<string, string> = {},
    ): Promise<Run> {
        const dir = dirFor(caPem);
        const file = path.join(dir, "example.mjs");
        fs.writeFileSync(file, `${example}\n${tail}\n`);
        const hosts = nodeHostsArgs(hostsFile);
        return run(process.execPath, [...hosts.args, file], {
            cwd: dir,
            env: { ...env, ...hosts.env, ...extraEnv },
        });
    }

    const endpoints = (c: Connection) => {
        assert.ok(c.readOnly, "the contract has a read-only endpoint");
        return [
            ["writer", c.writer],
            ["read-only", c.readOnly],
        ] as const;
    };
    const forwarded = (which: string, f: Forwarder, before: number) =>
        which === "read-only"
            ? assert.ok(f.connections > before, "the read-only example did not dial the read-only port")
            : assert.equal(f.connections, before, "the writer example dialled the read-only port");

    describe("PostgreSQL", () => {
        const PG_QUERY =
            "SELECT 'who=' || current_user || ' ssl=' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n";
        const PG_TAIL = [
            `const { rows } = await pool.query("SELECT current_user AS who, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");`,
            `console.log(JSON.stringify(rows[0]));`,
            `await pool.end();`,
        ].join("\n");
        /** psql (libpq) dials the name in its command line at PGHOSTADDR, and verifies that name. */
        const psql = (cli: string, caPem?: string) =>
            run("sh", ["-c", cli], {
                cwd: dirFor(caPem),
                env: { ...env, PGHOSTADDR: "127.0.0.1", PGCONNECT_TIMEOUT: "10" },
                input: PG_QUERY,
            });

        for (const which of ["writer", "read-only"] as const) {
            const endpoint = () => endpoints(pgConnection).find(([w]) => w === which)![1];
            it(`${which}: the psql command line (password from the secret via aws + jq) logs in with verify-full`, async () => {
                const e = endpoint();
                const before = pgReadOnly.connections;
                const out = await psql(e.examples.cli);
                assert.equal(out.stderr, "");
                assert.match(out.stdout, new RegExp(`^ who=${USER} ssl=true$`, "m"));
                assert.equal(out.status, 0);
                forwarded(which, pgReadOnly, before);
            });
            it(`${which}: the node-postgres pool (password from the secret via the SDK) logs in with verify-full`, async () => {
                const e = endpoint();
                const before = pgReadOnly.connections;
                const out = await runNode(e.examples.node, PG_TAIL);
                assert.equal(out.stderr, "");
                assert.deepEqual(JSON.parse(out.stdout), { who: USER, ssl: true });
                forwarded(which, pgReadOnly, before);
            });
        }

        it("psql fails when AmazonRootCA1.pem is another CA", async () => {
            const out = await psql(pgConnection.writer.examples.cli, otherCa.caPem);
            assert.notEqual(out.status, 0);
            assert.match(out.stderr, /certificate verify failed/);
        });
        it("psql fails when the command dials the interface endpoint's vpce- name", async () => {
            const e = pgConnection.writer;
            const out = await psql(dialling(e.examples.cli, e, VPCE));
            assert.notEqual(out.status, 0);
            assert.match(
                out.stderr,
                new RegExp(
                    `server certificate for "${re(tls.wildcard)}" does not match host name "${re(VPCE)}"`,
                ),
            );
        });
        it("node-postgres fails when AmazonRootCA1.pem is another CA", async () => {
            const out = await runNode(pgConnection.writer.examples.node, PG_TAIL, otherCa.caPem);
            assert.notEqual(out.status, 0);
            assert.match(out.stderr, /unable to verify the first certificate|self.signed/);
        });
        it("node-postgres fails when the pool dials the vpce- name", async () => {
            const e = pgConnection.writer;
            const out = await runNode(dialling(e.examples.node, e, VPCE), PG_TAIL);
            assert.notEqual(out.status, 0);
            assert.match(out.stderr, new RegExp(`Host: ${re(VPCE)}\\. is not in the cert's altnames`));
        });
    });

    describe("IAM, PostgreSQL: the node-postgres pool signs its token with the connect role's session (STS in moto)", () => {
        /*
         * The stand-in for RDS's IAM check: the appended code calls the pool's own password function (the
         * example's signer) and, as the master user, sets the database user's password to that token, which the
         * pool then sends: the server admits that exact token over verified TLS. The test then checks the token as RDS would: a SigV4
         * presigned `connect` for the user, signed for tokenHost:tokenPort in the region with the assumed role's
         * temporary key (the signature recomputed with that key's secret). What AWS checks and this does not: that
         * the role's policy allows rds-db:connect for this user, that the proxy requires IAM authentication, the
         * token's expiry against AWS's clock, and that the key belongs to a real session (moto's AssumeRole and
         * GetCallerIdentity stand in for STS).
         */
        const TAIL = [
            // The example's own password function signs the token; the server must know it before the pool's
            // connection starts authenticating (PostgreSQL reads the user's SCRAM secret first), so it is signed
            // here, set as the user's password, and then handed to the pool for its connection.
            // The credentials the signer signs with (each call of its provider assumes the role anew).
            `const provide = signer.credentials;`,
            `let credentials;`,
            `signer.credentials = async (p) => (credentials = await provide(p));`,
            `const sent = await pool.options.password();`,
            `const admin = JSON.parse(process.env.TEST_ADMIN);`,
            `const c = new pg.Client({ ...admin, ssl: { ca: readFileSync("AmazonRootCA1.pem", "utf8"), servername: admin.servername } });`,
            `await c.connect();`,
            "await c.query(`ALTER ROLE ${c.escapeIdentifier(admin.role)} PASSWORD ${c.escapeLiteral(sent)}`);",
            `await c.end();`,
            `pool.options.password = async () => sent;`,
            `const { rows } = await pool.query("SELECT current_user AS who, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");`,
            `await pool.end();`,
            `const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");`,
            `const caller = await new STSClient({ region: "${identity.region}", credentials }).send(new GetCallerIdentityCommand({}));`,
            `console.log(JSON.stringify({ ...rows[0], token: sent, credentials, callerArn: caller.Arn }));`,
        ].join("\n");

        // The user's password again, for the tests that read it from the secret.
        after(async () => {
            await asPgAdmin(pgServer!, (admin) =>
                admin.query(
                    `ALTER ROLE ${admin.escapeIdentifier(USER)} PASSWORD ${admin.escapeLiteral(pgPassword)}`,
                ),
            );
        });

        for (const which of ["writer", "read-only"] as const) {
            it(`${which}: the pool logs in with a token signed for tokenHost:tokenPort by the connect role's session`, async () => {
                const e = endpoints(pgIamConnection).find(([w]) => w === which)![1];
                assert.equal(e.auth, "iam");
                const pg = pgServer!;
                const admin = {
                    host: "127.0.0.1",
                    port: pg.port,
                    user: pg.adminUser,
                    password: pg.adminPassword,
                    database: pg.database,
                    servername: WRITER,
                    role: USER,
                };
                const before = pgReadOnly.connections;
                const out = await runNode(e.examples.node, TAIL, undefined, {
                    TEST_ADMIN: JSON.stringify(admin),
                });
                assert.equal(out.stderr, "");
                const result = JSON.parse(out.stdout) as {
                    who: string;
                    ssl: boolean;
                    token: string;
                    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
                    callerArn: string;
                };
                assert.equal(result.who, USER);
                assert.equal(result.ssl, true);
                forwarded(which, pgReadOnly, before);
                // The key is a session of the connect role, named as in the example.
                assert.equal(
                    result.callerArn,
                    "arn:aws:sts::123456789012:assumed-role/db-account-connect-orders/db-connect",
                );
                assert.ok(result.credentials.sessionToken, "temporary credentials carry a session token");
                const token = new URL(`https://${result.token}`);
                assert.equal(e.tokenHost, which === "writer" ? WRITER : READER_REAL);
                assert.equal(
                    e.tokenPort,
                    pg.port,
                    "the token names the proxy's port (the writer's), not the listener's",
                );
                assert.equal(token.host, `${e.tokenHost}:${e.tokenPort}`);
                assert.equal(token.pathname, "/");
                const q = token.searchParams;
                const date = q.get("X-Amz-Date") ?? "";
                assert.deepEqual([...q.keys()].sort(), [
                    "Action",
                    "DBUser",
                    "X-Amz-Algorithm",
                    "X-Amz-Credential",
                    "X-Amz-Date",
                    "X-Amz-Expires",
                    "X-Amz-Security-Token",
                    "X-Amz-Signature",
                    "X-Amz-SignedHeaders",
                ]);
                assert.equal(q.get("Action"), "connect");
                assert.equal(q.get("DBUser"), USER);
                assert.equal(q.get("X-Amz-Algorithm"), "AWS4-HMAC-SHA256");
                assert.equal(
                    q.get("X-Amz-Credential"),
                    `${result.credentials.accessKeyId}/${date.slice(0, 8)}/${identity.region}/rds-db/aws4_request`,
                );
                assert.equal(q.get("X-Amz-Expires"), "900");
                assert.equal(q.get("X-Amz-Security-Token"), result.credentials.sessionToken);
                assert.equal(q.get("X-Amz-SignedHeaders"), "host");
                assert.equal(
                    q.get("X-Amz-Signature"),
                    presignature(token, result.credentials.secretAccessKey, identity.region),
                );
            });
        }
    });

    describe("JDBC, PostgreSQL (pgjdbc, the plain driver's URL of a contract without credentials)", () => {
        /** Connects with the URL as given and the user and password the database account handed out. */
        const CHECK = [
            "import java.sql.*;",
            "public class Check {",
            "    public static void main(String[] args) throws Exception {",
            '        try (Connection c = DriverManager.getConnection(args[0], System.getenv("DB_USER"), System.getenv("DB_PASSWORD"));',
            "             Statement s = c.createStatement();",
            '             ResultSet r = s.executeQuery("SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {',
            "            r.next();",
            '            System.out.println("who=" + r.getString(1) + " ssl=" + r.getBoolean(2));',
            "        }",
            "    }",
            "}",
            "",
        ].join("\n");
        let classes: string;
        let jar: string;
        before(async () => {
            ({ jar } = pgjdbc());
            classes = path.join(root, "java-classes");
            fs.mkdirSync(classes);
            fs.writeFileSync(path.join(classes, "Check.java"), CHECK);
            const compiled = await run("javac", ["-d", classes, "Check.java"], { cwd: classes, env });
            assert.equal(compiled.stderr, "", "javac Check.java");
        });
        /** Runs Check with pgjdbc, the proxy's names answered by the JDK's hosts file resolver. */
        const jdbc = (url: string, caPem?: string) =>
            run("java", ["-cp", `${jar}:${classes}`, `-Djdk.net.hosts.file=${hostsFile}`, "Check", url], {
                cwd: dirFor(caPem),
                env: { ...env, DB_USER: USER, DB_PASSWORD: pgPassword },
            });

        for (const which of ["writer", "read-only"] as const) {
            it(`${which}: the JDBC URL logs in with verify-full against sslrootcert=AmazonRootCA1.pem`, async () => {
                const e = endpoints(pgPlainConnection).find(([w]) => w === which)![1];
                assert.match(e.examples.jdbc, /^jdbc:postgresql:\/\//);
                const before = pgReadOnly.connections;
                const out = await jdbc(e.examples.jdbc);
                assert.equal(out.stderr, "");
                assert.equal(out.stdout, `who=${USER} ssl=true\n`);
                assert.equal(out.status, 0);
                forwarded(which, pgReadOnly, before);
            });
        }
        it("fails when AmazonRootCA1.pem is another CA", async () => {
            const out = await jdbc(pgPlainConnection.writer.examples.jdbc, otherCa.caPem);
            assert.notEqual(out.status, 0);
            assert.match(out.stderr, /PSQLException: SSL error: PKIX path validation failed/);
        });
        it("fails when the URL dials the vpce- name", async () => {
            const e = pgPlainConnection.writer;
            const out = await jdbc(dialling(e.examples.jdbc, e, VPCE));
            assert.notEqual(out.status, 0);
            assert.match(
                out.stderr,
                new RegExp(
                    `The hostname ${re(VPCE)} could not be verified by hostnameverifier PgjdbcHostnameVerifier`,
                ),
            );
        });
    });

    describe("MariaDB (engine mariadb, MariaDB server)", () => {
        const MY_QUERY =
            "SELECT CONCAT('who=', CURRENT_USER(), ' cipher=', VARIABLE_VALUE) AS r " +
            "FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER';\n";
        const MY_TAIL = [
            `const [rows] = await pool.query("SELECT CURRENT_USER() AS who, VARIABLE_VALUE AS cipher FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER'");`,
            `console.log(JSON.stringify(rows[0]));`,
            `await pool.end();`,
        ].join("\n");
        /** MariaDB's client, with the proxy's names answered by a private hosts file. */
        const mariadb = (cli: string, caPem?: string) => {
            const [command, args] = inPrivateHosts(hostsFile, cli);
            return run(command, args, { cwd: dirFor(caPem), env, input: MY_QUERY });
        };

        for (const which of ["writer", "read-only"] as const) {
            const endpoint = () => endpoints(mariaConnection).find(([w]) => w === which)![1];
            it(`${which}: the MariaDB client command line (password via aws + jq) logs in with verified TLS`, async () => {
                const e = endpoint();
                assert.match(
                    e.examples.cli,
                    /^mariadb .* --ssl-verify-server-cert --ssl-ca=AmazonRootCA1\.pem /,
                );
                const before = mariaReadOnly.connections;
                const out = await mariadb(e.examples.cli);
                assert.equal(out.stderr, "");
                assert.match(
                    out.stdout,
                    new RegExp(`^r\\nwho=${USER}@127\\.0\\.0\\.1 cipher=[A-Z0-9_-]+\\n$`),
                );
                assert.equal(out.status, 0);
                forwarded(which, mariaReadOnly, before);
            });
            it(`${which}: the mysql2 pool (password from the secret via the SDK) logs in with verified TLS`, async () => {
                const e = endpoint();
                const before = mariaReadOnly.connections;
                const out = await runNode(e.examples.node, MY_TAIL);
                assert.equal(out.stderr, "");
                const row = JSON.parse(out.stdout) as { who: string; cipher: string };
                assert.equal(row.who, `${USER}@127.0.0.1`);
                assert.match(row.cipher, /^[A-Z0-9_-]+$/);
                forwarded(which, mariaReadOnly, before);
            });
        }

        it("the MariaDB client fails when AmazonRootCA1.pem is another CA", async () => {
            const out = await mariadb(mariaConnection.writer.examples.cli, otherCa.caPem);
            assert.notEqual(out.status, 0);
            assert.equal(
                out.stderr,
                "ERROR 2026 (HY000): TLS/SSL error: self-signed certificate in certificate chain\n",
            );
        });
        it("the MariaDB client fails when the command dials the vpce- name", async () => {
            const e = mariaConnection.writer;
            const out = await mariadb(dialling(e.examples.cli, e, VPCE));
            assert.notEqual(out.status, 0);
            // MariaDB Connector/C's message when the name does not match the certificate (ma_tls_verify_server_cert,
            // libmariadb ma_openssl.c); the writer's name passes with the same command, CA and server above.
            assert.equal(
                out.stderr,
                "ERROR 2026 (HY000): TLS/SSL error: Validation of SSL server certificate failed\n",
            );
        });
        it("mysql2 fails when AmazonRootCA1.pem is another CA", async () => {
            const out = await runNode(mariaConnection.writer.examples.node, MY_TAIL, otherCa.caPem);
            assert.notEqual(out.status, 0);
            assert.match(out.stderr, /unable to verify the first certificate|self.signed/);
        });
        it("mysql2 fails when the pool dials the vpce- name", async () => {
            const e = mariaConnection.writer;
            const out = await runNode(dialling(e.examples.node, e, VPCE), MY_TAIL);
            assert.notEqual(out.status, 0);
            assert.match(out.stderr, new RegExp(`Host: ${re(VPCE)}\\. is not in the cert's altnames`));
        });
    });

    describe("VPC Lattice (contract version 2): the names resource endpoints answer, on the proxy's port", () => {
        const PG_QUERY =
            "SELECT 'who=' || current_user || ' ssl=' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n";
        const MY_QUERY =
            "SELECT CONCAT('who=', CURRENT_USER(), ' cipher=', VARIABLE_VALUE) AS r " +
            "FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER';\n";
        const psql = (cli: string) =>
            run("sh", ["-c", cli], {
                cwd: dirFor(),
                env: { ...env, PGHOSTADDR: "127.0.0.1", PGCONNECT_TIMEOUT: "10" },
                input: PG_QUERY,
            });
        const mariadb = (cli: string) => {
            const [command, args] = inPrivateHosts(hostsFile, cli);
            return run(command, args, { cwd: dirFor(), env, input: MY_QUERY });
        };

        for (const which of ["writer", "read-only"] as const) {
            it(`${which}: psql dials the proxy's name on the proxy's port and logs in with verify-full`, async () => {
                const e = endpoints(pgLatticeConnection).find(([w]) => w === which)![1];
                assert.equal(e.port, pgServer!.port);
                const before = pgReadOnly.connections;
                const out = await psql(e.examples.cli);
                assert.equal(out.stderr, "");
                assert.match(out.stdout, new RegExp(`^ who=${USER} ssl=true$`, "m"));
                assert.equal(out.status, 0);
                assert.equal(pgReadOnly.connections, before, "no example dials a listener of its own");
            });
            it(`${which}: the MariaDB client dials the proxy's name on the proxy's port with verified TLS`, async () => {
                const e = endpoints(mariaLatticeConnection).find(([w]) => w === which)![1];
                assert.equal(e.port, mariaServer!.port);
                const out = await mariadb(e.examples.cli);
                assert.equal(out.stderr, "");
                assert.match(
                    out.stdout,
                    new RegExp(`^r\\nwho=${USER}@127\\.0\\.0\\.1 cipher=[A-Z0-9_-]+\\n$`),
                );
                assert.equal(out.status, 0);
            });
        }
        it("psql fails when the command dials a resource endpoint's own name", async () => {
            const e = pgLatticeConnection.readOnly!;
            const out = await psql(dialling(e.examples.cli, e, RESOURCE_VPCE));
            assert.notEqual(out.status, 0);
            assert.match(
                out.stderr,
                new RegExp(
                    `server certificate for "${re(tls.wildcard)}" does not match host name "${re(RESOURCE_VPCE)}"`,
                ),
            );
        });
    });
});
