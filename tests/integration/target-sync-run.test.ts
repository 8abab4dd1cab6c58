/**
 * The run the dynamic provider, the Lambda and the CLI share (syncWithStoredMisses) against moto: where the
 * miss state comes from and when it is written.
 * What this cannot prove: DynamoDB's own conditional-write semantics beyond what moto implements.
 */
import * as assert from "node:assert/strict";
import { createClients, destroyClients, type SyncClients } from "../../components/target-sync/aws";
import { syncWithStoredMisses, type StoredSyncInputs } from "../../components/target-sync/run";
import { loadMisses, stateKey } from "../../components/target-sync/state-store";
import {
    addProxyEni,
    createNetwork,
    createStateTable,
    createTargetGroup,
    deleteEni,
    fixtureClients,
    ipOf,
    placement,
    REGION,
    registeredIps,
    type Network,
} from "../../tools/local/sync-fixtures";
import { useMoto } from "../support/moto";

describe("target-sync shared run (syncWithStoredMisses) against moto", function () {
    this.timeout(120_000);
    const servers = useMoto();
    let fx: ReturnType<typeof fixtureClients>;
    let calls: string[];
    let clients: SyncClients;

    before(async () => {
        ({ fx } = servers());
        clients = createClients({ region: REGION }, (_service, command) => calls.push(command));
    });
    after(async () => {
        destroyClients(clients);
    });
    beforeEach(() => {
        calls = [];
    });

    /** A proxy with two interfaces whose IPs are registered, and the first interface then gone. */
    async function oneIpGone(
        stateTableName?: string,
    ): Promise<{ net: Network; tg: string; inputs: StoredSyncInputs }> {
        const net = await createNetwork(fx.ec2);
        const eni0 = await addProxyEni(fx.ec2, net, "app", ipOf(net, 0));
        await addProxyEni(fx.ec2, net, "app", ipOf(net, 1));
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        const inputs: StoredSyncInputs = {
            source: "eni",
            proxyName: "app",
            ...placement(net),
            targetGroupArn: tg,
            port: 5432,
            missesBeforeDeregister: 2,
            stateTableName,
        };
        const first = await syncWithStoredMisses(clients, inputs);
        assert.deepEqual(first.registered, [ipOf(net, 0), ipOf(net, 1)]);
        await deleteEni(fx.ec2, eni0);
        calls = [];
        return { net, tg, inputs };
    }

    const dynamodbCalls = () => calls.filter((c) => c === "GetItemCommand" || c === "PutItemCommand");
    const mutating = () =>
        calls.filter((c) => c === "RegisterTargetsCommand" || c === "DeregisterTargetsCommand");

    it("with a state table: loads the misses from it and saves the new ones, ignoring misses passed in", async () => {
        const table = await createStateTable(fx.dynamodb);
        const { net, tg, inputs } = await oneIpGone(table);
        const key = stateKey(tg, 5432);
        assert.deepEqual(await loadMisses(clients, table, key), { misses: {}, version: 1 });
        calls = [];

        // Counts passed in would deregister at once (5 >= 2); the table's (none yet) keep the IP.
        const r1 = await syncWithStoredMisses(clients, inputs, { misses: { [ipOf(net, 0)]: 5 } });
        assert.deepEqual(r1.kept, [{ ip: ipOf(net, 0), misses: 1 }]);
        assert.deepEqual(r1.deregistered, []);
        assert.deepEqual(dynamodbCalls(), ["GetItemCommand", "PutItemCommand"]);
        assert.deepEqual(await loadMisses(clients, table, key), {
            misses: { [ipOf(net, 0)]: 1 },
            version: 2,
        });

        // A fresh run (another process, a cold start) counts on from the table.
        const r2 = await syncWithStoredMisses(clients, inputs);
        assert.deepEqual(r2.deregistered, [{ ip: ipOf(net, 0), reason: "missed" }]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 1)]);
        assert.deepEqual(await loadMisses(clients, table, key), { misses: {}, version: 3 });
    });

    it("without a state table: starts from the misses passed in and touches no table", async () => {
        const { net, tg, inputs } = await oneIpGone();

        const fresh = await syncWithStoredMisses(clients, inputs);
        assert.deepEqual(fresh.kept, [{ ip: ipOf(net, 0), misses: 1 }]);
        assert.deepEqual(fresh.misses, { [ipOf(net, 0)]: 1 });
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1)]);

        const carried = await syncWithStoredMisses(clients, inputs, { misses: fresh.misses });
        assert.deepEqual(carried.deregistered, [{ ip: ipOf(net, 0), reason: "missed" }]);
        assert.deepEqual(carried.misses, {});
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 1)]);
        assert.deepEqual(dynamodbCalls(), []);
    });

    it("dry run: reads the table's misses, changes nothing and saves nothing", async () => {
        const table = await createStateTable(fx.dynamodb);
        const { net, tg, inputs } = await oneIpGone(table);
        const key = stateKey(tg, 5432);
        await syncWithStoredMisses(clients, inputs);
        const before = await loadMisses(clients, table, key);
        assert.deepEqual(before, { misses: { [ipOf(net, 0)]: 1 }, version: 2 });
        calls = [];

        const plan = await syncWithStoredMisses(clients, inputs, { dryRun: true });
        assert.equal(plan.dryRun, true);
        assert.deepEqual(
            plan.deregistered,
            [{ ip: ipOf(net, 0), reason: "missed" }],
            "counts from the table",
        );
        assert.deepEqual(mutating(), []);
        assert.deepEqual(dynamodbCalls(), ["GetItemCommand"]);
        assert.deepEqual(await registeredIps(fx.elbv2, tg), [ipOf(net, 0), ipOf(net, 1)]);
        assert.deepEqual(await loadMisses(clients, table, key), before);
    });
});
