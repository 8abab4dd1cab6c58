/**
 * The canary's connection check (components/consumer/canary/connect.ts), the code its Lambda runs, against real
 * PostgreSQL and MariaDB servers that present a certificate shaped like RDS Proxy's and admit TLS connections only.
 * Each failure the canary names is produced for real and reported as its own outcome: a name the certificate does
 * not cover, a wrong password, a server that never answers, a closed port, a credential that cannot be had.
 *
 * The IAM path runs through moto's STS: the connect role is assumed and the token signed for the proxy's real name
 * and port while the canary dials the alias. A local server cannot validate an RDS auth token (only RDS Proxy can),
 * so the test makes the token the user's password for one connection: that proves the canary sends the token it
 * signed, through each driver, as the password; not that RDS would accept it.
 */
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as net from "node:net";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { probe, type Credential, type ProbeTarget } from "../../components/consumer/canary/connect";
import { CANARY_SESSION_NAME, credentials } from "../../components/consumer/canary/credentials";
import { runCanary } from "../../components/consumer/canary/handler";
import type { CanarySettings } from "../../components/consumer/canary/targets";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startMariadb, type LocalMariadb } from "../../tools/local/mariadb";
import { freePort } from "../../tools/local/moto";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";
import { useMoto } from "../support/moto";

const identity = { id: "c1a2b3", region: "eu-west-1" };
const domain = proxyDomain(identity);
const WRITER = `db-account-proxy.${domain}`;
const READER = `db-account-proxy-ro.${domain}`;
/** The read-only endpoint's own name: two labels under the domain, not covered by the wildcard. */
const READER_REAL = `db-account-proxy-ro.endpoint.${domain}`;
const USER = "canary_app";
const PASSWORD = crypto.randomBytes(18).toString("base64url");

const fixed = (password: string, cleartext = false): Credential => ({ get: async () => password, cleartext });

