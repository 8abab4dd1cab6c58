/**
 * The dynamic provider exactly as Pulumi ships it: serialized with `pulumi.runtime.serializeFunction` (what
 * `pulumi.dynamic.Resource` does with its provider), loaded back with `require-from-string` (what Pulumi's
 * dynamic provider host does), then driven through check/create/diff/update/read/delete against moto.
 * What this cannot prove: the engine's own handling of the results (the shapes follow
 * `pulumi.dynamic.ResourceProvider`, which the type checker enforces on the unserialized provider).
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
    targetRegistrationProvider,
    type TargetRegistrationInputs,
    type TargetRegistrationOutputs,
} from "../../components/target-sync/provider";
import type { DnsServer } from "../../tools/local/dns-server";
import type { Moto } from "../../tools/local/moto";
import {
    addProxyEni,
    createNetwork,
    createStateTable,
    createTargetGroup,
    deleteEni,
    deleteTargetGroup,
    fixtureClients,
    ipOf,
    otherSubnetIp,
    REGION,
    registeredIps,
    registerOutOfBand,
    type Network,
} from "../../tools/local/sync-fixtures";
import { startThrottleProxy } from "./throttle-proxy";
import { useMoto } from "../support/moto";

type Provider = Required<pulumi.dynamic.ResourceProvider>;

// A secret the test environment holds, to prove it never lands in the serialized code, outputs or state.
const FAKE_SECRET = "fake-secret-7f3a9c1e-not-a-real-key";

describe("target-sync dynamic provider, serialized as Pulumi does, against moto", function () {
    this.timeout(120_000);
    const servers = useMoto();
    let moto: Moto;
    let dns: DnsServer;
    let fx: ReturnType<typeof fixtureClients>;
    let provider: Provider;
    let serialized: string;

    before(async () => {
        ({ moto, dns, fx } = servers());
        process.env.AWS_SECRET_ACCESS_KEY = FAKE_SECRET;
        const sf = await pulumi.runtime.serializeFunction(() => targetRegistrationProvider, {
            allowSecrets: true,
        });
        serialized = sf.text;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const requireFromString = require("require-from-string") as (code: string) => { handler(): Provider };
        provider = requireFromString(serialized).handler();
    });

    function eniInputs(net: Network, tg: string): TargetRegistrationInputs {
        return {
            targetGroupArn: tg,
            port: 5432,
            source: "eni",
            proxyName: "app",
            vpcId: net.vpcId,
            proxySubnetIds: [net.subnetId],
            proxySecurityGroupIds: [net.securityGroupId],
            missesBeforeDeregister: 2,
            region: REGION,
        };
    }

    function dnsInputs(net: Network, tg: string, host: string): TargetRegistrationInputs {
        return {
            targetGroupArn: tg,
            port: 5432,
            source: "dns",
            proxyName: "app",
            proxyEndpoint: host,
            dnsServer: dns.address,
            vpcId: net.vpcId,
            proxySubnetIds: [net.subnetId],
            missesBeforeDeregister: 2,
            region: REGION,
            lookupWaitSeconds: 1,
        };
    }

    describe("replacement never empties the target group", () => {
        it("create A, create B for the same target group and port, delete A: B's targets stay; delete B: gone", async () => {
            const net = await createNetwork(fx.ec2);
            await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
            await addProxyEni(fx.ec2, net, "app", ipOf(net, 1));
            const tg = await createTargetGroup(fx.elbv2, net.vpcId);
            const inputs = eniInputs(net, tg);
            // `pulumi up --replace`, or a URN change without an alias: the new resource is created first.
            const a = await provider.create(inputs);
            assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1)]);
            const b = await provider.create(inputs);
            assert.notEqual(
                (a.outs as TargetRegistrationOutputs).owner,
                (b.outs as TargetRegistrationOutputs).owner,
            );
            await provider.delete(a.id, a.outs);
            assert.deepEqual(
                await registeredIps(fx.elbv2, tg),
                [ipOf(net, 0), ipOf(net, 1)],
                "2 targets before, still 2 after the old resource's delete",
            );
            // `pulumi destroy` of the one that owns them deregisters.
            await provider.delete(b.id, b.outs);
            assert.deepEqual(await registeredIps(fx.elbv2, tg), []);
        });

        it("a registration from before owner marks still deregisters on destroy, and its update claims the targets", async () => {
            const net = await createNetwork(fx.ec2);
            await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
            const tg = await createTargetGroup(fx.elbv2, net.vpcId);
            const inputs = eniInputs(net, tg);
            const created = await provider.create(inputs);
            const legacy = { ...(created.outs as TargetRegistrationOutputs), owner: undefined };
            // Its update marks the targets as its own (a new mark), so a later replacement's delete is safe.
            const updated = (await provider.update(created.id, legacy, inputs))
                .outs as TargetRegistrationOutputs;
            assert.equal(typeof updated.owner, "string");
            const successor = await provider.create(inputs);
            await provider.delete(created.id, updated);
            assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0)]);
            await provider.delete(successor.id, successor.outs);
            assert.deepEqual(await registeredIps(fx.elbv2, tg), []);
        });
    });

    describe("dns source from the machine running pulumi", () => {
        it("a poisoned answer fails create, naming the address, and registers nothing", async () => {
            const net = await createNetwork(fx.ec2);
            const tg = await createTargetGroup(fx.elbv2, net.vpcId);
            for (const poison of ["8.8.8.8", otherSubnetIp(net), "127.0.0.1", "169.254.169.254"]) {
                const host = `p${poison.replace(/\./g, "-")}.proxy-abc123.eu-west-1.rds.amazonaws.com`;
                dns.set(host, { ips: [ipOf(net, 0), poison] });
                await assert.rejects(
                    provider.create(dnsInputs(net, tg, host)),
                    (err: Error) =>
                        err.name === "ForeignAddressError" &&
                        err.message.startsWith(
                            `The lookup of ${host} returned ${poison}, outside the proxy's subnets`,
                        ),
                );
            }
            assert.deepEqual(await registeredIps(fx.elbv2, tg), []);
        });

        it("preview: diff reports drift as unknown when the name does not resolve here (NXDOMAIN, SERVFAIL)", async () => {
            const net = await createNetwork(fx.ec2);
            const tg = await createTargetGroup(fx.elbv2, net.vpcId);
            const host = "flaky.proxy-abc123.eu-west-1.rds.amazonaws.com";
            dns.set(host, { ips: [ipOf(net, 0)] });
            const inputs = dnsInputs(net, tg, host);
            const created = await provider.create(inputs);
            assert.deepEqual((created.outs as TargetRegistrationOutputs).subnetCidrs, [net.subnetCidr]);
            for (const rcode of ["NXDOMAIN", "SERVFAIL"] as const) {
                dns.set(host, { rcode });
                const d = await provider.diff(created.id, created.outs, inputs);
                assert.equal(d.changes, undefined, `${rcode}: unknown, not a failure and not "no changes"`);
                // An input change is still shown.
                const changed = await provider.diff(created.id, created.outs, {
                    ...inputs,
                    missesBeforeDeregister: 3,
                });
                assert.equal(changed.changes, true);
                // Refresh does not resolve at all.
                const read = await provider.read(created.id, created.outs as TargetRegistrationOutputs);
                assert.deepEqual((read.props as TargetRegistrationOutputs).targets, [ipOf(net, 0)]);
            }
        });

        it("create and update retry for lookupWaitSeconds, then fail saying what to do; nothing changes", async () => {
            const net = await createNetwork(fx.ec2);
            const tg = await createTargetGroup(fx.elbv2, net.vpcId);
            const host = "unpublished.proxy-abc123.eu-west-1.rds.amazonaws.com";
            dns.set(host, { rcode: "NXDOMAIN" });
            const before = dns.queries.get(host) ?? 0;
            const started = Date.now();
            await assert.rejects(provider.create(dnsInputs(net, tg, host)), (err: Error) => {
                assert.equal(err.name, "DnsLookupError");
                assert.ok(
                    err.message.startsWith(
                        `DNS lookup of ${host} failed: the name does not exist (NXDOMAIN); nothing was changed. ` +
                            `It did not resolve from the machine running pulumi for 1 s. The dns source resolves ${host} ` +
                            `where pulumi runs: run pulumi up from inside the proxy's VPC`,
                    ),
                    err.message,
                );
                return true;
            });
            assert.ok(Date.now() - started >= 1000, "waited");
            assert.ok((dns.queries.get(host) ?? 0) - before >= 2, "retried");
            assert.deepEqual(await registeredIps(fx.elbv2, tg), []);
            // A name that appears while create waits is registered.
            dns.set(host, { rcode: "SERVFAIL" });
            const pending = provider.create({ ...dnsInputs(net, tg, host), lookupWaitSeconds: 20 });
            setTimeout(() => dns.set(host, { ips: [ipOf(net, 3)] }), 500);
            const created = await pending;
            assert.deepEqual((created.outs as TargetRegistrationOutputs).targets, [ipOf(net, 3)]);
        });
    });

    it("serializes without capturing a client, a credential or a module object", () => {
        assert.equal(serialized.includes(FAKE_SECRET), false);
        assert.equal(serialized.includes("AWS_SECRET_ACCESS_KEY"), false);
        assert.ok(serialized.includes('require("@aws-sdk/client-elastic-load-balancing-v2")'));
        assert.deepEqual(Object.keys(provider).sort(), [
            "check",
            "create",
            "delete",
            "diff",
            "read",
            "update",
        ]);
    });

    it("check reports every invalid input", async () => {
        const res = await provider.check({}, { port: 0, source: "eni", region: "eu-west-1" });
        assert.deepEqual(
            res.failures?.map((f) => f.property),
            [
                "targetGroupArn",
                "port",
                "proxyName",
                "vpcId",
                "proxySubnetIds",
                "missesBeforeDeregister",
                "proxySecurityGroupIds",
            ],
        );
    });

    it("create registers, diff shows drift, update converges, read shows out-of-band changes, delete deregisters", async () => {
        const net = await createNetwork(fx.ec2);
        const eni0 = await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 1));
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        const inputs: TargetRegistrationInputs = {
            targetGroupArn: tg,
            port: 5432,
            source: "eni",
            proxyName: "app",
            vpcId: net.vpcId,
            proxySubnetIds: [net.subnetId],
            proxySecurityGroupIds: [net.securityGroupId],
            missesBeforeDeregister: 2,
            region: REGION,
        };
        assert.deepEqual((await provider.check({}, inputs)).failures, []);

        const created = await provider.create(inputs);
        assert.equal(created.id, `${tg}#5432`);
        const outs = created.outs as TargetRegistrationOutputs;
        assert.deepEqual(outs.targets, [ipOf(net, 0), ipOf(net, 1)]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1)]);
        assert.equal(JSON.stringify(outs).includes(FAKE_SECRET), false);

        // No drift, no input change: preview shows nothing.
        assert.equal((await provider.diff(created.id, outs, inputs)).changes, false);

        // The proxy gains an IP and loses one: preview shows an update.
        await deleteEni(fx.ec2, eni0);
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 2));
        const drift = await provider.diff(created.id, outs, inputs);
        assert.equal(drift.changes, true);
        assert.deepEqual(drift.replaces, []);
        assert.deepEqual(
            await registeredIps(fx.elbv2, tg),
            [ipOf(net, 0), ipOf(net, 1)],
            "diff changes nothing",
        );

        // Update: the new IP at once, the missing one kept (first miss), then removed on the next update.
        const u1 = (await provider.update(created.id, outs, inputs)).outs as TargetRegistrationOutputs;
        assert.deepEqual(u1.targets, [ipOf(net, 0), ipOf(net, 1), ipOf(net, 2)]);
        assert.deepEqual(u1.misses, { [ipOf(net, 0)]: 1 });
        const u2 = (await provider.update(created.id, u1, inputs)).outs as TargetRegistrationOutputs;
        assert.deepEqual(u2.targets, [ipOf(net, 1), ipOf(net, 2)]);
        assert.deepEqual(u2.misses, {});
        assert.equal((await provider.diff(created.id, u2, inputs)).changes, false);

        // Someone registers a target by hand: refresh shows it, preview shows drift.
        await registerOutOfBand(fx.elbv2, tg, [ipOf(net, 9)]);
        const read = await provider.read(created.id, u2);
        assert.equal(read.id, created.id);
        assert.deepEqual((read.props as TargetRegistrationOutputs).targets, [
            ipOf(net, 1),
            ipOf(net, 2),
            ipOf(net, 9),
        ]);
        assert.equal((await provider.diff(created.id, u2, inputs)).changes, true);

        // A port change replaces (another set of targets).
        assert.deepEqual((await provider.diff(created.id, u2, { ...inputs, port: 6432 })).replaces, ["port"]);

        await provider.delete(created.id, u2);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), []);
    });

    it("a target on another port is drift in preview and removed by update; a refused target group fails create", async () => {
        const net = await createNetwork(fx.ec2);
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        const inputs = eniInputs(net, tg);
        const created = await provider.create(inputs);
        assert.equal((await provider.diff(created.id, created.outs, inputs)).changes, false);
        await registerOutOfBand(fx.elbv2, tg, ["192.0.2.7"], 6432);
        assert.equal((await provider.diff(created.id, created.outs, inputs)).changes, true);
        const updated = (await provider.update(created.id, created.outs, inputs))
            .outs as TargetRegistrationOutputs;
        assert.deepEqual(updated.targets, [ipOf(net, 0)]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0)]);
        assert.equal((await provider.diff(created.id, updated, inputs)).changes, false);

        const udp = await createTargetGroup(fx.elbv2, net.vpcId, 5432, "ip", "UDP");
        await assert.rejects(provider.create(eniInputs(net, udp)), { name: "TargetGroupMismatch" });
        assert.deepEqual(await registeredIps(fx.elbv2, udp), []);
    });

    it("delete succeeds and read shows no targets when the target group is already gone; create fails clearly", async () => {
        const net = await createNetwork(fx.ec2);
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        const inputs: TargetRegistrationInputs = {
            targetGroupArn: tg,
            port: 5432,
            source: "eni",
            proxyName: "app",
            vpcId: net.vpcId,
            proxySubnetIds: [net.subnetId],
            proxySecurityGroupIds: [net.securityGroupId],
            missesBeforeDeregister: 2,
            region: REGION,
        };
        const created = await provider.create(inputs);
        await deleteTargetGroup(fx.elbv2, tg);
        const read = await provider.read(created.id, created.outs);
        assert.deepEqual((read.props as TargetRegistrationOutputs).targets, []);
        await provider.delete(created.id, created.outs);
        await assert.rejects(provider.create(inputs), { name: "TargetGroupNotFound" });
    });

    it("refuses credentials of another account than the target group's, in every method that calls AWS", async () => {
        const net = await createNetwork(fx.ec2);
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        // The same target group seen from another account: moto's credentials are those of its own account.
        const foreign = tg.replace(/:(\d{12}):/, ":999999999999:");
        const inputs: TargetRegistrationInputs = {
            targetGroupArn: foreign,
            port: 5432,
            source: "eni",
            proxyName: "app",
            vpcId: net.vpcId,
            proxySubnetIds: [net.subnetId],
            proxySecurityGroupIds: [net.securityGroupId],
            missesBeforeDeregister: 2,
            region: REGION,
        };
        const outs = { ...inputs, targets: [ipOf(net, 0)], misses: {} } as TargetRegistrationOutputs;
        const expected = new RegExp(
            `^Error: The AWS credentials of this deployment belong to account \\d{12}, but target group ` +
                `${foreign.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is in account 999999999999\\.`,
        );
        await assert.rejects(provider.create(inputs), (err: Error) => expected.test(String(err)));
        await assert.rejects(provider.diff("id", outs, inputs), (err: Error) => expected.test(String(err)));
        await assert.rejects(provider.read("id", outs), (err: Error) => expected.test(String(err)));
        // Above all, a delete with the wrong credentials fails instead of passing as "already gone".
        await assert.rejects(provider.delete("id", outs), (err: Error) => expected.test(String(err)));
        assert.deepEqual(await registeredIps(fx.elbv2, tg), []);
    });

    it("create fails and registers nothing when the proxy has no interfaces", async () => {
        const net = await createNetwork(fx.ec2);
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        await assert.rejects(
            provider.create({
                targetGroupArn: tg,
                port: 5432,
                source: "eni",
                proxyName: "app",
                vpcId: net.vpcId,
                proxySubnetIds: [net.subnetId],
                proxySecurityGroupIds: [net.securityGroupId],
                missesBeforeDeregister: 2,
                region: REGION,
            }),
            { name: "EmptyLookupError" },
        );
        assert.deepEqual(await registeredIps(fx.elbv2, tg), []);
    });

    it("shares the miss state with the Lambda through the state table, and assumes the stack's role", async () => {
        const net = await createNetwork(fx.ec2);
        const eni0 = await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 1));
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        const table = await createStateTable(fx.dynamodb);
        const proxy = await startThrottleProxy(moto.url);
        const saved = process.env.AWS_ENDPOINT_URL;
        process.env.AWS_ENDPOINT_URL = proxy.url;
        try {
            const inputs: TargetRegistrationInputs = {
                targetGroupArn: tg,
                port: 5432,
                source: "eni",
                proxyName: "app",
                vpcId: net.vpcId,
                proxySubnetIds: [net.subnetId],
                proxySecurityGroupIds: [net.securityGroupId],
                missesBeforeDeregister: 2,
                region: REGION,
                assumeRoleArn: "arn:aws:iam::123456789012:role/deployer",
                stateTableName: table,
            };
            const created = await provider.create(inputs);
            assert.equal(proxy.seen.get("AssumeRole"), 1, "one AssumeRole per method call");
            assert.equal(proxy.seen.get("PutItem"), 1);
            await deleteEni(fx.ec2, eni0);
            const u1 = (await provider.update(created.id, created.outs, inputs))
                .outs as TargetRegistrationOutputs;
            assert.deepEqual(u1.misses, {}, "kept in the table, not in state");
            assert.deepEqual(u1.targets, [ipOf(net, 0), ipOf(net, 1)]);
            const u2 = (await provider.update(created.id, u1, inputs)).outs as TargetRegistrationOutputs;
            assert.deepEqual(u2.targets, [ipOf(net, 1)], "second miss read back from the table");
            assert.equal(proxy.seen.get("AssumeRole"), 3);
        } finally {
            process.env.AWS_ENDPOINT_URL = saved;
            await proxy.stop();
        }
    });
});
