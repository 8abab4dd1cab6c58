/**
 * verify-full on the names clients are told to dial, against real PostgreSQL and MariaDB servers that present a
 * certificate shaped like RDS Proxy's (`*.proxy-<id>.<region>.rds.amazonaws.com`, nothing else) signed by a
 * per-run test CA. Each name is made to resolve to the loopback server the way each client allows: libpq's
 * `hostaddr`, node-postgres' `host` = 127.0.0.1 with `ssl.servername` = the name, mysql2's `host` = the name over a
 * socket already connected to 127.0.0.1. Every client is thus checking the NAME against the certificate, never the
 * address: the failing cases reach the very same server at the very same address and are refused only for their
 * name, and the controls show that an untrusted CA, or the address alone, is refused too.
 *
 * What this cannot prove: that AWS's certificate for a given proxy really is the single wildcard (a fact from AWS's
 * documentation and observed behaviour), and that the consumer's private DNS answers these names.
 */
import * as assert from "node:assert/strict";
import * as net from "node:net";
import * as mysql from "mysql2/promise";
import { startMariadb, type LocalMariadb } from "../../tools/local/mariadb";
import { nodePostgresVerifyFull, psqlVerifyFull } from "../support/verify-full";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";

const identity = { id: "c1a2b3", region: "eu-west-1" };
const domain = proxyDomain(identity);
/** The writer's name: the proxy's own endpoint, one label under the wildcard. */
const WRITER = `db-account-proxy.${domain}`;
/** The read-only name clients are told to dial: one label under the same domain, answered by private DNS. */
const READER = `db-account-proxy-ro.${domain}`;
/** The read-only endpoint's own name: two labels under the domain, which the wildcard does not cover. */
const ENDPOINT_OWN = `db-account-proxy-ro.endpoint.${domain}`;
/** The interface endpoint's own name. */
const VPCE = "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com";

const NOT_IN_ALTNAMES = (name: string) =>
    new RegExp(
        `Host: ${name.replace(/\./g, "\\.")}\\. is not in the cert's altnames: DNS:\\*\\.proxy-c1a2b3\\.eu-west-1\\.rds\\.amazonaws\\.com`,
    );

describe("verify-full on the names clients dial (real PostgreSQL and MariaDB)", function () {
    this.timeout(120000);
    let tls: TestTls;
    let otherCa: TestTls;
    let pg: LocalPostgres | undefined;
    let maria: LocalMariadb | undefined;

    before(async () => {
        tls = makeTestTls(identity);
        otherCa = makeTestTls(identity);
        [pg, maria] = await Promise.all([startPostgres(tls), startMariadb(tls)]);
    });
    after(async () => {
        await Promise.all([pg?.stop(), maria?.stop()]);
        tls?.cleanup();
        otherCa?.cleanup();
    });

    describe("psql (libpq, sslmode=verify-full, hostaddr=127.0.0.1)", () => {
        const psql = (name: string, ca = tls.caCertFile) => psqlVerifyFull(pg!, name, ca);
        for (const name of [WRITER, READER]) {
            it(`succeeds for ${name}`, () => {
                const run = psql(name);
                assert.equal(run.stderr, "");
                assert.equal(run.stdout.trim(), "t");
            });
        }
        for (const name of [ENDPOINT_OWN, VPCE]) {
            it(`fails for ${name}: the wildcard covers one label`, () => {
                const run = psql(name);
                assert.notEqual(run.status, 0);
                assert.match(
                    run.stderr,
                    new RegExp(
                        `server certificate for "\\*\\.proxy-c1a2b3\\.eu-west-1\\.rds\\.amazonaws\\.com" does not match host name "${name.replace(/\./g, "\\.")}"`,
                    ),
                );
            });
        }
        it("fails for the writer's name when the certificate's CA is not the trusted one", () => {
            const run = psql(WRITER, otherCa.caCertFile);
            assert.notEqual(run.status, 0);
            assert.match(run.stderr, /certificate verify failed/);
        });
    });

    describe("node-postgres (host 127.0.0.1, ssl.servername = the name)", () => {
        const connect = (name: string | undefined, ca = tls.caPem) => nodePostgresVerifyFull(pg!, name, ca);
        for (const name of [WRITER, READER]) {
            it(`succeeds for ${name}`, async () => {
                assert.equal(await connect(name), true);
            });
        }
        for (const name of [ENDPOINT_OWN, VPCE]) {
            it(`fails for ${name}`, async () => {
                await assert.rejects(connect(name), NOT_IN_ALTNAMES(name));
            });
        }
        it("fails for the address alone: the certificate names no IP", async () => {
            await assert.rejects(connect(undefined), /IP: 127\.0\.0\.1 is not in the cert's list/);
        });
        it("fails for the writer's name when the certificate's CA is not the trusted one", async () => {
            await assert.rejects(
                connect(WRITER, otherCa.caPem),
                /unable to verify the first certificate|self.signed/,
            );
        });
    });

    describe("mysql2 (host = the name, over a socket to 127.0.0.1; ssl ca + verifyIdentity)", () => {
        async function connect(name: string, ca = tls.caPem): Promise<string> {
            const server = maria!;
            const conn = await mysql.createConnection({
                host: name,
                port: server.port,
                // The name resolves to the loopback server, as the consumer's private DNS makes it resolve to the
                // interface endpoint: the client still verifies `host` against the certificate.
                stream: () => net.connect(server.port, "127.0.0.1"),
                user: server.adminUser,
                password: server.adminPassword,
                ssl: { ca, rejectUnauthorized: true, verifyIdentity: true },
                connectTimeout: 10000,
            });
            try {
                const [rows] = await conn.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
                return (rows as { Value: string }[])[0].Value;
            } finally {
                await conn.end();
            }
        }
        for (const name of [WRITER, READER]) {
            it(`succeeds for ${name}`, async () => {
                assert.match(await connect(name), /^TLSv1\.[23]$/);
            });
        }
        for (const name of [ENDPOINT_OWN, VPCE]) {
            it(`fails for ${name}`, async () => {
                await assert.rejects(connect(name), NOT_IN_ALTNAMES(name));
            });
        }
        it("fails for the writer's name when the certificate's CA is not the trusted one", async () => {
            await assert.rejects(
                connect(WRITER, otherCa.caPem),
                /unable to verify the first certificate|self.signed/,
            );
        });
    });
});
