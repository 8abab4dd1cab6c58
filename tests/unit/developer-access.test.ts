/**
 * Developer access through Session Manager (`developerAccess`) in the app-account stack, under mocks: absent when
 * off; when on, the instance's security-relevant inputs, its role, its groups and the Session Manager endpoints,
 * exactly, in a VPC the stack builds and in an existing one; the `developerAccess` output; config errors.
 *
 * What a mock test cannot prove: that the agent registers through the endpoints, that AWS evaluates the developer
 * policy as intended, or that a client verifies the proxy's certificate through the tunnel (docs/app-account.md
 * says what to check once in an account).
 */
import * as assert from "assert";
import { ConfigError } from "../../stacks/config/kit";
import { developerAccessOutput, localPortFor } from "../../stacks/app-account/developer-access";
import { architectureOf } from "../../components/consumer/developer-access";
import { awsCalls, dbAccountState, exampleConfig } from "../support/fixtures";
import { appAccountStateIn } from "../../tools/recording/computed-state";
import { ofType, providerName, runStack, single, type StackRun } from "../../tools/recording/harness";
import { fromV1, readOnlyPortOf, type ContractV1 } from "../../vocabulary";

const APP = "222222222222";
const INSTANCE_ARN = `arn:aws:ec2:eu-west-1:${APP}:instance/i-0d000000000000001`;
const D = "app-account-developer";
const PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const T = {
    component: "rds-cross-account:consumer:DeveloperAccess",
    instance: "aws:ec2/instance:Instance",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
};

let contract: Record<string, unknown>;
const consumer = exampleConfig("app-account");
const appState = appAccountStateIn("eu-west-1", APP);

before(async function () {
    this.timeout(60_000);
    const producerConfig = exampleConfig("db-account");
    const producer = await runStack({
        stack: "db-account",
        config: producerConfig.config,
        extraConfig: producerConfig.extra,
        calls: awsCalls(),
        state: dbAccountState,
    });
    if (producer.error) throw producer.error;
    contract = producer.outputs.contract as Record<string, unknown>;
});

function run(overrides: Record<string, unknown>): Promise<StackRun> {
    const config = { ...consumer.config, ...overrides };
    return runStack({
        stack: "app-account",
        config,
        extraConfig: consumer.extra,
        calls: awsCalls(),
        state: (type, name, inputs) =>
            type === T.instance ? { arn: INSTANCE_ARN } : appState(type, name, inputs),
        stackOutputs: { [String(config.producerStack)]: { contract } },
    });
}

function ok(result: StackRun): StackRun {
    if (result.error) throw result.error;
    return result;
}

const named = (result: StackRun, name: string) => {
    const found = result.resources.filter((r) => r.name === name);
    assert.strictEqual(found.length, 1, `expected one resource named ${name}`);
    return found[0];
};

/** [type, name] of the developer-access resources, sorted. */
const developerInventory = (result: StackRun) =>
    result.resources
        .filter((r) => r.name.startsWith(D))
        .map((r) => `${r.type} ${r.name}`)
        .sort();

