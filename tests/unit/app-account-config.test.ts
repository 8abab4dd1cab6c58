/**
 * Config validation of the app-account stack: every bad value gets one exact message naming the key, the
 * value, what is allowed and the fix; all problems are reported at once; nothing at all is registered.
 * What these tests cannot prove: how the Pulumi CLI stores values typed on its command line; the source
 * below stores them as the CLI stores YAML (objects as JSON, scalars as strings).
 */
import * as assert from "assert";
import { AppAccountConfig, readAppAccountConfig } from "../../stacks/config/app-account";
import { ConfigError } from "../../stacks/config/kit";
import { ConfigSource, Problems } from "../../stacks/config/read";
import { runStack } from "../../tools/recording/harness";

const F = "Pulumi.app-account.yaml";

const minimal: Record<string, unknown> = {
    role: "app-account",
    accountId: "222222222222",
    producerStack: "organization/rds-cross-account/db-account",
    network: { cidrBlock: "10.30.0.0/16" },
};

const existing = {
    vpcId: "vpc-0d000000000000001",
    subnetIds: ["subnet-0d000000000000001", "subnet-0d000000000000002"],
};

function source(values: Record<string, unknown>): ConfigSource {
    const stored: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        if (v !== undefined) stored[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return { get: (_ns, key) => stored[key], keys: () => Object.keys(stored) };
}

function read(values: Record<string, unknown>): { config?: AppAccountConfig; problems: string[] } {
    const problems = new Problems("app-account");
    const config = readAppAccountConfig(problems, source(values));
    try {
        problems.throwIfAny();
        return { config, problems: [] };
    } catch (err) {
        return { config, problems: (err as ConfigError).problems.map((p) => p.message) };
    }
}

describe("app-account config", () => {
    it("accepts the minimal config and fills every default", () => {
        assert.deepStrictEqual(read(minimal), {
            config: {
                accountId: "222222222222",
                assumeRoleArn: undefined,
                producerStack: "organization/rds-cross-account/db-account",
                network: { kind: "new", cidrBlock: "10.30.0.0/16", azCount: 3 },
                clientSecurityGroupIds: [],
                privateDns: true,
                developerAccess: { enabled: false, instanceType: "t3.micro" },
                alarms: { kind: "created-topic", emails: [] },
                canary: { enabled: true, schedule: "rate(5 minutes)" },
            },
            problems: [],
        });
    });

    it("accepts an existing VPC with client security groups and privateDns off (given as a string)", () => {
        assert.deepStrictEqual(
            read({
                ...minimal,
                assumeRoleArn: "arn:aws:iam::222222222222:role/deployer",
                network: existing,
                clientSecurityGroupIds: ["sg-0d000000000000001", "sg-0d000001"],
                privateDns: "false",
            }),
            {
                config: {
                    accountId: "222222222222",
                    assumeRoleArn: "arn:aws:iam::222222222222:role/deployer",
                    producerStack: "organization/rds-cross-account/db-account",
                    network: { kind: "existing", ...existing },
                    clientSecurityGroupIds: ["sg-0d000000000000001", "sg-0d000001"],
                    privateDns: false,
                    developerAccess: { enabled: false, instanceType: "t3.micro" },
                    alarms: { kind: "created-topic", emails: [] },
                    canary: { enabled: true, schedule: "rate(5 minutes)" },
                },
                problems: [],
            },
        );
    });

    const cases: { name: string; values: Record<string, unknown>; expected: string[] }[] = [
        {
            name: "apiEndpoints, which only the db-account stack reuses",
            values: {
                ...minimal,
                network: { ...existing, apiEndpoints: { secretsmanager: "vpce-0d000000000000001" } },
            },
            expected: [
                `Config 'rds-cross-account:network.apiEndpoints' is {"secretsmanager":"vpce-0d000000000000001"}, but ` +
                    "the app-account stack creates no AWS API endpoint in an existing VPC, so there is none to reuse " +
                    "(the applications' VPC needs its own route to the API they call, which the plan names). Remove " +
                    `'network.apiEndpoints' from ${F}.`,
            ],
        },
        {
            name: "accountId of 11 digits",
            values: { ...minimal, accountId: "22222222222" },
            expected: [
                `Config 'rds-cross-account:accountId' is "22222222222", but it must be a 12-digit AWS account ID. ` +
                    `Set 'accountId' in ${F} to such a value, for example "111111111111".`,
            ],
        },
        {
            name: "producerStack not set",
            values: { ...minimal, producerStack: undefined },
            expected: [
                `Config 'rds-cross-account:producerStack' is not set, but it must be the fully qualified name of the ` +
                    `db-account stack, <organization>/<project>/<stack>. Set 'producerStack' in ${F} to such a value, ` +
                    `for example "organization/rds-cross-account/db-account".`,
            ],
        },
        {
            name: "producerStack not fully qualified",
            values: { ...minimal, producerStack: "db-account" },
            expected: [
                `Config 'rds-cross-account:producerStack' is "db-account", but it must be the fully qualified name of ` +
                    `the db-account stack, <organization>/<project>/<stack>. Set 'producerStack' in ${F} to such a ` +
                    `value, for example "organization/rds-cross-account/db-account".`,
            ],
        },
        {
            name: "clientSecurityGroupIds with a malformed ID",
            values: { ...minimal, network: existing, clientSecurityGroupIds: ["sg-12"] },
            expected: [
                `Config 'rds-cross-account:clientSecurityGroupIds[0]' is "sg-12", but it must be a security group ID. ` +
                    `Set 'clientSecurityGroupIds[0]' in ${F} to such a value, for example "sg-0123456789abcdef0".`,
            ],
        },
        {
            name: "clientSecurityGroupIds with a duplicate",
            values: {
                ...minimal,
                network: existing,
                clientSecurityGroupIds: ["sg-0d000000000000001", "sg-0d000000000000001"],
            },
            expected: [
                `Config 'rds-cross-account:clientSecurityGroupIds[1]' is "sg-0d000000000000001", but that is ` +
                    `clientSecurityGroupIds[0] as well, and 'clientSecurityGroupIds' must be a list of distinct ` +
                    `security group IDs (an empty list makes the stack create a client security group). Remove one ` +
                    `of the two from ${F}.`,
            ],
        },
        {
            name: "clientSecurityGroupIds as a bare string",
            values: { ...minimal, network: existing, clientSecurityGroupIds: "sg-0d000000000000001" },
            expected: [
                `Config 'rds-cross-account:clientSecurityGroupIds' is "sg-0d000000000000001", but it must be a list ` +
                    `of distinct security group IDs (an empty list makes the stack create a client security group). ` +
                    `Set 'clientSecurityGroupIds' in ${F} to such a value, for example ["sg-0123456789abcdef0"].`,
            ],
        },
        {
            name: "clientSecurityGroupIds with a new VPC",
            values: { ...minimal, clientSecurityGroupIds: ["sg-0d000000000000001"] },
            expected: [
                `Config 'rds-cross-account:clientSecurityGroupIds' is ["sg-0d000000000000001"], but 'network' asks ` +
                    `for a new VPC, and security groups of a VPC that does not exist yet cannot be listed. Remove ` +
                    `clientSecurityGroupIds from ${F} and put the applications in the client security group the ` +
                    `stack creates (output clientSecurityGroupId), or set 'network' to an existing vpcId and subnetIds.`,
            ],
        },
        {
            name: "privateDns not a boolean",
            values: { ...minimal, privateDns: "yes" },
            expected: [
                `Config 'rds-cross-account:privateDns' is "yes", but it must be true or false. Set 'privateDns' in ` +
                    `${F} to such a value, for example true.`,
            ],
        },
        {
            name: "a misspelt key",
            values: { ...minimal, privateDNS: false },
            expected: [
                `Config 'rds-cross-account:privateDNS' is \"false\", but it is not a key of the app-account stack; allowed keys are ` +
                    `role, accountId, assumeRoleArn, producerStack, producerAccountId, network, clientSecurityGroupIds, privateDns, developerAccess, canary, alarms. ` +
                    `Remove it or fix the spelling in ${F}.`,
            ],
        },
        {
            name: "a db-account key in the app-account stack",
            values: { ...minimal, consumers: [] },
            expected: [
                `Config 'rds-cross-account:consumers' is \"[]\", but it is not a key of the app-account stack; allowed keys are ` +
                    `role, accountId, assumeRoleArn, producerStack, producerAccountId, network, clientSecurityGroupIds, privateDns, developerAccess, canary, alarms. ` +
                    `Remove it or fix the spelling in ${F}.`,
            ],
        },
        {
            name: "network not set",
            values: { ...minimal, network: undefined },
            expected: [
                `Config 'rds-cross-account:network' is not set, but it must be a map of keys (a YAML object). ` +
                    `Fix 'network' in ${F}.`,
            ],
        },
        {
            name: "deploy role in another account",
            values: { ...minimal, assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" },
            expected: [
                `Config 'rds-cross-account:assumeRoleArn' is "arn:aws:iam::111111111111:role/deployer", but that is a role ` +
                    `in account 111111111111, and the stack deploys into account 222222222222 ` +
                    `(rds-cross-account:accountId). Use a role in account 222222222222, or fix accountId in ${F}.`,
            ],
        },
        {
            name: "several problems, all reported at once",
            values: {
                ...minimal,
                accountId: 2222,
                producerStack: "org/db-account",
                network: { cidrBlock: "10.30.0.0/8", azCount: 7 },
                privateDns: 1,
            },
            expected: [
                `Config 'rds-cross-account:accountId' is "2222", but it must be a 12-digit AWS account ID. ` +
                    `Set 'accountId' in ${F} to such a value, for example "111111111111".`,
                `Config 'rds-cross-account:producerStack' is "org/db-account", but it must be the fully qualified ` +
                    `name of the db-account stack, <organization>/<project>/<stack>. Set 'producerStack' in ${F} to ` +
                    `such a value, for example "organization/rds-cross-account/db-account".`,
                `Config 'rds-cross-account:network.cidrBlock' is "10.30.0.0/8", but it must be an IPv4 network ` +
                    `address in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (RFC 1918 and RFC 6598), ` +
                    `with a prefix from /16 to /24, written canonically (host bits zero, no leading zeros). Set 'network.cidrBlock' in ${F} to such ` +
                    `a value, for example "10.20.0.0/16".`,
                `Config 'rds-cross-account:network.azCount' is 7, but it must be a whole number from 2 to 6. Set ` +
                    `'network.azCount' in ${F} to such a value, for example 3.`,
                `Config 'rds-cross-account:privateDns' is 1, but it must be true or false. Set 'privateDns' in ${F} ` +
                    `to such a value, for example true.`,
            ],
        },
    ];
    for (const c of cases) {
        it(`rejects: ${c.name}`, () => {
            const { config, problems } = read(c.values);
            assert.strictEqual(config, undefined);
            assert.deepStrictEqual(problems, c.expected);
        });
    }

    describe("through the stack", () => {
        for (const c of cases) {
            it(`registers nothing and makes no call: ${c.name}`, async () => {
                const run = await runStack({
                    stack: "app-account",
                    config: c.values,
                    calls: () => undefined,
                });
                assert.ok(
                    run.error instanceof ConfigError,
                    `expected a ConfigError, got ${String(run.error)}`,
                );
                assert.deepStrictEqual(
                    run.error.problems.map((p) => p.message),
                    c.expected,
                );
                assert.deepStrictEqual(run.resources, []);
                assert.deepStrictEqual(run.calls, []);
            });
        }

        it("reports a missing region together with the other problems", async () => {
            const run = await runStack({
                stack: "app-account",
                config: { ...minimal, privateDns: "no" },
                extraConfig: { "aws:region": "Ireland" },
                calls: () => undefined,
            });
            assert.ok(run.error instanceof ConfigError);
            assert.strictEqual(
                run.error.message,
                `The config of stack "app-account" has 2 problems; nothing was created:\n` +
                    `  - Config 'aws:region' is "Ireland", but it must be an AWS region code. Set it ` +
                    `with: pulumi config set aws:region eu-west-1 --stack app-account.\n` +
                    `  - Config 'rds-cross-account:privateDns' is "no", but it must be true or false. Set 'privateDns' ` +
                    `in ${F} to such a value, for example true.`,
            );
            assert.deepStrictEqual(run.resources, []);
        });
    });
});
