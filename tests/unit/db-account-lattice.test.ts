/**
 * The db-account stack on the VPC Lattice path (`connectivity: vpc-lattice`) under mocks: the exact inputs of the
 * resource gateway, its security group and rules, each resource configuration, the RAM share and its associations;
 * no load balancer, endpoint service or sync; the version-2 contract and the path's outputs. And, on the PrivateLink
 * path, that the exported contract is exactly the version-1 shape a consumer of an earlier release reads, with the
 * supported regions other than the stack's own.
 *
 * What these tests cannot prove: that AWS accepts a custom domain name under rds.amazonaws.com without a domain
 * verification, that the resource gateway reaches the proxy (security groups and DNS are AWS's to evaluate), or
 * Lattice's real idle timeout for TCP flows (docs/db-account.md says what was assumed).
 */
import * as assert from "assert";
import { awsCalls, dbAccountState, exampleConfig, newVpcSubnetIds } from "../support/fixtures";
import { contractV1Shape, contractV2Shape, parse } from "../../vocabulary";
import { ofType, parentType, providerName, runStack, single, StackRun } from "../../tools/recording/harness";

const RCFG = (n: number) =>
    `arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef${n}`;
const SHARE = "arn:aws:ram:eu-west-1:111111111111:resource-share/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";
const PROXY = "db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
const ALIAS = "db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
const REAL_RO = "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";

/** What AWS computes for the Lattice and RAM resources: ARNs of their real forms (the contract's rules check them). */
function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "aws:vpclattice/resourceConfiguration:ResourceConfiguration":
            return { arn: RCFG(name.endsWith("-ro") ? 1 : 0) };
        case "aws:ram/resourceShare:ResourceShare":
            return { arn: SHARE };
        default:
            return dbAccountState(type, name, inputs);
    }
}

const base = {
    accountId: "111111111111",
    network: { cidrBlock: "10.20.0.0/16", azCount: 3 },
    connectivity: "vpc-lattice",
    consumers: [
        { name: "app", accountId: "222222222222" },
        { name: "partner", accountId: "333333333333", outsideOrganization: true },
    ],
};

/** Resources as [name, inputs], by name: registration order follows when inputs resolve, not the code's order. */
const byName = (resources: { name: string; inputs: Record<string, unknown> }[]) =>
    resources
        .map((x): [string, Record<string, unknown>] => [x.name, x.inputs])
        .sort(([a], [b]) => a.localeCompare(b));

const run = (config: Record<string, unknown>) =>
    runStack({ stack: "db-account", config, calls: awsCalls(), state });

const PATH_TYPES = [
    "aws:vpclattice/resourceGateway:ResourceGateway",
    "aws:vpclattice/resourceConfiguration:ResourceConfiguration",
    "aws:ram/resourceShare:ResourceShare",
    "aws:ram/resourceAssociation:ResourceAssociation",
    "aws:ram/principalAssociation:PrincipalAssociation",
];

