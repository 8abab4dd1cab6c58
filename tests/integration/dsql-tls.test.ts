/**
 * The verify-full naming rule of Aurora DSQL over PrivateLink, against the real PostgreSQL server: the server presents
 * a certificate whose only name is `*.<service-identifier>.<region>.on.aws` (the private-zone wildcard the User Guide
 * tells VPCs outside the endpoint's to create, vocabulary/dsql.ts), signed by a per-run test CA. Each name reaches the
 * same loopback server the way each client allows (libpq's `hostaddr`; node-postgres' `host` = 127.0.0.1 with
 * `ssl.servername` = the name), so every client checks the NAME, never the address:
 * - the cluster hostname `<cluster-id>.<service-identifier>.<region>.on.aws` (`dsqlClusterHostname`) verifies;
 * - the interface endpoint's own `vpce-…` name does not (the User Guide: with the endpoint's DNS name "the
 *   `verify-full` SSL mode is not supported"), nor a cluster hostname under another service identifier or region,
 *   nor a name two labels under the wildcard.
 *
 * What this cannot prove: that DSQL's own certificate carries exactly this wildcard (the User Guide says the
 * hostname "must match Aurora DSQL's server certificate when using the verify-full SSL mode" for names of this form;
 * the certificate itself is seen only on a cluster), and that the endpoint's private DNS answers the name.
 */
import * as assert from "node:assert/strict";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, type TestTls } from "../../tools/local/tls";
import { nodePostgresVerifyFull, psqlVerifyFull } from "../support/verify-full";
import { dsqlClusterHostname, dsqlPrivateZoneWildcard } from "../../vocabulary";

const CLUSTER_ID = "abcde1f234ghijklmnop5qr6st";
const SERVICE = "dsql-fnh4";
const REGION = "us-east-1";
const WILDCARD = dsqlPrivateZoneWildcard(SERVICE, REGION);
/** The name a consumer's applications are told to dial. */
const CLUSTER_HOST = dsqlClusterHostname(CLUSTER_ID, SERVICE, REGION);
/** The connection endpoint's own DNS name. */
const VPCE = `vpce-0123456789abcdef0-abcdefgh.${SERVICE}.${REGION}.vpce.amazonaws.com`;
const REFUSED = [
    VPCE,
    dsqlClusterHostname(CLUSTER_ID, "dsql-abcd", REGION),
    dsqlClusterHostname(CLUSTER_ID, SERVICE, "eu-west-1"),
    `x.${CLUSTER_HOST}`,
];
const escape = (s: string) => s.replace(/[.*]/g, (c) => `\\${c}`);

describe("verify-full on Aurora DSQL's PrivateLink names (real PostgreSQL)", function () {
    this.timeout(120000);
    let tls: TestTls;
    let otherCa: TestTls;
    let pg: LocalPostgres;

    before(async () => {
        tls = makeTestTls({ id: "unused", region: REGION }, WILDCARD);
        otherCa = makeTestTls({ id: "unused", region: REGION }, WILDCARD);
        pg = await startPostgres(tls);
    });
    after(async () => {
        await pg?.stop();
        tls?.cleanup();
        otherCa?.cleanup();
    });

    it("gives the server a certificate for the wildcard only", () => {
        assert.equal(tls.wildcard, "*.dsql-fnh4.us-east-1.on.aws");
    });

    describe("psql (libpq, sslmode=verify-full, hostaddr=127.0.0.1)", () => {
        const psql = (name: string, ca = tls.caCertFile) => psqlVerifyFull(pg, name, ca);
        it(`succeeds for the cluster hostname ${CLUSTER_HOST}`, () => {
            const run = psql(CLUSTER_HOST);
            assert.equal(run.stderr, "");
            assert.equal(run.stdout.trim(), "t");
        });
        for (const name of REFUSED) {
            it(`fails for ${name}`, () => {
                const run = psql(name);
                assert.notEqual(run.status, 0);
                assert.match(
                    run.stderr,
                    new RegExp(
                        `server certificate for "${escape(WILDCARD)}" does not match host name "${escape(name)}"`,
                    ),
                );
            });
        }
        it("fails for the cluster hostname when the certificate's CA is not the trusted one", () => {
            const run = psql(CLUSTER_HOST, otherCa.caCertFile);
            assert.notEqual(run.status, 0);
            assert.match(run.stderr, /certificate verify failed/);
        });
    });

    describe("node-postgres (host 127.0.0.1, ssl.servername = the name)", () => {
        const connect = (name: string) => nodePostgresVerifyFull(pg, name, tls.caPem);
        it(`succeeds for the cluster hostname ${CLUSTER_HOST}`, async () => {
            assert.equal(await connect(CLUSTER_HOST), true);
        });
        for (const name of REFUSED) {
            it(`fails for ${name}`, async () => {
                await assert.rejects(
                    connect(name),
                    new RegExp(
                        `Host: ${escape(name)}\\. is not in the cert's altnames: DNS:${escape(WILDCARD)}`,
                    ),
                );
            });
        }
    });
});
