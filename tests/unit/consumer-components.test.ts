/**
 * Input validation of the consumer components: every invalid input is reported at once, as an
 * InputPropertiesError with one exact reason per property, before any child resource is registered.
 * (The stack never passes such inputs; these guard the components for other callers.)
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { InterfaceEndpoint, InterfaceEndpointArgs } from "../../components/consumer/interface-endpoint";
import { ProxyDns, ProxyDnsArgs } from "../../components/consumer/proxy-dns";
import { ResourceEndpoints, ResourceEndpointsArgs } from "../../components/consumer/resource-endpoints";

const registered: string[] = [];

async function useMocks(): Promise<void> {
    registered.length = 0;
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(args.type);
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: (args) => {
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "rds-cross-account",
        "app-account",
        false,
    );
}

/** The error's message: the component, then every problem on a line of its own. */
function summary(component: string, errors: { reason: string }[]): string {
    return `Invalid arguments for ${component}:\n${errors.map((e) => `  - ${e.reason}`).join("\n")}`;
}

function reasons(construct: () => unknown): {
    message: string;
    errors: { propertyPath: string; reason: string }[];
} {
    try {
        construct();
    } catch (err) {
        assert.ok(
            pulumi.InputPropertiesError.isInstance(err),
            `expected an InputPropertiesError, got ${String(err)}`,
        );
        return { message: err.message, errors: err.errors };
    }
    assert.fail("expected the constructor to throw");
}

const endpointArgs: InterfaceEndpointArgs = {
    vpcId: "vpc-0d000000000000001",
    subnetIds: ["subnet-0d000000000000001"],
    serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
    ports: [5432],
};

const resourceArgs: ResourceEndpointsArgs = {
    vpcId: "vpc-0d000000000000001",
    subnetIds: ["subnet-0d000000000000001"],
    resources: [
        {
            key: "writer",
            resourceConfigurationArn:
                "arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0",
            domainName: "app.proxy-abc.eu-west-1.rds.amazonaws.com",
        },
    ],
    port: 5432,
    privateDns: true,
};

const dnsArgs: ProxyDnsArgs = {
    vpcId: "vpc-0d000000000000001",
    hostnames: [{ key: "writer", hostname: "app.proxy-abc.eu-west-1.rds.amazonaws.com" }],
    targetDnsName: "vpce-1.vpce-svc-1.eu-west-1.vpce.amazonaws.com",
    targetHostedZoneId: "Z1",
};