describe("db-account stack on the VPC Lattice path", function () {
    this.timeout(60000);

    describe("with readers, one consumer outside the organization", () => {
        let r: StackRun;
        before(async () => {
            r = await run(base);
            assert.strictEqual(r.error, undefined, String(r.error));
        });

        it("creates no load balancer, endpoint service, target group or sync", () => {
            for (const type of [
                "rds-cross-account:publication:EndpointService",
                "aws:lb/loadBalancer:LoadBalancer",
                "aws:lb/targetGroup:TargetGroup",
                "aws:lb/listener:Listener",
                "aws:ec2/vpcEndpointService:VpcEndpointService",
                "rds-cross-account:target-sync:TargetSync",
            ]) {
                assert.deepStrictEqual(ofType(r, type), [], type);
            }
            assert.ok(!r.resources.some((x) => x.name.includes("-sync-")), "no sync resource");
        });

        it("puts a resource gateway in every subnet of the database's VPC, behind its own security group", () => {
            const gateway = single(r, "aws:vpclattice/resourceGateway:ResourceGateway");
            assert.strictEqual(gateway.name, "db-account-lattice-gateway");
            assert.deepStrictEqual(gateway.inputs, {
                vpcId: "vpc-0c000000000000001",
                subnetIds: newVpcSubnetIds,
                securityGroupIds: ["db-account-lattice-gateway-sg-id"],
                ipAddressType: "IPV4",
                resourceConfigDnsResolution: "PUBLIC",
            });
            assert.strictEqual(parentType(gateway), "rds-cross-account:publication:LatticePublication");
            assert.strictEqual(providerName(gateway), "db-account-aws");
            const group = ofType(r, "aws:ec2/securityGroup:SecurityGroup").find(
                (g) => g.name === "db-account-lattice-gateway-sg",
            );
            assert.deepStrictEqual(group?.inputs, {
                vpcId: "vpc-0c000000000000001",
                description: "Resource gateway db-account-lattice: reaches only the proxy, on its port",
            });
        });

        it("lets the gateway reach only the proxy on its port, and the proxy admit only the gateway of the path", () => {
            const rule = (type: string, name: string) =>
                ofType(r, type).filter((x) => x.name === name)[0]?.inputs;
            assert.deepStrictEqual(
                rule(
                    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                    "db-account-lattice-gateway-to-proxy",
                ),
                {
                    securityGroupId: "db-account-lattice-gateway-sg-id",
                    referencedSecurityGroupId: "db-account-proxy-sg-id",
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    description: "Resource gateway to the proxy, port 5432",
                },
            );
            assert.deepStrictEqual(
                rule(
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                    "db-account-lattice-proxy-from-gateway",
                ),
                {
                    securityGroupId: "db-account-proxy-sg-id",
                    referencedSecurityGroupId: "db-account-lattice-gateway-sg-id",
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    description: "Proxy from the VPC Lattice resource gateway, port 5432",
                },
            );
            // The gateway's group has exactly that one rule: no other egress, no ingress.
            const onGateway = r.resources.filter(
                (x) =>
                    x.type.startsWith("aws:vpc/securityGroup") &&
                    x.inputs.securityGroupId === "db-account-lattice-gateway-sg-id",
            );
            assert.deepStrictEqual(
                onGateway.map((x) => x.name),
                ["db-account-lattice-gateway-to-proxy"],
            );
        });

        it("publishes each proxy endpoint as one SINGLE TCP resource configuration on the name clients dial", () => {
            const configurations = ofType(r, "aws:vpclattice/resourceConfiguration:ResourceConfiguration");
            assert.deepStrictEqual(byName(configurations), [
                [
                    "db-account-lattice-ro",
                    {
                        type: "SINGLE",
                        resourceGatewayIdentifier: "db-account-lattice-gateway-id",
                        // Lattice resolves the read-only endpoint's real name; clients dial the alias the
                        // proxy's certificate covers.
                        resourceConfigurationDefinition: {
                            dnsResource: { domainName: REAL_RO, ipAddressType: "IPV4" },
                        },
                        portRanges: ["5432"],
                        protocol: "TCP",
                        customDomainName: ALIAS,
                        allowAssociationToShareableServiceNetwork: false,
                    },
                ],
                [
                    "db-account-lattice-rw",
                    {
                        type: "SINGLE",
                        resourceGatewayIdentifier: "db-account-lattice-gateway-id",
                        resourceConfigurationDefinition: {
                            dnsResource: { domainName: PROXY, ipAddressType: "IPV4" },
                        },
                        portRanges: ["5432"],
                        protocol: "TCP",
                        customDomainName: PROXY,
                        allowAssociationToShareableServiceNetwork: false,
                    },
                ],
            ]);
        });

        it("shares both configurations with exactly the consumer accounts through one share open to outsiders", () => {
            const share = single(r, "aws:ram/resourceShare:ResourceShare");
            assert.strictEqual(share.name, "db-account-lattice-share");
            assert.deepStrictEqual(share.inputs, { allowExternalPrincipals: true });
            assert.deepStrictEqual(byName(ofType(r, "aws:ram/resourceAssociation:ResourceAssociation")), [
                ["db-account-lattice-share-ro", { resourceShareArn: SHARE, resourceArn: RCFG(1) }],
                ["db-account-lattice-share-rw", { resourceShareArn: SHARE, resourceArn: RCFG(0) }],
            ]);
            assert.deepStrictEqual(byName(ofType(r, "aws:ram/principalAssociation:PrincipalAssociation")), [
                [
                    "db-account-lattice-share-222222222222",
                    { resourceShareArn: SHARE, principal: "222222222222" },
                ],
                [
                    "db-account-lattice-share-333333333333",
                    { resourceShareArn: SHARE, principal: "333333333333" },
                ],
            ]);
            for (const type of PATH_TYPES) {
                for (const x of ofType(r, type))
                    assert.strictEqual(providerName(x), "db-account-aws", x.name);
            }
        });

        it("exports a version-2 contract with the path's ARNs and the invited account, and the path's outputs", () => {
            const contract = r.outputs.contract as Record<string, unknown>;
            assert.deepStrictEqual(contract, {
                version: 2,
                producerAccountId: "111111111111",
                region: "eu-west-1",
                engine: "aurora-postgresql",
                port: 5432,
                proxyEndpoint: PROXY,
                readOnlyEndpoint: ALIAS,
                readOnlyProxyEndpoint: REAL_RO,
                idleTimeoutSeconds: 300,
                databaseName: "app",
                consumers: [
                    {
                        accountId: "222222222222",
                        databaseUser: "app",
                        auth: "iam",
                        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-access-app-connect",
                    },
                    {
                        accountId: "333333333333",
                        databaseUser: "partner",
                        auth: "iam",
                        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-access-partner-connect",
                    },
                ],
                tls: { sslmode: "verify-full" },
                connectivity: {
                    kind: "vpc-lattice",
                    resourceConfigurationArn: RCFG(0),
                    readOnlyResourceConfigurationArn: RCFG(1),
                    resourceShareArn: SHARE,
                    invitedAccountIds: ["333333333333"],
                },
            });
            assert.strictEqual(parse(contractV2Shape, contract).faults, undefined);
            // A consumer of an earlier release reads version 1 only, and refuses this contract by its version.
            assert.ok(parse(contractV1Shape, contract).faults);
            assert.deepStrictEqual(r.outputs.resourceGatewayId, "db-account-lattice-gateway-id");
            assert.deepStrictEqual(r.outputs.resourceConfigurationArns, { rw: RCFG(0), ro: RCFG(1) });
            assert.strictEqual(r.outputs.resourceShareArn, SHARE);
            for (const key of [
                "endpointServiceId",
                "loadBalancerArn",
                "targetGroupArn",
                "syncFunctionNames",
            ]) {
                assert.ok(!(key in r.outputs), `no ${key} output`);
            }
        });

        it("alarms on the proxy only: no endpoint service, target group or sync alarm", () => {
            const names = ofType(r, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name);
            assert.deepStrictEqual(names, [
                "db-account-alarms-auth-failures",
                "db-account-alarms-pool-near-max",
                "db-account-alarms-proxy-availability-read-write",
                "db-account-alarms-proxy-availability-read-only",
            ]);
        });
    });

    it("keeps the share to the organization, and invites nobody, when every consumer is inside it", async () => {
        const r = await run({
            ...base,
            consumers: [{ name: "app", accountId: "222222222222" }],
            database: { readers: 0 },
        });
        assert.strictEqual(r.error, undefined, String(r.error));
        assert.deepStrictEqual(single(r, "aws:ram/resourceShare:ResourceShare").inputs, {
            allowExternalPrincipals: false,
        });
        assert.deepStrictEqual(
            ofType(r, "aws:vpclattice/resourceConfiguration:ResourceConfiguration").map((c) => c.name),
            ["db-account-lattice-rw"],
        );
        const contract = r.outputs.contract as {
            connectivity: Record<string, unknown>;
            readOnlyEndpoint?: string;
        };
        assert.deepStrictEqual(contract.connectivity, {
            kind: "vpc-lattice",
            resourceConfigurationArn: RCFG(0),
            resourceShareArn: SHARE,
            invitedAccountIds: [],
        });
        assert.strictEqual(contract.readOnlyEndpoint, undefined);
        assert.deepStrictEqual(r.outputs.resourceConfigurationArns, { rw: RCFG(0) });
    });

    it("uses the existing VPC's subnets and MySQL's port throughout, with password auth", async () => {
        const r = await run({
            ...base,
            network: {
                vpcId: "vpc-0a000000000000001",
                subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"],
            },
            database: { engine: "aurora-mysql", readers: 0 },
            applicationAuth: "password",
        });
        assert.strictEqual(r.error, undefined, String(r.error));
        const gateway = single(r, "aws:vpclattice/resourceGateway:ResourceGateway");
        assert.strictEqual(gateway.inputs.vpcId, "vpc-0a000000000000001");
        assert.deepStrictEqual(gateway.inputs.subnetIds, [
            "subnet-0a000000000000001",
            "subnet-0a000000000000002",
        ]);
        const configuration = single(r, "aws:vpclattice/resourceConfiguration:ResourceConfiguration");
        assert.deepStrictEqual(configuration.inputs.portRanges, ["3306"]);
        const rules = r.resources.filter(
            (x) => x.name.startsWith("db-account-lattice-") && x.type.includes("Rule"),
        );
        assert.deepStrictEqual(rules.map((x) => [x.name, x.inputs.fromPort, x.inputs.toPort]).sort(), [
            ["db-account-lattice-gateway-to-proxy", 3306, 3306],
            ["db-account-lattice-proxy-from-gateway", 3306, 3306],
        ]);
        const contract = r.outputs.contract as {
            version: number;
            port: number;
            consumers: { auth: string }[];
        };
        assert.strictEqual(contract.version, 2);
        assert.strictEqual(contract.port, 3306);
        assert.deepStrictEqual(
            contract.consumers.map((c) => c.auth),
            ["password", "password"],
        );
    });
});

