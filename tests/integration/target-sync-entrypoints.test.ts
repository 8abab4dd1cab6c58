/**
 * The scheduled Lambda handler (in process, and as the esbuild bundle the component deploys) against moto; the
 * operator CLI is proven in target-sync-cli.test.ts.
 * What this cannot prove: the Lambda runtime itself, EventBridge delivering the schedule, IAM evaluation (target-sync-iam.test.ts proves the policies against moto with IAM enforcement).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleHandler } from "../../components/target-sync/bundle";
import { createClients, destroyClients } from "../../components/target-sync/aws";
import { ENV, runScheduledSync } from "../../components/target-sync/handler";
import { loadMisses, saveMisses, stateKey } from "../../components/target-sync/state-store";
import type { DnsServer } from "../../tools/local/dns-server";
import {
    addProxyEni,
    createNetwork,
    createStateTable,
    createTargetGroup,
    deleteEni,
    fixtureClients,
    ipOf,
    otherSubnetIp,
    REGION,
    registeredIps,
    type Network,
} from "../../tools/local/sync-fixtures";
import { useMoto } from "../support/moto";

describe("target-sync Lambda handler against moto", function () {
    this.timeout(180_000);
    const servers = useMoto();
    let dns: DnsServer;
    let fx: ReturnType<typeof fixtureClients>;

    before(async () => {
        ({ dns, fx } = servers());
    });
    const POISONS = (net: Network) => ["8.8.8.8", otherSubnetIp(net), "127.0.0.1", "169.254.169.254"];

    async function world(n: number): Promise<{ net: Network; tg: string; enis: string[]; table: string }> {
        const net = await createNetwork(fx.ec2);
        const enis: string[] = [];
        for (let i = 0; i < n; i++) {
            enis.push(await addProxyEni(fx.ec2, net, "app", ipOf(net, i)));
        }
        return {
            net,
            tg: await createTargetGroup(fx.elbv2, net.vpcId),
            enis,
            table: await createStateTable(fx.dynamodb),
        };
    }

    async function registerOut(w: { tg: string }, ips: string[]): Promise<void> {
        const { RegisterTargetsCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
        await fx.elbv2.send(
            new RegisterTargetsCommand({
                TargetGroupArn: w.tg,
                Targets: ips.map((Id) => ({ Id, Port: 5432 })),
            }),
        );
    }

    function lambdaEnv(w: { net: Network; tg: string; table: string }): Record<string, string> {
        return {
            AWS_REGION: REGION,
            [ENV.targetGroupArn]: w.tg,
            [ENV.proxyName]: "app",
            [ENV.vpcId]: w.net.vpcId,
            [ENV.proxySubnetIds]: w.net.subnetId,
            [ENV.proxySubnetCidrs]: w.net.subnetCidr,
            [ENV.proxySecurityGroupIds]: w.net.securityGroupId,
            [ENV.source]: "eni",
            [ENV.port]: "5432",
            [ENV.missesBeforeDeregister]: "2",
            [ENV.stateTableName]: w.table,
        };
    }

    describe("Lambda handler", () => {
        it("logs one structured line per sync and keeps miss counts across invocations (cold starts)", async () => {
            const w = await world(2);
            const lines: string[] = [];
            const r1 = await runScheduledSync(lambdaEnv(w), (l) => lines.push(l));
            assert.deepEqual(r1.registered, [ipOf(w.net, 0), ipOf(w.net, 1)]);
            assert.equal(lines.length, 1);
            const first = JSON.parse(lines[0]) as Record<string, unknown>;
            assert.equal(first.ok, true);
            assert.deepEqual(first.found, [ipOf(w.net, 0), ipOf(w.net, 1)]);
            assert.deepEqual(first.registered, [ipOf(w.net, 0), ipOf(w.net, 1)]);
            assert.deepEqual(first.deregistered, []);
            assert.deepEqual(first.misses, []);
            assert.equal(first.level, "info");

            await deleteEni(fx.ec2, w.enis[0]);
            // Each invocation creates fresh clients and reads the state from DynamoDB, as after a cold start.
            await runScheduledSync(lambdaEnv(w), (l) => lines.push(l));
            assert.deepEqual(JSON.parse(lines[1]).misses, [{ ip: ipOf(w.net, 0), misses: 1 }]);
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0), ipOf(w.net, 1)]);
            await runScheduledSync(lambdaEnv(w), (l) => lines.push(l));
            assert.deepEqual(JSON.parse(lines[2]).deregistered, [{ ip: ipOf(w.net, 0), reason: "missed" }]);
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 1)]);
            assert.equal(lines.length, 3);
        });

        it("logs a run that removed a target on another port at level warn, naming it", async () => {
            const w = await world(1);
            const { RegisterTargetsCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
            await fx.elbv2.send(
                new RegisterTargetsCommand({
                    TargetGroupArn: w.tg,
                    Targets: [{ Id: "192.0.2.7", Port: 6432 }],
                }),
            );
            const lines: string[] = [];
            await runScheduledSync(lambdaEnv(w), (l) => lines.push(l));
            const line = JSON.parse(lines[0]) as Record<string, unknown>;
            assert.equal(line.level, "warn");
            assert.equal(line.ok, true);
            assert.deepEqual(line.deregistered, [{ ip: "192.0.2.7", reason: "other-port", port: 6432 }]);
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0)]);
        });

        it("fails loudly (one error line, rejected invocation) on an empty lookup and changes nothing", async () => {
            const w = await world(0);
            const lines: string[] = [];
            await assert.rejects(
                runScheduledSync(lambdaEnv(w), (l) => lines.push(l)),
                { name: "EmptyLookupError" },
            );
            assert.equal(lines.length, 1);
            const line = JSON.parse(lines[0]) as Record<string, unknown>;
            assert.equal(line.ok, false);
            assert.equal(line.level, "error");
            assert.equal(
                line.error,
                `EmptyLookupError: The lookup found no network interfaces of proxy app in ${w.net.vpcId}; nothing was changed.`,
            );
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), []);
        });

        it("rejects invalid configuration naming the problem", async () => {
            const lines: string[] = [];
            await assert.rejects(
                runScheduledSync({ AWS_REGION: REGION, [ENV.source]: "eni" }, (l) => lines.push(l)),
                (err: Error) =>
                    err.message.startsWith(
                        "Invalid configuration: Environment variable TARGET_SYNC_TARGET_GROUP_ARN is not set, but it " +
                            "must be an ELBv2 target group ARN",
                    ),
            );
            assert.equal(JSON.parse(lines[0]).ok, false);
        });

        it("a poisoned DNS answer fails the run naming the address; nothing changes, no miss is counted", async () => {
            const w = await world(0);
            await registerOut(w, [ipOf(w.net, 0), ipOf(w.net, 1)]);
            for (const poison of POISONS(w.net)) {
                const host = `l${poison.replace(/\./g, "-")}.proxy-abc123.eu-west-1.rds.amazonaws.com`;
                dns.set(host, { ips: [ipOf(w.net, 0), poison] });
                const lines: string[] = [];
                const env = {
                    ...lambdaEnv(w),
                    [ENV.source]: "dns",
                    [ENV.proxyEndpoint]: host,
                    [ENV.dnsServer]: dns.address,
                    [ENV.missesBeforeDeregister]: "1",
                };
                await assert.rejects(
                    runScheduledSync(env, (l) => lines.push(l)),
                    { name: "ForeignAddressError" },
                );
                const line = JSON.parse(lines[0]) as Record<string, unknown>;
                assert.equal(line.ok, false);
                assert.ok(
                    String(line.error).includes(`returned ${poison}, outside the proxy's subnets`),
                    String(line.error),
                );
            }
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0), ipOf(w.net, 1)]);
            const clients = createClients({ region: REGION });
            try {
                assert.deepEqual(await loadMisses(clients, w.table, stateKey(w.tg, 5432)), {
                    misses: {},
                    version: 0,
                });
            } finally {
                destroyClients(clients);
            }
        });

        it("refuses to run without the proxy's subnet CIDRs (it never looks them up itself)", async () => {
            const w = await world(1);
            const env: Record<string, string> = { ...lambdaEnv(w) };
            delete env[ENV.proxySubnetCidrs];
            await assert.rejects(
                runScheduledSync(env, () => undefined),
                {
                    message:
                        "Invalid configuration: TARGET_SYNC_PROXY_SUBNET_CIDRS is required for the scheduled sync.",
                },
            );
        });

        it("a run that raced another one does not overwrite its miss counts", async () => {
            const w = await world(1);
            const clients = createClients({ region: REGION });
            try {
                const key = stateKey(w.tg, 5432);
                const before = await loadMisses(clients, w.table, key);
                assert.deepEqual(before, { misses: {}, version: 0 });
                await saveMisses(clients, w.table, key, { "10.0.0.1": 1 }, before.version);
                await assert.rejects(saveMisses(clients, w.table, key, { "10.0.0.1": 5 }, before.version), {
                    name: "ConcurrentSyncError",
                    message: `Miss state for ${key} changed during this sync (another sync ran at the same time); this run's counts were not saved.`,
                });
                assert.deepEqual(await loadMisses(clients, w.table, key), {
                    misses: { "10.0.0.1": 1 },
                    version: 1,
                });
            } finally {
                destroyClients(clients);
            }
        });

        it("the esbuild bundle the component deploys runs the same sync", async () => {
            const w = await world(2);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "target-sync-bundle-"));
            const saved = { ...process.env };
            const logged: string[] = [];
            const originalLog = console.log;
            try {
                const code = bundleHandler();
                // The handler must not drag the Pulumi SDK (and its gRPC stack) into the function.
                assert.equal(code.includes("pulumi:pulumi:Stack"), false);
                fs.writeFileSync(path.join(dir, "index.js"), code);
                Object.assign(process.env, lambdaEnv(w));
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const bundle = require(path.join(dir, "index.js")) as {
                    handler(): Promise<Record<string, number>>;
                };
                console.log = (line: string) => logged.push(line);
                const result = await bundle.handler();
                console.log = originalLog;
                assert.deepEqual(result, { registered: 2, deregistered: 0, targets: 2 });
                assert.equal(logged.length, 1);
                assert.equal(JSON.parse(logged[0]).ok, true);
                assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 0), ipOf(w.net, 1)]);
            } finally {
                console.log = originalLog;
                for (const k of Object.values(ENV)) {
                    if (saved[k] === undefined) {
                        delete process.env[k];
                    }
                }
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