describe("canary connection check (real PostgreSQL and MariaDB)", function () {
    this.timeout(120000);
    const servers = useMoto();
    let tls: TestTls;
    let pg: LocalPostgres | undefined;
    let maria: LocalMariadb | undefined;
    let blackHole: net.Server | undefined;
    let blackHolePort = 0;
    const held: net.Socket[] = [];

    /** Runs `sql` as the admin user (values bound, so a token or password is never spliced into SQL). */
    async function pgAdmin(...steps: (string | [string, unknown[]])[]): Promise<void> {
        const c = new Client({
            host: "127.0.0.1",
            port: pg!.port,
            user: pg!.adminUser,
            password: pg!.adminPassword,
            database: pg!.database,
            ssl: { ca: tls.caPem, servername: WRITER },
        });
        await c.connect();
        try {
            for (const step of steps) {
                const [sql, values] = typeof step === "string" ? [step, []] : step;
                await c.query(sql, values);
            }
        } finally {
            await c.end();
        }
    }
    async function mariaAdmin(sql: string, values: unknown[] = []): Promise<void> {
        const c = await mysql.createConnection({
            host: WRITER,
            port: maria!.port,
            stream: () => net.connect(maria!.port, "127.0.0.1"),
            user: maria!.adminUser,
            password: maria!.adminPassword,
            ssl: { ca: tls.caPem, verifyIdentity: true },
        });
        try {
            await c.query(sql, values);
        } finally {
            await c.end();
        }
    }

    before(async () => {
        tls = makeTestTls(identity);
        [pg, maria] = await Promise.all([startPostgres(tls), startMariadb(tls)]);
        // PostgreSQL's CREATE ROLE takes no bound parameters; the password is base64url, so a literal is safe.
        await pgAdmin(`CREATE ROLE ${USER} LOGIN PASSWORD '${PASSWORD}'`);
        await mariaAdmin(`CREATE USER '${USER}'@'127.0.0.1' IDENTIFIED BY ? REQUIRE SSL`, [PASSWORD]);
        await mariaAdmin(`GRANT USAGE ON *.* TO '${USER}'@'127.0.0.1'`);
        // A server that accepts TCP connections and never says a word: the canary's timeout case.
        blackHole = net.createServer((socket) => {
            held.push(socket);
            socket.on("error", () => undefined);
        });
        blackHolePort = await freePort();
        await new Promise<void>((resolve) => blackHole!.listen(blackHolePort, "127.0.0.1", resolve));
    });
    after(async () => {
        held.forEach((s) => s.destroy());
        await new Promise<void>((resolve) => (blackHole ? blackHole.close(() => resolve()) : resolve()));
        await Promise.all([pg?.stop(), maria?.stop()]);
        tls?.cleanup();
    });

    const engines = [
        { engine: "aurora-postgresql" as const, server: () => pg!, name: "PostgreSQL" },
        { engine: "mariadb" as const, server: () => maria!, name: "MariaDB" },
    ];
    for (const { engine, server, name } of engines) {
        describe(name, () => {
            const target = (host: string, port = server().port): ProbeTarget => ({
                endpoint: "writer",
                engine,
                host,
                port,
                database: server().database,
                user: USER,
            });
            const run = (t: ProbeTarget, credential: Credential, timeoutMs = 5000) =>
                probe(t, { credential, ca: tls.caPem, dial: "127.0.0.1", timeoutMs });

            for (const host of [WRITER, READER]) {
                it(`ok on ${host}, with the connect time`, async () => {
                    const result = await run(target(host), fixed(PASSWORD));
                    assert.equal(result.outcome, "ok", result.message);
                    assert.equal(typeof result.connectMs, "number");
                    assert.ok(result.connectMs! >= 0 && result.connectMs! < 5000);
                });
            }
            it("tls-name-mismatch on a name the wildcard does not cover (same server, same address)", async () => {
                const result = await run(target(READER_REAL), fixed(PASSWORD));
                assert.equal(result.outcome, "tls-name-mismatch");
                assert.match(result.message, /is not in the cert's altnames/);
                assert.equal(result.connectMs, undefined);
            });
            it("tls-untrusted when the certificate's CA is not the trusted one", async () => {
                const other = makeTestTls(identity);
                try {
                    const result = await probe(target(WRITER), {
                        credential: fixed(PASSWORD),
                        ca: other.caPem,
                        dial: "127.0.0.1",
                        timeoutMs: 5000,
                    });
                    assert.equal(result.outcome, "tls-untrusted", result.message);
                } finally {
                    other.cleanup();
                }
            });
            it("auth-failed on a wrong password, which the message never holds", async () => {
                const wrong = `${PASSWORD}-wrong`;
                const result = await run(target(WRITER), fixed(wrong));
                assert.equal(result.outcome, "auth-failed", result.message);
                assert.ok(!result.message.includes(wrong));
                assert.ok(!result.message.includes(PASSWORD));
            });
            it("timeout on a server that never answers", async () => {
                const started = Date.now();
                const result = await run(target(WRITER, blackHolePort), fixed(PASSWORD), 1000);
                assert.equal(result.outcome, "timeout", result.message);
                assert.ok(Date.now() - started < 4000);
            });
            it("unreachable on a closed port", async () => {
                const result = await run(target(WRITER, await freePort()), fixed(PASSWORD));
                assert.equal(result.outcome, "unreachable", result.message);
            });
            it("no-credential when the credential cannot be had, without dialling", async () => {
                const result = await run(target(WRITER, blackHolePort), {
                    cleartext: false,
                    get: () => Promise.reject(new Error("Secrets Manager GetSecretValue of s failed.")),
                });
                assert.equal(result.outcome, "no-credential");
                assert.match(result.message, /^No credential for canary_app: Secrets Manager GetSecretValue/);
            });
        });
    }

    describe("IAM path (moto STS)", () => {
        const ROLE = "arn:aws:iam::123456789012:role/db-account-connect-orders";
        const source = {
            login: "iam-token" as const,
            roleArn: ROLE,
            tokenHost: READER_REAL,
            tokenPort: 5432,
            region: "eu-west-1",
        };

        it("assumes the connect role and signs the token for the proxy's real name and port, not the alias", async () => {
            const token = await credentials(process.env)(source, USER).get();
            const url = new URL(`https://${token}`);
            assert.equal(url.host, `${READER_REAL}:5432`);
            assert.equal(url.searchParams.get("Action"), "connect");
            assert.equal(url.searchParams.get("DBUser"), USER);
            const scope = url.searchParams.get("X-Amz-Credential")!.split("/");
            // Signed with the role session's temporary key (moto's start with ASIA), not the caller's own.
            assert.match(scope[0], /^ASIA/);
            assert.notEqual(scope[0], process.env.AWS_ACCESS_KEY_ID);
            assert.deepEqual(scope.slice(2), ["eu-west-1", "rds-db", "aws4_request"]);
            assert.ok(url.searchParams.get("X-Amz-Security-Token"));
            assert.equal(url.searchParams.get("X-Amz-Expires"), "900");
            assert.ok(servers().moto.url);
            assert.equal(CANARY_SESSION_NAME, "rds-cross-account-canary");
        });

        it("no-credential, naming STS, when STS never answers (an isolated VPC without its endpoint)", async () => {
            const env = { ...process.env, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${blackHolePort}` };
            const started = Date.now();
            const result = await probe(
                {
                    endpoint: "writer",
                    engine: "aurora-postgresql",
                    host: WRITER,
                    port: pg!.port,
                    database: "appdb",
                    user: USER,
                },
                { credential: credentials(env)(source, USER), ca: tls.caPem, dial: "127.0.0.1" },
            );
            assert.equal(result.outcome, "no-credential");
            assert.match(
                result.message,
                new RegExp(
                    `STS AssumeRole of ${ROLE} failed: .*No answer: in an isolated VPC the function needs the STS interface endpoint`,
                ),
            );
            // Two attempts of at most 5 s each, not the function's whole timeout.
            assert.ok(Date.now() - started < 15000);
        });

        for (const { engine, server, name } of engines) {
            it(`${name}: sends the signed token as the password (the server stands in for RDS Proxy)`, async () => {
                const credential = credentials(process.env)(source, USER);
                const token = await credential.get();
                if (engine === "mariadb") {
                    await mariaAdmin(`SET PASSWORD FOR '${USER}'@'127.0.0.1' = PASSWORD(?)`, [token]);
                } else {
                    // ALTER ROLE takes no parameters: the token is bound, then quoted as a literal by the server.
                    await pgAdmin(
                        [`SELECT set_config('rcx.token', $1, false)`, [token]],
                        `DO $$ BEGIN EXECUTE format('ALTER ROLE ${USER} PASSWORD %L', current_setting('rcx.token')); END $$`,
                    );
                }
                try {
                    const result = await probe(
                        {
                            endpoint: "reader",
                            engine,
                            host: READER,
                            port: server().port,
                            database: server().database,
                            user: USER,
                        },
                        {
                            credential: { get: async () => token, cleartext: credential.cleartext },
                            ca: tls.caPem,
                            dial: "127.0.0.1",
                        },
                    );
                    assert.equal(result.outcome, "ok", result.message);
                    assert.equal(credential.cleartext, true);
                } finally {
                    if (engine === "mariadb")
                        await mariaAdmin(`SET PASSWORD FOR '${USER}'@'127.0.0.1' = PASSWORD(?)`, [PASSWORD]);
                    else await pgAdmin(`ALTER ROLE ${USER} PASSWORD '${PASSWORD}'`);
                }
            });
        }
    });

    describe("the Lambda's run: password mode through moto's Secrets Manager, one EMF line per endpoint", () => {
        it("reads the secret, checks the writer (ok) and a reader it cannot verify (tls-name-mismatch)", async () => {
            // The secret is in the database's region, the function in another (a cross-region consumer): it is read
            // where it is.
            const sm = new SecretsManagerClient({ region: "eu-central-1" });
            const created = await sm.send(
                new CreateSecretCommand({
                    Name: `canary-${crypto.randomUUID()}`,
                    SecretString: JSON.stringify({ username: USER, password: PASSWORD }),
                }),
            );
            sm.destroy();
            const credential = { login: "secret-password" as const, secretArn: created.ARN! };
            const common = {
                engine: "aurora-postgresql" as const,
                port: pg!.port,
                database: pg!.database,
                user: USER,
                credential,
            };
            const settings: CanarySettings = {
                stack: "app-account",
                targets: [
                    { endpoint: "writer", host: WRITER, ...common },
                    { endpoint: "reader", host: READER_REAL, ...common },
                ],
            };
            const lines: string[] = [];
            const results = await runCanary({
                env: { ...process.env, AWS_REGION: "eu-west-1", CANARY_SETTINGS: JSON.stringify(settings) },
                probe: { ca: tls.caPem, dial: "127.0.0.1", timeoutMs: 5000 },
                write: (line) => lines.push(line),
                now: () => 1700000000000,
            });
            assert.deepEqual(
                results.map((r) => [r.endpoint, r.outcome]),
                [
                    ["writer", "ok"],
                    ["reader", "tls-name-mismatch"],
                ],
            );
            const emf = lines.map((l) => JSON.parse(l));
            assert.deepEqual(
                emf.map((e) => [e.Endpoint, e.ConnectSuccess, typeof e.ConnectLatency, e._aws.Timestamp]),
                [
                    ["writer", 1, "number", 1700000000000],
                    ["reader", 0, "undefined", 1700000000000],
                ],
            );
            assert.ok(lines.every((l) => !l.includes(PASSWORD)));
        });
    });
});