describe("db-account stack on the PrivateLink path: the contract an earlier consumer reads", function () {
    this.timeout(60000);

    it("is exactly the flat version-1 object, with the supported regions other than the stack's own", async () => {
        const { config, extra } = exampleConfig("db-account");
        const r = await runStack({
            stack: "db-account",
            config: {
                ...config,
                // The stack's own region listed too: the contract names only the others.
                endpointService: { supportedRegions: ["eu-west-1", "eu-central-1"] },
            },
            extraConfig: extra,
            calls: awsCalls(),
            state: dbAccountState,
        });
        assert.strictEqual(r.error, undefined, String(r.error));
        const service = single(r, "aws:ec2/vpcEndpointService:VpcEndpointService");
        assert.deepStrictEqual(service.inputs.supportedRegions, ["eu-west-1", "eu-central-1"]);
        const contract = r.outputs.contract as Record<string, unknown>;
        // Every key a version-1 consumer knows, and no other: no `connectivity`, nothing of version 2.
        assert.deepStrictEqual(Object.keys(contract).sort(), [
            "availabilityZoneIds",
            "consumers",
            "databaseName",
            "endpointServiceName",
            "engine",
            "idleTimeoutSeconds",
            "port",
            "producerAccountId",
            "proxyEndpoint",
            "readOnlyEndpoint",
            "readOnlyPort",
            "readOnlyProxyEndpoint",
            "region",
            "supportedRegions",
            "tls",
            "version",
        ]);
        assert.strictEqual(contract.version, 1);
        assert.deepStrictEqual(contract.supportedRegions, ["eu-central-1"]);
        assert.strictEqual(contract.readOnlyPort, 5433);
        // Read with version 1's shape (what an earlier consumer parses), it is the same object, field for field.
        const read = parse(contractV1Shape, contract);
        assert.strictEqual(read.faults, undefined);
        assert.strictEqual(JSON.stringify(read.value), JSON.stringify(contract));
    });
});
