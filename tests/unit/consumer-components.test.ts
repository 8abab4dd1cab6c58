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
        expected: { message: string; errors: { propertyPath: string; reason: string }[] };
    }[] = [
        {
            name: "no ports",
            args: { ports: [] },
            expected: {
                message: "InterfaceEndpoint has 1 invalid input.",
                errors: [
                    {
                        propertyPath: "ports",
                        reason: "ports is empty, but it must list at least one TCP port.",
                    },
                ],
            },
        },
        {
            name: "a port out of range and a duplicate, with duplicate groups",
            args: { ports: [0, 5432, 5432], clientSecurityGroupIds: ["sg-0d000001", "sg-0d000001"] },
            expected: {
                message: "InterfaceEndpoint has 3 invalid inputs.",
                errors: [
                    {
                        propertyPath: "ports[0]",
                        reason: "ports[0] is 0, but it must be a whole number from 1 to 65535.",
                    },
                    {
                        propertyPath: "ports",
                        reason: "ports is [0,5432,5432], but each port may appear once. Remove the duplicates.",
                    },
                    {
                        propertyPath: "clientSecurityGroupIds",
                        reason:
                            'clientSecurityGroupIds is ["sg-0d000001","sg-0d000001"], but each group may appear once. ' +
                            "Remove the duplicates.",
                    },
                ],
            },
        },
    ];
    for (const c of endpointCases) {
        it(`InterfaceEndpoint rejects ${c.name}`, () => {
            assert.deepStrictEqual(
                reasons(() => new InterfaceEndpoint("e", { ...endpointArgs, ...c.args })),
                c.expected,
            );
        });
    }

    const dnsCases: {
        name: string;
        args: Partial<ProxyDnsArgs>;
        expected: { message: string; errors: { propertyPath: string; reason: string }[] };
    }[] = [
        {
            name: "no hostnames",
            args: { hostnames: [] },
            expected: {
                message: "ProxyDns has 1 invalid input.",
                errors: [
                    {
                        propertyPath: "hostnames",
                        reason: "hostnames is empty, but it must list at least one hostname.",
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
                message: "ProxyDns has 4 invalid inputs.",
                errors: [
                    {
                        propertyPath: "hostnames[0].key",
                        reason:
                            'hostnames[0].key is "Writer", but it must be lowercase letters, digits and hyphens, ' +
                            "starting with a letter.",
                    },
                    {
                        propertyPath: "hostnames[0].hostname",
                        reason:
                            'hostnames[0].hostname is "Not A Host", but it must be a lowercase DNS hostname with at ' +
                            "least two labels.",
                    },
                    {
                        propertyPath: "hostnames",
                        reason: "hostnames has duplicate keys (Writer, reader, reader); each key may appear once.",
                    },
                    {
                        propertyPath: "hostnames",
                        reason:
                            "hostnames has duplicate hostnames (Not A Host, a.example.com, a.example.com); each " +
                            "hostname may appear once.",
                    },
                ],
            },
        },
    ];
    for (const c of dnsCases) {
        it(`ProxyDns rejects ${c.name}`, () => {
            assert.deepStrictEqual(
                reasons(() => new ProxyDns("d", { ...dnsArgs, ...c.args })),
                c.expected,
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
