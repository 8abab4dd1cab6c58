/**
 * AwsApiEndpoints' own checks of the endpoints it is told to reuse (`reuse`): every problem at once, as the SDK's
 * InputPropertiesError, before any child is registered. The graph it builds around reused endpoints is proven
 * through the stack, in tests/unit/db-account-api-endpoints.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { AwsApiEndpoints, type AwsApiEndpointsArgs } from "../../components/network";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

const args: AwsApiEndpointsArgs = {
    region: "eu-west-1",
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    services: ["secretsmanager", "dynamodb"],
};

/** Lets every registration a constructor started reach the mock monitor. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("AwsApiEndpoints reusing endpoints", () => {
    // Mocks are process-wide: set them for this suite, not at the root where other files' runs replace them.
    before(() =>
        pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                    return { id: `${a.name}-id`, state: a.inputs };
                },
                call: (a) => {
                    throw new Error(`unexpected invoke ${a.token}`);
                },
            },
            "rds-cross-account",
            "api-endpoints",
        ),
    );
    beforeEach(() => registered.splice(0));

    it("rejects malformed IDs and an endpoint of a service it was not asked for, registering no child", async () => {
        // Problems come in the order of AWS_API_SERVICES.
        let error: unknown;
        try {
            new AwsApiEndpoints("e1", {
                ...args,
                routeTableIds: ["rtb-1"],
                reuse: {
                    secretsmanager: { id: "vpce-xyz", securityGroupId: "sg-0123456789abcdef0" },
                    elasticloadbalancing: { id: "vpce-0123456789abcdef0", securityGroupId: "pl-0123abcd" },
                    dynamodb: { id: "vpce-0123456789abcdef0", prefixListId: "sg-0123abcd" },
                },
            });
        } catch (err) {
            error = err;
        }
        assert.ok(pulumi.InputPropertiesError.isInstance(error), String(error));
        assert.deepStrictEqual((error as pulumi.InputPropertiesError).errors, [
            {
                propertyPath: "reuse.elasticloadbalancing",
                reason: 'AwsApiEndpoints argument \'reuse.elasticloadbalancing\' is {"id":"vpce-0123456789abcdef0","securityGroupId":"pl-0123abcd"}, but "elasticloadbalancing" is not in services, so no endpoint of it is used. Add "elasticloadbalancing" to services, or leave it out of reuse.',
            },
            {
                propertyPath: "reuse.elasticloadbalancing.securityGroupId",
                reason: 'AwsApiEndpoints argument \'reuse.elasticloadbalancing.securityGroupId\' is "pl-0123abcd", but it must be a security group ID. Pass such a value, for example "sg-0123456789abcdef0".',
            },
            {
                propertyPath: "reuse.dynamodb.prefixListId",
                reason: 'AwsApiEndpoints argument \'reuse.dynamodb.prefixListId\' is "sg-0123abcd", but it must be a managed prefix list ID. Pass such a value, for example "pl-0123abcd".',
            },
            {
                propertyPath: "reuse.secretsmanager.id",
                reason: 'AwsApiEndpoints argument \'reuse.secretsmanager.id\' is "vpce-xyz", but it must be a VPC endpoint ID. Pass such a value, for example "vpce-0123456789abcdef0".',
            },
        ]);
        await settled();
        assert.deepStrictEqual(
            registered.filter((r) => !r.type.startsWith("rds-cross-account:")),
            [],
        );
    });

    it("needs no route tables for a reused gateway endpoint, which already has its routes", async () => {
        new AwsApiEndpoints("e2", {
            ...args,
            services: ["dynamodb"],
            reuse: { dynamodb: { id: "vpce-0123456789abcdef0", prefixListId: "pl-0123abcd" } },
        });
        await settled();
        assert.deepStrictEqual(
            registered.map((r) => [r.type, r.name]),
            [
                ["rds-cross-account:network:AwsApiEndpoints", "e2"],
                ["aws:ec2/securityGroup:SecurityGroup", "e2-clients-sg"],
                ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "e2-clients-to-dynamodb"],
            ],
        );
        assert.strictEqual(registered[2].inputs.prefixListId, "pl-0123abcd");
    });

    it("still needs them for a gateway endpoint it creates", () => {
        assert.throws(
            () => new AwsApiEndpoints("e3", { ...args, services: ["dynamodb"] }),
            (err: Error) =>
                pulumi.InputPropertiesError.isInstance(err) &&
                err.errors.map((e) => e.propertyPath).join() === "routeTableIds",
        );
    });
});
