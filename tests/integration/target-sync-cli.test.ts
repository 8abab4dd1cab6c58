/**
 * The operator CLI (in process, and end to end through `npm run sync`) against moto: its options, the proxy's
 * placement from RDS (moto's DescribeDBProxies; proxy endpoints added by tools/local/moto_server.py), its exit codes.
 * What this cannot prove: AWS's own answers where moto has none (see docs/target-sync.md, "Operator CLI"), and IAM
 * evaluation of the operator's credentials (denials are read as in tests/unit/target-sync-rds.test.ts).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import {
    EXIT_DRY_RUN_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    runCli,
} from "../../components/target-sync/cli";
import type { DnsServer } from "../../tools/local/dns-server";
import { freePort } from "../../tools/local/moto";
import {
    addProxyEni,
    attachLoadBalancer,
    createDbProxy,
    createDbProxyEndpoint,
    createNetwork,
    createStateTable,
    createTargetGroup,
    deleteEni,
    fixtureClients,
    ipOf,
    otherSubnetIp,
    REGION,
    registeredIps,
    uniqueName,
    type Network,
} from "../../tools/local/sync-fixtures";
import { useMoto } from "../support/moto";

const ROOT = path.resolve(__dirname, "..", "..");

describe("target-sync CLI against moto", function () {
    this.timeout(180_000);
    const servers = useMoto();
    let dns: DnsServer;
    let fx: ReturnType<typeof fixtureClients>;

    before(async () => {
        ({ dns, fx } = servers());
    });
    const POISONS = (net: Network) => ["8.8.8.8", otherSubnetIp(net), "127.0.0.1", "169.254.169.254"];

    async function registerOut(w: { tg: string }, ips: string[]): Promise<void> {
        const { RegisterTargetsCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
        await fx.elbv2.send(
            new RegisterTargetsCommand({
                TargetGroupArn: w.tg,
                Targets: ips.map((Id) => ({ Id, Port: 5432 })),
            }),
        );
    }

    interface CliWorld {
        readonly net: Network;
        readonly tg: string;
        readonly enis: string[];
        readonly table: string;
        readonly proxyName: string;
        /** The proxy's default endpoint, as RDS reports it. */
        readonly endpoint: string;
    }

    /** Like `world`, with an RDS Proxy of a name of its own that the CLI can look up. */
    async function cliWorld(n: number): Promise<CliWorld> {
        const net = await createNetwork(fx.ec2);
        const proxyName = uniqueName("app");
        const endpoint = await createDbProxy(fx.rds, net, proxyName);
        const enis: string[] = [];
        for (let i = 0; i < n; i++) {
            enis.push(await addProxyEni(fx.ec2, net, proxyName, ipOf(net, i)));
        }
        return {
            net,
            tg: await createTargetGroup(fx.elbv2, net.vpcId),
            enis,
            table: await createStateTable(fx.dynamodb),
            proxyName,
            endpoint,
        };
    }

    function io() {
        const out: string[] = [];
        const err: string[] = [];
        return {
            out,
            err,
            io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: process.env },
        };
    }
    /** The options for `w`, the proxy's subnets and security groups given too (they agree with RDS). */
    const args = (w: CliWorld, ...extra: string[]) => [
        "--target-group-arn",
        w.tg,
        "--proxy-name",
        w.proxyName,
        "--proxy-subnet-ids",
        w.net.subnetId,
        "--proxy-security-group-ids",
        w.net.securityGroupId,
        "--region",
        REGION,
        ...extra,
    ];

    it("--dry-run prints the plan, changes nothing and exits 3 when changes are pending; 0 when in sync", async () => {
        const w = await cliWorld(2);
        const a = io();
        assert.equal(await runCli(args(w, "--dry-run"), a.io), EXIT_DRY_RUN_CHANGES);
        assert.ok(a.out.includes(`would register 2: ${ipOf(w.net, 0)}, ${ipOf(w.net, 1)}`), a.out.join("\n"));
        assert.ok(a.out.includes("dry run: changes pending, nothing was changed"));
        assert.deepEqual(await registeredIps(fx.elbv2, w.tg), []);

        const b = io();
        assert.equal(await runCli(args(w), b.io), EXIT_OK);
        assert.ok(b.out.includes("in sync: 2 target(s), 1 mutating call(s)"), b.out.join("\n"));

        const c = io();
        assert.equal(await runCli(args(w, "--dry-run", "--json"), c.io), EXIT_OK);
        const report = JSON.parse(c.out[0]) as Record<string, unknown>;
        assert.equal(report.noop, true);
        assert.equal(report.dryRun, true);
    });

    it("a target on another port: --dry-run names it with its port (exit 3), a run removes it", async () => {
        const w = await cliWorld(1);
        await registerOut(w, [ipOf(w.net, 0)]);
        const { RegisterTargetsCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
        await fx.elbv2.send(
            new RegisterTargetsCommand({
                TargetGroupArn: w.tg,
                Targets: [{ Id: "192.0.2.7", Port: 6432 }],
            }),
        );
        const a = io();
        assert.equal(await runCli(args(w, "--dry-run"), a.io), EXIT_DRY_RUN_CHANGES);
        assert.ok(a.out.includes("would deregister 1: 192.0.2.7:6432 (other-port)"), a.out.join("\n"));
        assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0), "192.0.2.7"]);
        const b = io();
        assert.equal(await runCli(args(w), b.io), EXIT_OK);
        assert.ok(b.out.includes("deregister 1: 192.0.2.7:6432 (other-port)"), b.out.join("\n"));
        assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0)]);
    });

    it("uses the Lambda's miss state with --state-table", async () => {
        const w = await cliWorld(2);
        assert.equal(
            await runCli(args(w, "--state-table", w.table, "--misses-before-deregister", "2"), io().io),
            EXIT_OK,
        );
        await deleteEni(fx.ec2, w.enis[1]);
        const first = io();
        assert.equal(
            await runCli(args(w, "--state-table", w.table, "--misses-before-deregister", "2"), first.io),
            0,
        );
        assert.ok(
            first.out.includes(`keep ${ipOf(w.net, 1)}: missing from 1 consecutive lookup(s)`),
            first.out.join("\n"),
        );
        const second = io();
        assert.equal(
            await runCli(
                args(w, "--state-table", w.table, "--misses-before-deregister", "2", "--json"),
                second.io,
            ),
            0,
        );
        assert.deepEqual(JSON.parse(second.out[0]).deregistered, [{ ip: ipOf(w.net, 1), reason: "missed" }]);
    });

    it("exits 1 with the reason on a failed lookup (JSON too)", async () => {
        const w = await cliWorld(0);
        const a = io();
        assert.equal(await runCli(args(w, "--json"), a.io), EXIT_ERROR);
        assert.deepEqual(JSON.parse(a.out[0]), {
            ok: false,
            error: `EmptyLookupError: The lookup found no network interfaces of proxy ${w.proxyName} in ${w.net.vpcId}; nothing was changed.`,
        });
    });

    it("derives port and VPC from the target group; --port and --vpc-id must agree (usage error naming the option)", async () => {
        const w = await cliWorld(1);
        // A MySQL target group on 3306: targets go on 3306 without --port.
        const mysql = await createTargetGroup(fx.elbv2, w.net.vpcId, 3306);
        const a = io();
        assert.equal(await runCli(args({ ...w, tg: mysql }, "--json"), a.io), EXIT_OK, a.err.join("\n"));
        const { DescribeTargetHealthCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
        const health = await fx.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: mysql }));
        assert.deepEqual(
            health.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.Target?.Port]),
            [[ipOf(w.net, 0), 3306]],
        );

        const b = io();
        assert.equal(await runCli(args({ ...w, tg: mysql }, "--port", "5432"), b.io), EXIT_USAGE);
        assert.equal(
            b.err[0],
            "Usage error: Option --port is 5432, but it must be the target group's port, 3306. Pass --port 3306, or leave it out.",
        );
        const c = io();
        assert.equal(await runCli(args(w, "--vpc-id", "vpc-0123456789abcdef0"), c.io), EXIT_USAGE);
        assert.equal(
            c.err[0],
            `Usage error: Option --vpc-id is "vpc-0123456789abcdef0", but it must be the target group's VPC, ${w.net.vpcId}. ` +
                `Pass --vpc-id ${w.net.vpcId}, or leave it out.`,
        );
        const d = io();
        assert.equal(await runCli(args(w, "--vpc-id", w.net.vpcId, "--port", "5432"), d.io), EXIT_OK);
    });

    it("refuses a target group of type instance, and one in another VPC than the proxy's subnets", async () => {
        const w = await cliWorld(1);
        const instance = await createTargetGroup(fx.elbv2, w.net.vpcId, 5432, "instance");
        const a = io();
        assert.equal(await runCli(args({ ...w, tg: instance }), a.io), EXIT_USAGE);
        assert.ok(
            a.err[0].startsWith(
                `Usage error: Option --target-group-arn is "${instance}", but it is a target group of type instance, and only one of type ip can hold the proxy's addresses.`,
            ),
            a.err[0],
        );
        const elsewhere = await createNetwork(fx.ec2);
        const foreign = await createTargetGroup(fx.elbv2, elsewhere.vpcId);
        const b = io();
        assert.equal(await runCli(args({ ...w, tg: foreign }), b.io), EXIT_USAGE);
        assert.ok(
            b.err[0].startsWith(
                `Usage error: Option --proxy-subnet-ids is "${w.net.subnetId}", but they must be the proxy's subnets, in the target group's VPC ${elsewhere.vpcId}: `,
            ),
            b.err[0],
        );
        assert.deepEqual(await registeredIps(fx.elbv2, instance), []);
        assert.deepEqual(await registeredIps(fx.elbv2, foreign), []);
    });

    it("refuses a target group behind an internet-facing load balancer (exit 1, naming it); syncs one behind an internal one", async () => {
        const w = await cliWorld(1);
        const lb = await attachLoadBalancer(fx.elbv2, w.net, w.tg, { scheme: "internet-facing" });
        const a = io();
        assert.equal(await runCli(args(w), a.io), EXIT_ERROR);
        assert.ok(
            a.err[0].startsWith(
                `Error: TargetGroupMismatch: Target group ${w.tg} cannot receive the proxy's addresses: load balancer ` +
                    `${lb} forwards to it and is internet-facing (type network)`,
            ),
            a.err[0],
        );
        assert.deepEqual(await registeredIps(fx.elbv2, w.tg), []);

        const inside = await createTargetGroup(fx.elbv2, w.net.vpcId);
        await attachLoadBalancer(fx.elbv2, w.net, inside);
        const b = io();
        assert.equal(await runCli(args({ ...w, tg: inside }), b.io), EXIT_OK, b.err.join("\n"));
        assert.deepEqual(await registeredIps(fx.elbv2, inside), [ipOf(w.net, 0)]);
    });

    describe("the proxy's subnets and security groups, from RDS", () => {
        /** Only the options that name the target group, the proxy and the region. */
        const bare = (w: CliWorld, ...extra: string[]) => [
            "--target-group-arn",
            w.tg,
            "--proxy-name",
            w.proxyName,
            "--region",
            REGION,
            ...extra,
        ];

        it("are looked up with DescribeDBProxies: no option needed", async () => {
            const w = await cliWorld(2);
            const a = io();
            assert.equal(await runCli(bare(w, "--json"), a.io), EXIT_OK, a.err.join("\n"));
            assert.deepEqual(JSON.parse(a.out[0]).registered, [ipOf(w.net, 0), ipOf(w.net, 1)]);
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0), ipOf(w.net, 1)]);
        });

        it("options that disagree with RDS are refused, naming both; nothing changes", async () => {
            const w = await cliWorld(1);
            const { CreateSecurityGroupCommand } = await import("@aws-sdk/client-ec2");
            const otherSg = (
                await fx.ec2.send(
                    new CreateSecurityGroupCommand({
                        GroupName: uniqueName("other"),
                        Description: "not the proxy's",
                        VpcId: w.net.vpcId,
                    }),
                )
            ).GroupId as string;
            const a = io();
            const argv = bare(
                w,
                "--proxy-subnet-ids",
                `${w.net.subnetId},${w.net.otherSubnetId}`,
                "--proxy-security-group-ids",
                otherSg,
            );
            assert.equal(await runCli(argv, a.io), EXIT_USAGE);
            // Both problems at once, in one usage error.
            assert.deepEqual(a.err[0].split("\n"), [
                `Usage error: Option --proxy-subnet-ids is "${w.net.subnetId},${w.net.otherSubnetId}", but RDS reports ` +
                    `the subnets of proxy ${w.proxyName} as ${w.net.subnetId} (DescribeDBProxies). Leave the option out ` +
                    `to use RDS's, or pass ${w.net.subnetId}.`,
                `Option --proxy-security-group-ids is "${otherSg}", but RDS reports the security groups of proxy ` +
                    `${w.proxyName} as ${w.net.securityGroupId} (DescribeDBProxies). Leave the option out to use RDS's, ` +
                    `or pass ${w.net.securityGroupId}.`,
            ]);
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), []);
            // The same options in another order are RDS's own: accepted.
            const b = io();
            const same = bare(w, "--proxy-security-group-ids", w.net.securityGroupId);
            assert.equal(await runCli(same, b.io), EXIT_OK, b.err.join("\n"));
        });

        it("a proxy RDS does not know is a usage error naming --proxy-name", async () => {
            const w = await cliWorld(1);
            const a = io();
            assert.equal(await runCli(bare({ ...w, proxyName: "no-such-proxy" }), a.io), EXIT_USAGE);
            assert.equal(
                a.err[0],
                `Usage error: Option --proxy-name is "no-such-proxy", but RDS has no such proxy in ${REGION} ` +
                    "(DescribeDBProxies: DBProxyNotFoundFault). Pass the proxy's name and one of its endpoints " +
                    "(aws rds describe-db-proxies).",
            );
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), []);
        });

        it("dns: another endpoint's own subnets come from DescribeDBProxyEndpoints", async () => {
            const w = await cliWorld(0);
            // A read-only endpoint in the VPC's other subnet: its addresses are there, not in the proxy's subnet.
            const ro = await createDbProxyEndpoint(
                fx.rds,
                w.proxyName,
                [w.net.otherSubnetId],
                [w.net.securityGroupId],
            );
            dns.set(ro, { ips: [otherSubnetIp(w.net)] });
            const dnsArgs = (...extra: string[]) =>
                bare(w, "--source", "dns", "--dns-server", dns.address, "--proxy-endpoint", ...extra);
            const a = io();
            assert.equal(await runCli(dnsArgs(ro, "--json"), a.io), EXIT_OK, a.err.join("\n"));
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [otherSubnetIp(w.net)]);

            const b = io();
            assert.equal(await runCli(dnsArgs(ro, "--proxy-subnet-ids", w.net.subnetId), b.io), EXIT_USAGE);
            assert.equal(
                b.err[0],
                `Usage error: Option --proxy-subnet-ids is "${w.net.subnetId}", but RDS reports the subnets of endpoint ` +
                    `${ro} as ${w.net.otherSubnetId} (DescribeDBProxyEndpoints). Leave the option out to use RDS's, or ` +
                    `pass ${w.net.otherSubnetId}.`,
            );

            const c = io();
            const stranger = "other.endpoint.proxy-abc123.eu-west-1.rds.amazonaws.com";
            assert.equal(await runCli(dnsArgs(stranger), c.io), EXIT_USAGE);
            assert.ok(
                c.err[0].startsWith(
                    `Usage error: Option --proxy-endpoint is "${stranger}", but it is not an endpoint of proxy ${w.proxyName} (RDS reports `,
                ),
                c.err[0],
            );
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [otherSubnetIp(w.net)]);
        });

        it("when RDS cannot be reached, the options are required and used", async () => {
            const w = await cliWorld(1);
            const saved = process.env.AWS_ENDPOINT_URL_RDS;
            // Nothing listens there: the RDS API gives no answer.
            process.env.AWS_ENDPOINT_URL_RDS = `http://127.0.0.1:${await freePort()}`;
            try {
                const a = io();
                assert.equal(await runCli(bare(w), a.io), EXIT_USAGE);
                assert.ok(
                    a.err[0].startsWith(
                        "Usage error: Option --proxy-subnet-ids is not set, but it is required when RDS cannot be " +
                            "asked where the proxy is: the RDS API did not answer (",
                    ),
                    a.err[0],
                );
                assert.ok(
                    a.err[0]
                        .split("\n")[1]
                        .startsWith("Option --proxy-security-group-ids is not set, but it is required"),
                    a.err[0],
                );
                assert.deepEqual(await registeredIps(fx.elbv2, w.tg), []);

                const b = io();
                assert.equal(await runCli(args(w), b.io), EXIT_OK, b.err.join("\n"));
                assert.ok(b.err[0].startsWith("Note: the RDS API did not answer ("), b.err[0]);
                assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0)]);
            } finally {
                if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_RDS;
                else process.env.AWS_ENDPOINT_URL_RDS = saved;
            }
        });
    });

    it("a poisoned DNS answer exits 1 naming the address and changes nothing", async () => {
        const w = await cliWorld(0);
        await registerOut(w, [ipOf(w.net, 0)]);
        for (const poison of POISONS(w.net)) {
            // The proxy's own endpoint, answered with its address and the poison.
            const host = w.endpoint;
            dns.set(host, { ips: [ipOf(w.net, 0), poison] });
            const a = io();
            const code = await runCli(
                [
                    "--target-group-arn",
                    w.tg,
                    "--proxy-name",
                    w.proxyName,
                    "--source",
                    "dns",
                    "--proxy-endpoint",
                    host,
                    "--dns-server",
                    dns.address,
                    "--region",
                    REGION,
                    "--misses-before-deregister",
                    "1",
                ],
                a.io,
            );
            assert.equal(code, EXIT_ERROR);
            assert.ok(
                a.err[0].startsWith(
                    `Error: ForeignAddressError: The lookup of ${host} returned ${poison}, outside`,
                ),
                a.err[0],
            );
        }
        assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0)]);
    });

    it("runs end to end through `npm run sync` with the documented exit codes", async () => {
        const w = await cliWorld(1);
        const run = (argv: string[]) =>
            spawnSync("npm", ["run", "--silent", "sync", "--", ...argv], {
                cwd: ROOT,
                env: { ...process.env, NODE_NO_WARNINGS: "1" },
                encoding: "utf8",
                timeout: 120_000,
            });
        const ok = run(args(w, "--json"));
        assert.equal(ok.status, EXIT_OK, ok.stderr);
        const report = JSON.parse(ok.stdout.trim().split("\n").pop() as string) as Record<string, unknown>;
        assert.deepEqual(report.registered, [ipOf(w.net, 0)]);
        assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0)]);

        const usage = run(args(w, "--port", "seventy"));
        assert.equal(usage.status, EXIT_USAGE);
        assert.ok(
            usage.stderr.includes('Option --port is "seventy", but it must be a TCP port from 1 to 65535.'),
            usage.stderr,
        );
    });
});