describe("consumer component inputs", () => {
    beforeEach(useMocks);

    const endpointCases: {
        name: string;
        args: Partial<InterfaceEndpointArgs>;
        expected: { errors: { propertyPath: string; reason: string }[] };
    }[] = [
        {
            name: "no ports",
            args: { ports: [] },
            expected: {
                errors: [
                    {
                        propertyPath: "ports",
                        reason: "InterfaceEndpoint argument 'ports' is [], but it must list at least one TCP port. Pass one port or more.",
                    },
                ],
            },
        },
        {
            name: "a port out of range and a duplicate, with duplicate groups",
            args: { ports: [0, 5432, 5432], clientSecurityGroupIds: ["sg-0d000001", "sg-0d000001"] },
            expected: {
                errors: [
                    {
                        propertyPath: "ports[0]",
                        reason: "InterfaceEndpoint argument 'ports[0]' is 0, but it must be a TCP port from 1 to 65535. Pass such a value, for example 5432.",
                    },
                    {
                        propertyPath: "ports",
                        reason: "InterfaceEndpoint argument 'ports' is [0,5432,5432], but each port may appear once. Remove the duplicates.",
                    },
                    {
                        propertyPath: "clientSecurityGroupIds",
                        reason:
                            `InterfaceEndpoint argument 'clientSecurityGroupIds' is ["sg-0d000001","sg-0d000001"], but each ` +
                            "group may appear once. Remove the duplicates.",
                    },
                ],
            },
        },
        {
            name: "a service region that is not a region code",
            args: { serviceRegion: "Ireland" },
            expected: {
                errors: [
                    {
                        propertyPath: "serviceRegion",
                        reason: `InterfaceEndpoint argument 'serviceRegion' is "Ireland", but it must be an AWS region code. Pass such a value, for example "eu-west-1".`,
                    },
                ],
            },
        },
    ];
    for (const c of endpointCases) {
        it(`InterfaceEndpoint rejects ${c.name}`, () => {
            assert.deepStrictEqual(
                reasons(() => new InterfaceEndpoint("e", { ...endpointArgs, ...c.args })),
                { message: summary("InterfaceEndpoint e", c.expected.errors), errors: c.expected.errors },
            );
        });
    }

    const dnsCases: {
        name: string;
        args: Partial<ProxyDnsArgs>;
        expected: { errors: { propertyPath: string; reason: string }[] };
    }[] = [
        {
            name: "no hostnames",
            args: { hostnames: [] },
            expected: {
                errors: [
                    {
                        propertyPath: "hostnames",
                        reason: "ProxyDns argument 'hostnames' is [], but it must list at least one hostname. Pass one hostname or more.",
                    },
                ],
            },
        },
        {
            name: "a bad key, a bad hostname and duplicates",
            args: {
                hostnames: [
                    { key: "Writer", hostname: "Not A Host" },
                    { key: "reader", hostname: "a.example.com" },
                    { key: "reader", hostname: "a.example.com" },
                ],
            },
            expected: {
                errors: [
                    {
                        propertyPath: "hostnames[0].key",
                        reason:
                            `ProxyDns argument 'hostnames[0].key' is "Writer", but it must be lowercase letters, digits and ` +
                            `hyphens, starting with a letter. Pass such a value, for example "writer".`,
                    },
                    {
                        propertyPath: "hostnames[0].hostname",
                        reason:
                            `ProxyDns argument 'hostnames[0].hostname' is "Not A Host", but it must be a lowercase DNS ` +
                            `hostname with at least two labels. Pass such a value, for example ` +
                            `"app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com".`,
                    },
                    {
                        propertyPath: "hostnames",
                        reason: 'ProxyDns argument \'hostnames\' is ["Writer","reader","reader"], but it has duplicate keys. Give each key once.',
                    },
                    {
                        propertyPath: "hostnames",
                        reason:
                            `ProxyDns argument 'hostnames' is ["Not A Host","a.example.com","a.example.com"], but it ` +
                            `has duplicate hostnames. Give each hostname once.`,
                    },
                ],
            },
        },
    ];
    for (const c of dnsCases) {
        it(`ProxyDns rejects ${c.name}`, () => {
            assert.deepStrictEqual(
                reasons(() => new ProxyDns("d", { ...dnsArgs, ...c.args })),
                { message: summary("ProxyDns d", c.expected.errors), errors: c.expected.errors },
            );
        });
    }

    const resourceCases: {
        name: string;
        args: Partial<ResourceEndpointsArgs>;
        expected: { errors: { propertyPath: string; reason: string }[] };
    }[] = [
        {
            name: "no resources, a bad port and a bad share ARN",
            args: {
                resources: [],
                port: 70000,
                acceptShareArn: "arn:aws:ram:eu-west-1:111111111111:share/x",
            },
            expected: {
                errors: [
                    {
                        propertyPath: "port",
                        reason: "ResourceEndpoints argument 'port' is 70000, but it must be a TCP port from 1 to 65535. Pass such a value, for example 5432.",
                    },
                    {
                        propertyPath: "acceptShareArn",
                        reason:
                            `ResourceEndpoints argument 'acceptShareArn' is "arn:aws:ram:eu-west-1:111111111111:share/x", ` +
                            `but it must be an AWS RAM resource share ARN. Pass such a value, for example ` +
                            `"arn:aws:ram:eu-west-1:111111111111:resource-share/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d".`,
                    },
                    {
                        propertyPath: "resources",
                        reason: "ResourceEndpoints argument 'resources' is [], but it must list at least one resource. Pass one resource or more.",
                    },
                ],
            },
        },
        {
            name: "a bad key, ARN and name, and duplicates",
            args: {
                resources: [
                    { key: "Writer", resourceConfigurationArn: "rcfg-1", domainName: "Not A Host" },
                    { ...resourceArgs.resources[0], key: "reader" },
                    { ...resourceArgs.resources[0], key: "reader" },
                ],
            },
            expected: {
                errors: [
                    {
                        propertyPath: "resources[0].key",
                        reason:
                            `ResourceEndpoints argument 'resources[0].key' is "Writer", but it must be lowercase letters, ` +
                            `digits and hyphens, starting with a letter. Pass such a value, for example "writer".`,
                    },
                    {
                        propertyPath: "resources[0].resourceConfigurationArn",
                        reason:
                            `ResourceEndpoints argument 'resources[0].resourceConfigurationArn' is "rcfg-1", but it must ` +
                            `be a VPC Lattice resource configuration ARN. Pass such a value, for example ` +
                            `"arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0".`,
                    },
                    {
                        propertyPath: "resources[0].domainName",
                        reason:
                            `ResourceEndpoints argument 'resources[0].domainName' is "Not A Host", but it must be a ` +
                            `lowercase DNS hostname with at least two labels. Pass such a value, for example ` +
                            `"app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com".`,
                    },
                    {
                        propertyPath: "resources",
                        reason: `ResourceEndpoints argument 'resources' is ["Writer","reader","reader"], but each key may appear once. Remove the duplicates.`,
                    },
                    {
                        propertyPath: "resources",
                        reason:
                            `ResourceEndpoints argument 'resources' is ["rcfg-1","${resourceArgs.resources[0].resourceConfigurationArn}",` +
                            `"${resourceArgs.resources[0].resourceConfigurationArn}"], but each resourceConfigurationArn may ` +
                            `appear once. Remove the duplicates.`,
                    },
                    {
                        propertyPath: "resources",
                        reason:
                            `ResourceEndpoints argument 'resources' is ["Not A Host","${resourceArgs.resources[0].domainName}",` +
                            `"${resourceArgs.resources[0].domainName}"], but each domainName may appear once. Remove the ` +
                            `duplicates.`,
                    },
                ],
            },
        },
    ];
    for (const c of resourceCases) {
        it(`ResourceEndpoints rejects ${c.name}`, () => {
            assert.deepStrictEqual(
                reasons(() => new ResourceEndpoints("r", { ...resourceArgs, ...c.args })),
                { message: summary("ResourceEndpoints r", c.expected.errors), errors: c.expected.errors },
            );
        });
    }

    it("registers no child when the inputs are invalid", async () => {
        reasons(() => new InterfaceEndpoint("e", { ...endpointArgs, ports: [] }));
        reasons(() => new ProxyDns("d", { ...dnsArgs, hostnames: [] }));
        reasons(() => new ResourceEndpoints("r", { ...resourceArgs, resources: [] }));
        // Let every registration the constructors started reach the mock monitor before looking.
        const settings = await import("@pulumi/pulumi/runtime/settings");
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        assert.deepStrictEqual(
            registered.filter((t) => t.startsWith("aws:")),
            [],
        );
    });
});
