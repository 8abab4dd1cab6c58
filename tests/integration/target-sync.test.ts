/**
 * The sync core, its IP sources and the ELBv2 adapter against moto_server and a local DNS server.
 * What moto cannot prove: real NLB health states (moto reports every registered target healthy; the
 * unhealthy/unused rule is covered by the core's unit tests), IAM evaluation, and RDS's own interface
 * descriptions (the fixtures create interfaces the way RDS Proxy describes them).
 */
import * as assert from "node:assert/strict";
import { createClients, destroyClients, type SyncClients } from "../../components/target-sync/aws";
import { TARGETS_PER_CALL } from "../../components/target-sync/elbv2";
import type { MissState } from "../../components/target-sync/reconcile";
import { syncOnce, type SyncOptions } from "../../components/target-sync/sync";
import { describeTargetGroup } from "../../components/target-sync/target-group";
import type { DnsServer } from "../../tools/local/dns-server";
import type { Moto } from "../../tools/local/moto";
import {
    addEni,
    attachLoadBalancer,
    addProxyEni,
    createNetwork,
    createTargetGroup,
    deleteEni,
    deleteTargetGroup,
    fixtureClients,
    ipOf,
    otherSubnetIp,
    placement,
    REGION,
    registeredIps,
    registeredTargets,
    registerOutOfBand,
    type Network,
} from "../../tools/local/sync-fixtures";
import { startThrottleProxy } from "./throttle-proxy";
import { useMoto } from "../support/moto";

/** The end of every refusal of a target group. */
const FIX =
    "Point the sync at the proxy's target group (type ip, protocol TCP, in the proxy's VPC, on the engine port, " +
    "forwarded to by internal network load balancers only).";

