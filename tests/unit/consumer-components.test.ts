/**
 * Input validation of the consumer components: every invalid input is reported at once, as an
 * InputPropertiesError with one exact reason per property, before any child resource is registered.
 * (The stack never passes such inputs; these guard the components for other callers.)
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { InterfaceEndpoint, InterfaceEndpointArgs } from "../../components/consumer/interface-endpoint";
import { ProxyDns, ProxyDnsArgs } from "../../components/consumer/proxy-dns";

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

    it("registers no child when the inputs are invalid", async () => {
        reasons(() => new InterfaceEndpoint("e", { ...endpointArgs, ports: [] }));
        reasons(() => new ProxyDns("d", { ...dnsArgs, hostnames: [] }));
        // Let every registration the constructors started reach the mock monitor before looking.
        const settings = await import("@pulumi/pulumi/runtime/settings");
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        assert.deepStrictEqual(
            registered.filter((t) => t.startsWith("aws:")),
            [],
        );
    });
});