describe("developer access (app-account)", function () {
    this.timeout(60_000);

    it("is absent by default: no instance, no endpoints, no image lookup, no output", async () => {
        const result = ok(await run({}));
        assert.deepStrictEqual(developerInventory(result), []);
        assert.strictEqual(ofType(result, T.instance).length, 0);
        assert.ok(!result.calls.some((c) => c.token === "aws:ssm/getParameter:getParameter"));
        assert.ok(!("developerAccess" in result.outputs));
        // The same with the key written out as off.
        const off = ok(await run({ developerAccess: { enabled: false, instanceType: "t3.small" } }));
        assert.deepStrictEqual(developerInventory(off), []);
    });

    describe("in a VPC the stack builds", () => {
        let result: StackRun;
        before(async () => {
            result = ok(await run({ developerAccess: { enabled: true } }));
        });

        it("creates the instance, its role, its group and the two Session Manager endpoints, nothing else", () => {
            assert.deepStrictEqual(
                developerInventory(result),
                [
                    `${T.component} ${D}`,
                    `${T.role} ${D}-role`,
                    `${T.attachment} ${D}-ssm-core`,
                    `${T.profile} ${D}-profile`,
                    `${T.sg} ${D}-sg`,
                    `${T.sg} ${D}-endpoints-sg`,
                    `${T.ingress} ${D}-endpoints-from-instance`,
                    `${T.egress} ${D}-instance-to-endpoints`,
                    `${T.vpce} ${D}-ssm`,
                    `${T.vpce} ${D}-ssmmessages`,
                    `${T.instance} ${D}-instance`,
                ].sort(),
            );
            for (const r of result.resources.filter((x) => x.name.startsWith(D) && x.custom)) {
                assert.strictEqual(providerName(r), "app-account-aws", r.name);
            }
        });

        it("is private, keyless, IMDSv2-only and encrypted, in the client group and its own", () => {
            const instance = single(result, T.instance);
            const subnet = named(result, "app-account-endpoint-vpce").inputs.subnetIds as string[];
            assert.deepStrictEqual(instance.inputs, {
                ami: instance.inputs.ami,
                instanceType: "t3.micro",
                subnetId: subnet[0],
                vpcSecurityGroupIds: ["app-account-endpoint-client-sg-id", `${D}-sg-id`],
                iamInstanceProfile: `${D}-profile`,
                associatePublicIpAddress: false,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                },
                rootBlockDevice: { encrypted: true, volumeType: "gp3" },
                tags: { Name: D },
            });
            assert.ok(String(instance.inputs.ami).startsWith("ami-"));
            assert.ok(!("keyName" in instance.inputs));
            const lookups = result.calls.filter((c) => c.token === "aws:ssm/getParameter:getParameter");
            assert.deepStrictEqual(
                lookups.map((c) => [c.inputs.name, providerName(c)]),
                [[PARAMETER, "app-account-aws"]],
            );
        });

        it("has AmazonSSMManagedInstanceCore only, trusted by EC2", () => {
            assert.deepStrictEqual(
                ofType(result, T.attachment).map((a) => a.inputs),
                [
                    {
                        role: `${D}-role`,
                        policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                    },
                ],
            );
            const role = named(result, `${D}-role`);
            assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ec2.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            });
            assert.ok(!("inlinePolicies" in role.inputs) && !("managedPolicyArns" in role.inputs));
        });

        it("admits nothing in; the endpoints admit HTTPS from the instance group only", () => {
            assert.ok(!("ingress" in named(result, `${D}-sg`).inputs));
            assert.deepStrictEqual(
                ofType(result, T.ingress)
                    .filter((r) => r.name.startsWith(D))
                    .map((r) => r.inputs),
                [
                    {
                        securityGroupId: `${D}-endpoints-sg-id`,
                        referencedSecurityGroupId: `${D}-sg-id`,
                        ipProtocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        description: "Session Manager endpoints from the instance group, HTTPS",
                    },
                ],
            );
            assert.deepStrictEqual(named(result, `${D}-instance-to-endpoints`).inputs, {
                securityGroupId: `${D}-sg-id`,
                referencedSecurityGroupId: `${D}-endpoints-sg-id`,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "Session Manager instance to the SSM endpoints, HTTPS",
            });
            const subnet = single(result, T.instance).inputs.subnetId;
            for (const service of ["ssm", "ssmmessages"]) {
                assert.deepStrictEqual(named(result, `${D}-${service}`).inputs, {
                    vpcId: "vpc-0f000000000000001",
                    serviceName: `com.amazonaws.eu-west-1.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: [subnet],
                    securityGroupIds: [`${D}-endpoints-sg-id`],
                    tags: { Name: `${D}-${service}` },
                });
            }
            assert.deepStrictEqual(result.warnings, []);
        });

        it("outputs the tunnel and verify-full client per endpoint, and the developer policy", () => {
            const out = result.outputs.developerAccess as Record<string, unknown>;
            const c = fromV1(contract as unknown as ContractV1);
            assert.deepStrictEqual(
                out,
                developerAccessOutput({
                    contract: c,
                    accountId: APP,
                    instanceId: `${D}-instance-id`,
                    instanceArn: INSTANCE_ARN,
                    securityGroupId: `${D}-sg-id`,
                    user: "app",
                    database: String(c.databaseName),
                    mysqlFlags: "--enable-cleartext-plugin ",
                }),
            );
            const writer = out.writer as unknown as Record<string, unknown>;
            assert.strictEqual(
                writer.startSession,
                `aws ssm start-session --region eu-west-1 --target ${D}-instance-id ` +
                    `--document-name AWS-StartPortForwardingSessionToRemoteHost ` +
                    `--parameters host=${c.proxyEndpoint},portNumber=5432,localPortNumber=15432`,
            );
            assert.strictEqual(
                writer.libpq,
                `host=${c.proxyEndpoint} hostaddr=127.0.0.1 port=15432 dbname=${c.databaseName} user=app ` +
                    `sslmode=verify-full sslrootcert=AmazonRootCA1.pem`,
            );
            const reader = out.readOnly as unknown as Record<string, unknown>;
            assert.strictEqual(
                reader.startSession,
                `aws ssm start-session --region eu-west-1 --target ${D}-instance-id ` +
                    `--document-name AWS-StartPortForwardingSessionToRemoteHost ` +
                    `--parameters host=${c.readOnlyEndpoint},portNumber=${readOnlyPortOf(c)},` +
                    `localPortNumber=${localPortFor(readOnlyPortOf(c) as number)}`,
            );
            assert.deepStrictEqual(out.developerPolicy, {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "PortForwardingOnTheDeveloperInstanceOnly",
                        Effect: "Allow",
                        Action: "ssm:StartSession",
                        Resource: [
                            INSTANCE_ARN,
                            "arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSessionToRemoteHost",
                        ],
                        Condition: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
                    },
                    {
                        Sid: "EndOwnSessions",
                        Effect: "Allow",
                        Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
                        Resource: [
                            `arn:aws:ssm:eu-west-1:${APP}:session/\${aws:username}-*`,
                            `arn:aws:ssm:eu-west-1:${APP}:session/\${aws:userid}-*`,
                        ],
                    },
                ],
            });
        });
    });

    it("in an existing VPC: no endpoints, HTTPS out from its own group, and a warning naming what it must reach", async () => {
        const vpcId = "vpc-0a000000000000001";
        const result = ok(
            await run({
                network: { vpcId, subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"] },
                developerAccess: { enabled: true, instanceType: "t4g.nano" },
            }),
        );
        assert.strictEqual(ofType(result, T.vpce).filter((r) => r.name.startsWith(D)).length, 0);
        assert.deepStrictEqual(named(result, `${D}-instance-to-ssm`).inputs, {
            securityGroupId: `${D}-sg-id`,
            cidrIpv4: "0.0.0.0/0",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "Session Manager instance to Systems Manager, HTTPS",
        });
        const instance = single(result, T.instance);
        assert.strictEqual(instance.inputs.instanceType, "t4g.nano");
        assert.deepStrictEqual(
            result.calls
                .filter((c) => c.token === "aws:ssm/getParameter:getParameter")
                .map((c) => c.inputs.name),
            ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"],
        );
        assert.deepStrictEqual(
            result.warnings.filter((w) => w.includes("developer-access")),
            [
                `The developer-access instance in ${vpcId} registers with Systems Manager over HTTPS at ` +
                    `ssm.eu-west-1.amazonaws.com and ssmmessages.eu-west-1.amazonaws.com: the VPC needs interface ` +
                    `endpoints to com.amazonaws.eu-west-1.ssm and com.amazonaws.eu-west-1.ssmmessages with private ` +
                    `DNS that admit HTTPS from its security group (output developerAccess.securityGroupId), or a ` +
                    `route out. This stack creates those endpoints only in a VPC it builds.`,
            ],
        );
    });

    it("reports every bad developerAccess value at once, naming key, value, what is allowed and the fix", async () => {
        const result = await run({
            developerAccess: { enabled: "yes", instanceType: "m5.24xlarge", ssh: true },
        });
        assert.ok(result.error instanceof ConfigError, String(result.error));
        assert.deepStrictEqual(
            result.error.problems.map((p) => p.message),
            [
                `Config 'rds-cross-account:developerAccess.enabled' is "yes", but it must be true or false. ` +
                    `Set 'developerAccess.enabled' in Pulumi.app-account.yaml to such a value, for example true.`,
                `Config 'rds-cross-account:developerAccess.instanceType' is "m5.24xlarge", but it must be an EC2 ` +
                    `instance type of size nano, micro, small, medium, large (family.size, lower case). Set ` +
                    `'developerAccess.instanceType' in Pulumi.app-account.yaml to such a value, for example "t3.micro".`,
                `Config 'rds-cross-account:developerAccess.ssh' is true, but it is not a key of 'developerAccess'; ` +
                    `allowed keys are enabled, instanceType. Remove it or fix the spelling in Pulumi.app-account.yaml.`,
            ],
        );
        assert.deepStrictEqual(developerInventory(result), []);
    });
});

describe("developer access: pure parts", () => {
    it("tells Graviton instance types from x86_64 ones", () => {
        const table: [string, "arm64" | "x86_64"][] = [
            ["t3.micro", "x86_64"],
            ["t3a.nano", "x86_64"],
            ["t4g.nano", "arm64"],
            ["m7g.medium", "arm64"],
            ["c6gn.large", "arm64"],
            ["r8gd.large", "arm64"],
            ["a1.medium", "arm64"],
            ["g4dn.large", "x86_64"],
            ["m7i-flex.large", "x86_64"],
        ];
        assert.deepStrictEqual(
            table.map(([type]) => [type, architectureOf(type)]),
            table,
        );
    });

    it("gives MySQL engines an /etc/hosts line and a VERIFY_IDENTITY command instead of libpq", () => {
        const out = developerAccessOutput({
            contract: fromV1({
                version: 1,
                region: "eu-west-1",
                engine: "aurora-mysql",
                port: 3306,
                endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
                availabilityZoneIds: ["euw1-az1"],
                proxyEndpoint: "p.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
                tls: { sslmode: "verify-full" },
            }),
            accountId: APP,
            instanceId: "i-0d000000000000001",
            instanceArn: INSTANCE_ARN,
            securityGroupId: "sg-0d000000000000001",
            user: "orders",
            database: "app",
            mysqlFlags: "--enable-cleartext-plugin ",
        });
        assert.deepStrictEqual(out.writer, {
            host: "p.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
            port: 3306,
            localPort: 13306,
            startSession:
                "aws ssm start-session --region eu-west-1 --target i-0d000000000000001 --document-name " +
                "AWS-StartPortForwardingSessionToRemoteHost --parameters " +
                "host=p.proxy-c1a2b3.eu-west-1.rds.amazonaws.com,portNumber=3306,localPortNumber=13306",
            hostsLine: "127.0.0.1 p.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
            mysql:
                "mysql --host=p.proxy-c1a2b3.eu-west-1.rds.amazonaws.com --port=13306 --user=orders --password " +
                "--enable-cleartext-plugin --ssl-mode=VERIFY_IDENTITY --ssl-ca=AmazonRootCA1.pem app",
        });
        assert.ok(!("readOnly" in out));
        assert.strictEqual(localPortFor(60000), 60000);
    });
});