describe("target-sync against moto", function () {
    this.timeout(120_000);
    const servers = useMoto();
    let moto: Moto;
    let dns: DnsServer;
    let fx: ReturnType<typeof fixtureClients>;
    let calls: string[];
    let clients: SyncClients;

    before(async () => {
        ({ moto, dns, fx } = servers());
        clients = createClients({ region: REGION }, (_service, command) => calls.push(command));
    });
    after(async () => {
        destroyClients(clients);
    });
    beforeEach(() => {
        calls = [];
    });

    async function setup(
        n: number,
        proxyName = "app",
    ): Promise<{ net: Network; tg: string; enis: string[] }> {
        const net = await createNetwork(fx.ec2);
        const enis: string[] = [];
        for (let i = 0; i < n; i++) {
            enis.push(await addProxyEni(fx.ec2, net, proxyName, ipOf(net, i)));
        }
        return { net, tg: await createTargetGroup(fx.elbv2, net.vpcId), enis };
    }

    function eniOptions(net: Network, tg: string, extra: Partial<SyncOptions> = {}): SyncOptions {
        return {
            source: "eni",
            proxyName: "app",
            ...placement(net),
            targetGroupArn: tg,
            port: 5432,
            missesBeforeDeregister: 2,
            ...extra,
        };
    }

    const mutating = () =>
        calls.filter((c) => c === "RegisterTargetsCommand" || c === "DeregisterTargetsCommand");

    it("first sync registers every proxy IP in one call; a second sync makes no mutating call", async () => {
        const { net, tg } = await setup(3);
        const first = await syncOnce(clients, eniOptions(net, tg), {});
        assert.deepEqual(first.registered, [ipOf(net, 0), ipOf(net, 1), ipOf(net, 2)]);
        assert.deepEqual(mutating(), ["RegisterTargetsCommand"]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), first.registered);

        calls = [];
        const second = await syncOnce(clients, eniOptions(net, tg), first.misses);
        assert.equal(second.noop, true);
        assert.deepEqual(calls, [
            "DescribeNetworkInterfacesCommand",
            "DescribeTargetGroupsCommand",
            "DescribeTargetHealthCommand",
        ]);
    });

    it("matches the exact proxy name: interfaces of app-2 and others are ignored", async () => {
        const { net, tg } = await setup(1);
        await addProxyEni(fx.ec2, net, "app-2", ipOf(net, 50));
        await addEni(fx.ec2, net, "Network interface for DBProxy app ", ipOf(net, 51));
        await addEni(fx.ec2, net, "RDSNetworkInterface", ipOf(net, 52));
        const report = await syncOnce(clients, eniOptions(net, tg), {});
        assert.deepEqual(report.found, [ipOf(net, 0)]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0)]);
    });

    it("an IP replaced: the new one is registered at once, the old one kept until the threshold, then removed", async () => {
        const { net, tg, enis } = await setup(2);
        let misses: MissState = (await syncOnce(clients, eniOptions(net, tg), {})).misses;
        await deleteEni(fx.ec2, enis[1]);
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 7));

        calls = [];
        const r1 = await syncOnce(clients, eniOptions(net, tg), misses);
        assert.deepEqual(r1.registered, [ipOf(net, 7)]);
        assert.deepEqual(r1.deregistered, []);
        assert.deepEqual(r1.kept, [{ ip: ipOf(net, 1), misses: 1 }]);
        assert.deepEqual(mutating(), ["RegisterTargetsCommand"]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1), ipOf(net, 7)]);
        misses = r1.misses;

        calls = [];
        const r2 = await syncOnce(clients, eniOptions(net, tg), misses);
        assert.deepEqual(r2.deregistered, [{ ip: ipOf(net, 1), reason: "missed" }]);
        assert.deepEqual(mutating(), ["DeregisterTargetsCommand"]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 7)]);
        assert.deepEqual(r2.misses, {});
    });

    it("a flapping IP (present, missing, present, missing) is never drained", async () => {
        const { net, tg } = await setup(1);
        let misses: MissState = (await syncOnce(clients, eniOptions(net, tg), {})).misses;
        let flapping: string | undefined;
        for (let round = 0; round < 6; round++) {
            if (round % 2 === 0) {
                flapping = await addProxyEni(fx.ec2, net, "app", ipOf(net, 9));
            } else if (flapping) {
                await deleteEni(fx.ec2, flapping);
            }
            const r = await syncOnce(clients, eniOptions(net, tg), misses);
            assert.deepEqual(r.deregistered, [], `round ${round}`);
            misses = r.misses;
        }
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 9)]);
    });

    it("a target on another port is removed at once, whatever its address, and reported with its port", async () => {
        const { net, tg } = await setup(1);
        // Foreign addresses on other ports of the proxy's target group, one inside the VPC, one outside it. (The
        // proxy's own address on another port is the same case to the code; moto keys a target group's targets by
        // address alone, so it cannot hold one address on two ports as ELBv2 does.)
        await registerOutOfBand(fx.elbv2, tg, ["192.0.2.7"], 6432);
        await registerOutOfBand(fx.elbv2, tg, [otherSubnetIp(net)], 5433);
        const report = await syncOnce(clients, eniOptions(net, tg), {});
        assert.deepEqual(report.registered, [ipOf(net, 0)]);
        assert.deepEqual(report.deregistered, [
            { ip: otherSubnetIp(net), reason: "other-port", port: 5433 },
            { ip: "192.0.2.7", reason: "other-port", port: 6432 },
        ]);
        assert.equal(report.noop, false);
        assert.deepEqual(mutating(), ["RegisterTargetsCommand", "DeregisterTargetsCommand"]);
        assert.deepEqual(await registeredTargets(fx.elbv2, tg), [`${ipOf(net, 0)}:5432`]);

        calls = [];
        const again = await syncOnce(clients, eniOptions(net, tg), report.misses);
        assert.equal(again.noop, true);
        assert.deepEqual(mutating(), []);
    });

    it("a proxy with no interfaces is an error and touches nothing", async () => {
        const { net, tg } = await setup(0);
        await registerOutOfBand(fx.elbv2, tg, [ipOf(net, 3)]);
        await assert.rejects(syncOnce(clients, eniOptions(net, tg, { missesBeforeDeregister: 1 }), {}), {
            name: "EmptyLookupError",
            message: `The lookup found no network interfaces of proxy app in ${net.vpcId}; nothing was changed.`,
        });
        assert.deepEqual(mutating(), []);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 3)]);
    });

    it("a target group deleted out of band makes the sync fail clearly", async () => {
        const { net, tg } = await setup(1);
        await deleteTargetGroup(fx.elbv2, tg);
        await assert.rejects(syncOnce(clients, eniOptions(net, tg), {}), {
            name: "TargetGroupNotFound",
            message: `Target group ${tg} does not exist (deleted out of band, or a wrong targetGroupArn); nothing was changed.`,
        });
        assert.deepEqual(mutating(), []);
    });

    it(`250 IPs are registered in batches of ${TARGETS_PER_CALL}, and a full replacement deregisters in batches`, async () => {
        const { net, tg, enis } = await setup(250);
        const first = await syncOnce(clients, eniOptions(net, tg, { missesBeforeDeregister: 1 }), {});
        assert.equal(first.registered.length, 250);
        assert.deepEqual(mutating(), [
            "RegisterTargetsCommand",
            "RegisterTargetsCommand",
            "RegisterTargetsCommand",
        ]);
        assert.equal((await registeredIps(fx.elbv2, tg)).length, 250);

        for (const id of enis.slice(0, 201)) {
            await deleteEni(fx.ec2, id);
        }
        calls = [];
        const second = await syncOnce(
            clients,
            eniOptions(net, tg, { missesBeforeDeregister: 1 }),
            first.misses,
        );
        assert.equal(second.deregistered.length, 201);
        assert.deepEqual(mutating(), [
            "DeregisterTargetsCommand",
            "DeregisterTargetsCommand",
            "DeregisterTargetsCommand",
        ]);
        assert.equal((await registeredIps(fx.elbv2, tg)).length, 49);
    });

    it("throttling answers are retried and the sync still converges", async () => {
        const { net, tg } = await setup(2);
        const proxy = await startThrottleProxy(moto.url);
        const saved = process.env.AWS_ENDPOINT_URL;
        process.env.AWS_ENDPOINT_URL = proxy.url;
        const throttledClients = createClients({ region: REGION }, (_s, c) => calls.push(c));
        try {
            proxy.throttle("DescribeTargetHealth", 2);
            proxy.throttle("RegisterTargets", 1);
            const report = await syncOnce(throttledClients, eniOptions(net, tg), {});
            assert.deepEqual(report.registered, [ipOf(net, 0), ipOf(net, 1)]);
            assert.equal(proxy.throttled.get("DescribeTargetHealth"), 2);
            assert.equal(proxy.throttled.get("RegisterTargets"), 1);
            // Attempts are counted: 3 DescribeTargetHealth and 2 RegisterTargets reached the endpoint.
            assert.equal(calls.filter((c) => c === "DescribeTargetHealthCommand").length, 3);
            assert.equal(calls.filter((c) => c === "RegisterTargetsCommand").length, 2);
            assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1)]);
        } finally {
            destroyClients(throttledClients);
            process.env.AWS_ENDPOINT_URL = saved;
            await proxy.stop();
        }
    });

    describe("only the proxy's own addresses, only into the proxy's target group", () => {
        const refusals: [string, (net: Network) => Promise<void>, (net: Network, id: string) => RegExp][] = [
            [
                "an interface EC2 reports as not requester-managed (anyone could have created it)",
                async (net) => {
                    await addEni(fx.ec2, net, "Network interface for DBProxy app", ipOf(net, 60), {
                        requesterManaged: false,
                    });
                },
                () => /not requester-managed \(not created by RDS\)/,
            ],
            [
                "an interface in the proxy's subnet without the proxy's security group",
                async (net) => {
                    await addEni(fx.ec2, net, "Network interface for DBProxy app", ipOf(net, 61), {
                        groups: [],
                    });
                },
                (net) => new RegExp(`lacks the proxy's security group\\(s\\) ${net.securityGroupId}`),
            ],
            [
                "an interface in another subnet of the VPC",
                async (net) => {
                    await addEni(fx.ec2, net, "Network interface for DBProxy app", otherSubnetIp(net), {
                        subnetId: net.otherSubnetId,
                    });
                },
                (net) => new RegExp(`its subnet ${net.otherSubnetId} is not one of the proxy's`),
            ],
        ];
        for (const [title, plant, reason] of refusals) {
            it(`eni: ${title} fails the lookup, naming it; nothing changes`, async () => {
                const { net, tg } = await setup(2);
                await registerOutOfBand(fx.elbv2, tg, [ipOf(net, 0)]);
                await plant(net);
                calls = [];
                await assert.rejects(
                    syncOnce(clients, eniOptions(net, tg, { missesBeforeDeregister: 1 }), {}),
                    (err: Error) =>
                        err.name === "ForeignInterfaceError" &&
                        /^Network interfaces described as proxy app's are not the proxy's: eni-/.test(
                            err.message,
                        ) &&
                        reason(net, "").test(err.message),
                );
                assert.deepEqual(mutating(), []);
                assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0)]);
            });
        }

        it("a target group of type instance is refused before anything is registered", async () => {
            const { net } = await setup(1);
            const tg = await createTargetGroup(fx.elbv2, net.vpcId, 5432, "instance");
            await assert.rejects(syncOnce(clients, eniOptions(net, tg), {}), {
                name: "TargetGroupMismatch",
                message:
                    `Target group ${tg} cannot receive the proxy's addresses: it is of type instance, and only a target ` +
                    `group of type ip can hold the proxy's addresses. Nothing was changed. ${FIX}`,
            });
            assert.deepEqual(mutating(), []);
        });

        const refusedGroups: [
            string,
            (net: Network) => Promise<string>,
            (net: Network, tg: string, lb: string | undefined) => string,
        ][] = [
            ...(["TLS", "UDP", "TCP_UDP", "HTTP"] as const).map(
                (protocol): [string, (net: Network) => Promise<string>, () => string] => [
                    `a ${protocol} target group`,
                    (net) => createTargetGroup(fx.elbv2, net.vpcId, 5432, "ip", protocol),
                    () =>
                        `it has protocol ${protocol}, and only TCP passes the client's TLS through to the proxy untouched`,
                ],
            ),
            [
                "an HTTP target group behind an application load balancer",
                async (net) => {
                    const tg = await createTargetGroup(fx.elbv2, net.vpcId, 5432, "ip", "HTTP");
                    await attachLoadBalancer(fx.elbv2, net, tg, { type: "application" });
                    return tg;
                },
                (_net, _tg, lb) =>
                    `load balancer ${String(lb)} forwards to it and is internal (type application), and only internal network load balancers may forward to the proxy`,
            ],
            [
                "a TCP target group behind an internet-facing network load balancer",
                async (net) => {
                    const tg = await createTargetGroup(fx.elbv2, net.vpcId);
                    await attachLoadBalancer(fx.elbv2, net, tg, { scheme: "internet-facing" });
                    return tg;
                },
                (_net, _tg, lb) =>
                    `load balancer ${String(lb)} forwards to it and is internet-facing (type network), and only internal network load balancers may forward to the proxy`,
            ],
        ];
        for (const [title, make, reason] of refusedGroups) {
            it(`${title} is refused, naming it and why; nothing changes`, async () => {
                const { net } = await setup(2);
                const tg = await make(net);
                const lb = (await describeTargetGroup(clients, tg)).loadBalancers[0]?.arn;
                await registerOutOfBand(fx.elbv2, tg, [ipOf(net, 0)]);
                calls = [];
                await assert.rejects(
                    syncOnce(clients, eniOptions(net, tg, { missesBeforeDeregister: 1 }), {}),
                    (err: Error) =>
                        err.name === "TargetGroupMismatch" &&
                        err.message.startsWith(`Target group ${tg} cannot receive the proxy's addresses: `) &&
                        err.message.includes(reason(net, tg, lb)) &&
                        err.message.endsWith("Nothing was changed. " + FIX),
                );
                assert.deepEqual(mutating(), []);
                assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0)]);
            });
        }

        it("the secure look-alike, a TCP target group behind an internal network load balancer, syncs", async () => {
            const { net, tg } = await setup(2);
            await attachLoadBalancer(fx.elbv2, net, tg);
            const report = await syncOnce(clients, eniOptions(net, tg), {});
            assert.deepEqual(report.registered, [ipOf(net, 0), ipOf(net, 1)]);
            assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1)]);
            // The load balancer is read with the target group: one more read call, only when one is attached.
            assert.deepEqual(calls.slice(0, 3), [
                "DescribeNetworkInterfacesCommand",
                "DescribeTargetGroupsCommand",
                "DescribeLoadBalancersCommand",
            ]);
        });

        it("a target group in another VPC, or forwarding to another port, is refused", async () => {
            const { net } = await setup(1);
            const elsewhere = await createNetwork(fx.ec2);
            const foreign = await createTargetGroup(fx.elbv2, elsewhere.vpcId);
            await assert.rejects(
                syncOnce(clients, eniOptions(net, foreign), {}),
                (err: Error) =>
                    err.name === "TargetGroupMismatch" &&
                    err.message.includes(`it is in ${elsewhere.vpcId}, not in the proxy's VPC ${net.vpcId}`),
            );
            const mysql = await createTargetGroup(fx.elbv2, net.vpcId, 3306);
            await assert.rejects(
                syncOnce(clients, eniOptions(net, mysql), {}),
                (err: Error) =>
                    err.name === "TargetGroupMismatch" &&
                    err.message.includes(
                        "it forwards to port 3306, and the targets would be registered on port 5432",
                    ),
            );
            assert.deepEqual(mutating(), []);
            assert.deepEqual(await registeredIps(fx.elbv2, foreign), []);
            assert.deepEqual(await registeredIps(fx.elbv2, mysql), []);
        });
    });

    describe("dns source", () => {
        const host = "app.proxy-abc123.eu-west-1.rds.amazonaws.com";
        function dnsOptions(net: Network, tg: string, extra: Partial<SyncOptions> = {}): SyncOptions {
            return {
                source: "dns",
                proxyName: "app",
                vpcId: net.vpcId,
                subnetCidrs: [net.subnetCidr],
                proxyEndpoint: host,
                dnsServer: dns.address,
                targetGroupArn: tg,
                port: 5432,
                missesBeforeDeregister: 2,
                ...extra,
            };
        }

        it("registers the A records of the proxy endpoint, then makes no mutating call", async () => {
            const net = await createNetwork(fx.ec2);
            const tg = await createTargetGroup(fx.elbv2, net.vpcId);
            dns.set(host, { ips: [ipOf(net, 1), ipOf(net, 0)] });
            const first = await syncOnce(clients, dnsOptions(net, tg), {});
            assert.deepEqual(first.registered, [ipOf(net, 0), ipOf(net, 1)]);
            calls = [];
            const second = await syncOnce(clients, dnsOptions(net, tg), first.misses);
            assert.equal(second.noop, true);
            assert.deepEqual(calls, ["DescribeTargetGroupsCommand", "DescribeTargetHealthCommand"]);
        });

        it("resolves a large answer (over UDP's 512 bytes, retried over TCP)", async () => {
            const net = await createNetwork(fx.ec2);
            const tg = await createTargetGroup(fx.elbv2, net.vpcId);
            const ips = Array.from({ length: 60 }, (_, i) => ipOf(net, i));
            dns.set("big.proxy-abc123.eu-west-1.rds.amazonaws.com", { ips });
            const r = await syncOnce(
                clients,
                dnsOptions(net, tg, { proxyEndpoint: "big.proxy-abc123.eu-west-1.rds.amazonaws.com" }),
                {},
            );
            assert.equal(r.registered.length, 60);
        });

        const failures: [string, Parameters<DnsServer["set"]>[1], string][] = [
            ["SERVFAIL", { rcode: "SERVFAIL" }, "the server failed (SERVFAIL)"],
            ["NXDOMAIN", { rcode: "NXDOMAIN" }, "the name does not exist (NXDOMAIN)"],
            ["an empty answer", { ips: [] }, "the name has no A records (empty answer)"],
        ];
        for (const [name, answer, meaning] of failures) {
            it(`${name} is an error and touches nothing`, async () => {
                const net = await createNetwork(fx.ec2);
                const tg = await createTargetGroup(fx.elbv2, net.vpcId);
                const failing =
                    `${name.replace(/\W/g, "")}.proxy-abc123.eu-west-1.rds.amazonaws.com`.toLowerCase();
                dns.set(failing, answer);
                await registerOutOfBand(fx.elbv2, tg, [ipOf(net, 0)]);
                calls = [];
                await assert.rejects(
                    syncOnce(
                        clients,
                        dnsOptions(net, tg, { proxyEndpoint: failing, missesBeforeDeregister: 1 }),
                        {},
                    ),
                    {
                        name: "DnsLookupError",
                        message: `DNS lookup of ${failing} failed: ${meaning}; nothing was changed.`,
                    },
                );
                assert.deepEqual(calls, []);
                assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0)]);
            });
        }

        const poisons: [string, (net: Network) => string][] = [
            ["a public address", () => "8.8.8.8"],
            ["an address of the VPC outside the proxy's subnets", (net) => otherSubnetIp(net)],
            ["a loopback address", () => "127.0.0.1"],
            ["the instance metadata address", () => "169.254.169.254"],
        ];
        for (const [name, poison] of poisons) {
            it(`an answer with ${name} fails the lookup, naming it, and counts no miss`, async () => {
                const net = await createNetwork(fx.ec2);
                const tg = await createTargetGroup(fx.elbv2, net.vpcId);
                const poisoned =
                    `poisoned-${name.replace(/\W/g, "")}.proxy-abc123.eu-west-1.rds.amazonaws.com`
                        .toLowerCase()
                        .slice(0, 200);
                // The real addresses, one of them registered before, and the poison among them.
                await registerOutOfBand(fx.elbv2, tg, [ipOf(net, 0), ipOf(net, 1)]);
                dns.set(poisoned, { ips: [ipOf(net, 0), poison(net)] });
                calls = [];
                await assert.rejects(
                    syncOnce(
                        clients,
                        dnsOptions(net, tg, { proxyEndpoint: poisoned, missesBeforeDeregister: 1 }),
                        {},
                    ),
                    {
                        name: "ForeignAddressError",
                        message:
                            `The lookup of ${poisoned} returned ${poison(net)}, outside the proxy's subnets ` +
                            `(${net.subnetCidr}): a poisoned or misdirected answer, not the proxy's own addresses; ` +
                            `nothing was changed. Check the resolver (or the interfaces) that answered before the next sync.`,
                    },
                );
                // Nothing was read or changed: ipOf(net, 1), missing from the answer, was not counted as a miss.
                assert.deepEqual(calls, []);
                assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1)]);
            });
        }
    });
});
