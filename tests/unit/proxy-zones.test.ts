/**
 * RDS Proxy only in the zones it runs in: the db-account stack in us-east-1, whose use1-az3 does not run RDS Proxy
 * (stacks/db-account/proxy-zones.ts). A new VPC avoids the zone; an existing VPC's subnet there stays with the load
 * balancer and the cluster and is not given to the proxy (nor to the sync as a proxy subnet); fewer than two zones
 * left for the proxy is refused before anything is created.
 */
import * as assert from "assert";
import { offlineAwsAnswers } from "../../tools/recording/aws-answers";
import { dbAccountStateIn } from "../../tools/recording/computed-state";
import { runStack, single, type CallHandler, type StackRun } from "../../tools/recording/harness";
import { RDS_PROXY_UNSUPPORTED_AZ_IDS } from "../../stacks/db-account/proxy-zones";

const REGION = "us-east-1";
/** us-east-1 as one account sees it: the names map to IDs per account, so use1-az3 is "us-east-1b" here. */
const ZONES = {
    names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
    zoneIds: ["use1-az1", "use1-az3", "use1-az2", "use1-az4", "use1-az6", "use1-az5"],
};
const VPC = "vpc-0e000000000000001";
/** Existing subnets: id → AZ index in ZONES. */
const SUBNETS: Record<string, number> = {
    "subnet-0e000000000000001": 0,
    "subnet-0e000000000000002": 1, // use1-az3
    "subnet-0e000000000000003": 2,
};

const calls: CallHandler = (token, inputs) => {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { ...ZONES, id: REGION, groupNames: [] };
        case "aws:ec2/getSubnet:getSubnet": {
            const id = String(inputs.id);
            const zone = SUBNETS[id];
            return {
                id,
                vpcId: VPC,
                availabilityZone: ZONES.names[zone],
                availabilityZoneId: ZONES.zoneIds[zone],
            };
        }
        default:
            return offlineAwsAnswers({ region: REGION })(token, inputs);
    }
};

function run(network: Record<string, unknown>): Promise<StackRun> {
    return runStack({
        stack: "db-account",
        config: {
            accountId: "111111111111",
            network,
            consumers: [{ name: "app", accountId: "222222222222" }],
        },
        extraConfig: { "aws:region": REGION },
        calls,
        state: dbAccountStateIn(REGION, "111111111111"),
    });
}

const proxyOf = (r: StackRun) => single(r, "aws:rds/proxy:Proxy");

describe("RDS Proxy only in zones that run it", function () {
    this.timeout(60000);

    it("lists the zones AWS documents", () => {
        assert.deepStrictEqual(RDS_PROXY_UNSUPPORTED_AZ_IDS, ["use1-az3", "usw1-az2"]);
    });

    it("builds a new VPC in zones that run RDS Proxy only", async () => {
        const r = await run({ cidrBlock: "10.20.0.0/16", azCount: 3 });
        assert.strictEqual(r.error, undefined, String(r.error));
        const vpc = single(r, "awsx:ec2:Vpc");
        // use1-az3 is us-east-1b in this account: skipped, the next zone by name taken instead.
        assert.deepStrictEqual(vpc.inputs.availabilityZoneNames, ["us-east-1a", "us-east-1c", "us-east-1d"]);
    });

    it("refuses more new-VPC zones than the region has without them, saying which zone is left out", async () => {
        const r = await run({ cidrBlock: "10.20.0.0/16", azCount: 6 });
        assert.ok(r.error);
        assert.ok(
            r.error.message.includes(
                "Config 'rds-cross-account:network.azCount' is 6, but the region has only 5 available AZs the stack " +
                    "can use (us-east-1a, us-east-1c, us-east-1d, us-east-1e, us-east-1f); us-east-1b (use1-az3) is " +
                    "left out: RDS Proxy does not run there. Set 'network.azCount' in Pulumi.db-account.yaml to at most 5.",
            ),
            r.error.message,
        );
        assert.deepStrictEqual(
            r.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:")),
            [],
        );
    });

    it("keeps an existing VPC's subnet in such a zone out of the proxy, and says so", async () => {
        const subnetIds = Object.keys(SUBNETS);
        const r = await run({ vpcId: VPC, subnetIds });
        assert.strictEqual(r.error, undefined, String(r.error));
        const inProxyZones = ["subnet-0e000000000000001", "subnet-0e000000000000003"];
        assert.deepStrictEqual(proxyOf(r).inputs.vpcSubnetIds, inProxyZones);
        // The load balancer and the cluster keep every subnet (cross-zone load balancing reaches the proxy).
        assert.deepStrictEqual(single(r, "aws:lb/loadBalancer:LoadBalancer").inputs.subnets, subnetIds);
        assert.deepStrictEqual(single(r, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, subnetIds);
        // The sync registers only addresses inside the proxy's own subnets.
        const registrations = r.resources.filter((x) => x.name.endsWith("-registration"));
        assert.ok(registrations.length > 0);
        for (const registration of registrations)
            assert.deepStrictEqual(registration.inputs.proxySubnetIds, inProxyZones, registration.name);
        assert.deepStrictEqual(
            r.warnings.filter((w) => w.includes("RDS Proxy")),
            [
                "rds-cross-account:network.subnetIds: the subnet in use1-az3 is not given to RDS Proxy (RDS Proxy does " +
                    "not run there); the load balancer, the cluster and the bootstrap still use it.",
            ],
        );
    });

    it("refuses an existing VPC that leaves the proxy fewer than two zones, naming the zone", async () => {
        const r = await run({
            vpcId: VPC,
            subnetIds: ["subnet-0e000000000000001", "subnet-0e000000000000002"],
        });
        assert.ok(r.error);
        assert.ok(
            r.error.message.includes(
                `Config 'rds-cross-account:network.subnetIds' is ["subnet-0e000000000000001","subnet-0e000000000000002"], ` +
                    "but they cover 1 AZ that the stack can use (use1-az1; use1-az3 is left out: RDS Proxy does not run " +
                    "there), and RDS Proxy " +
                    "needs subnets in at least two AZs. Add a subnet from another AZ of vpc-0e000000000000001 in " +
                    "Pulumi.db-account.yaml.",
            ),
            r.error.message,
        );
        assert.deepStrictEqual(
            r.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:")),
            [],
        );
    });
});
