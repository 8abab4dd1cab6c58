/**
 * Messages for the config mistakes users make, each asserted exactly: both `network` forms at once; an account ID
 * that YAML read as a number (quoted back, with the leading zero it lost); the bad entry of a list named at its
 * index; a `role` that does not fit the stack.
 *
 * What these tests cannot prove: how the Pulumi CLI turns a stack file into config. The sources below hand the
 * readers what it hands the program (read from its source, not run here): a top-level key's text as written, and a
 * value inside a map or list as YAML 1.1 reads it (Go's yaml package: digits are a number, digits 0-7 after a
 * leading zero an octal one), passed as JSON.
 */
import * as assert from "assert";
import { parseRole, roleNamedBy } from "../../stacks";
import { readAppAccountConfig } from "../../stacks/config/app-account";
import { readDbAccountConfig } from "../../stacks/config/db-account";
import { ConfigError, unquotedTextsOf } from "../../stacks/config/kit";
import { ConfigSource, Problems } from "../../stacks/config/read";
import { runStack } from "../../tools/recording/harness";

const DB = "Pulumi.db-account.yaml";
const APP = "Pulumi.app-account.yaml";

const dbMinimal: Record<string, unknown> = {
    role: "db-account",
    accountId: "111111111111",
    network: { cidrBlock: "10.20.0.0/16" },
    consumers: [{ name: "app", accountId: "222222222222" }],
};

const appMinimal: Record<string, unknown> = {
    role: "app-account",
    accountId: "222222222222",
    producerStack: "organization/rds-cross-account/db-account",
    network: { cidrBlock: "10.30.0.0/16" },
};

/** Top-level values as the CLI passes them: strings as written, objects and lists as JSON. */
function source(values: Record<string, unknown>): ConfigSource {
    const stored: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        stored[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return {
        get: (ns, key) => (ns === "aws" ? (key === "region" ? "eu-west-1" : undefined) : stored[key]),
        keys: () => Object.keys(stored),
    };
}

function messagesOf(stack: "db-account" | "app-account", values: Record<string, unknown>): string[] {
    const problems = new Problems(stack);
    if (stack === "db-account") readDbAccountConfig(problems, source(values));
    else readAppAccountConfig(problems, source(values));
    try {
        problems.throwIfAny();
        return [];
    } catch (err) {
        return (err as ConfigError).problems.map((p) => p.message);
    }
}

const dbMessagesOf = (change: Record<string, unknown>) =>
    messagesOf("db-account", { ...dbMinimal, ...change });
const appMessagesOf = (change: Record<string, unknown>) =>
    messagesOf("app-account", { ...appMinimal, ...change });

const subnetA = "subnet-0a000000000000001";
const subnetB = "subnet-0a000000000000002";

describe("config messages for common mistakes", () => {
    describe("both network forms at once", () => {
        it("names the two forms as exclusive, the keys given of each, and how to keep one (app-account)", () => {
            const network = { cidrBlock: "10.30.0.0/16", azCount: 2, vpcId: "vpc-0a000000000000001" };
            assert.deepStrictEqual(appMessagesOf({ network }), [
                `Config 'rds-cross-account:network' is {"cidrBlock":"10.30.0.0/16","azCount":2,"vpcId":"vpc-0a000000000000001"}, ` +
                    `but it mixes the two forms of 'network', which are exclusive: a new VPC (cidrBlock, azCount), ` +
                    `of which it has cidrBlock and azCount; and an existing VPC (vpcId, subnetIds), of which it has ` +
                    `vpcId. Remove cidrBlock and azCount from 'network' in ${APP} to use the existing VPC, or ` +
                    `remove vpcId to create a new one.`,
            ]);
        });

        it("says the same in the db-account stack, for azCount with subnetIds", () => {
            const network = { azCount: 3, subnetIds: [subnetA, subnetB] };
            assert.deepStrictEqual(dbMessagesOf({ network }), [
                `Config 'rds-cross-account:network' is {"azCount":3,"subnetIds":["${subnetA}","${subnetB}"]}, but it ` +
                    `mixes the two forms of 'network', which are exclusive: a new VPC (cidrBlock, azCount), of which ` +
                    `it has azCount; and an existing VPC (vpcId, subnetIds), of which it has subnetIds. Remove ` +
                    `azCount from 'network' in ${DB} to use the existing VPC, or remove subnetIds to create a new one.`,
            ]);
        });

        it("still names a misspelt key of one form as not a key", () => {
            assert.deepStrictEqual(
                appMessagesOf({ network: { vpcId: "vpc-0a000000000000001", subnets: [] } }),
                [
                    `Config 'rds-cross-account:network.subnetIds' is not set, but it must be a list of at least two ` +
                        `distinct subnet IDs, in at least two AZs. Set 'network.subnetIds' in ${APP} to such a value, ` +
                        `for example ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"].`,
                    `Config 'rds-cross-account:network.subnets' is [], but it is not a key of 'network'; allowed keys ` +
                        `are cidrBlock and azCount (a new VPC), or vpcId and subnetIds (an existing VPC). Remove it or ` +
                        `fix the spelling in ${APP}.`,
                ],
            );
        });
    });

    describe("an account ID YAML read as a number", () => {
        const consumerAccount = (accountId: unknown) =>
            dbMessagesOf({ consumers: [{ name: "app", accountId }] });
        const path = "Config 'rds-cross-account:consumers[0].accountId'";
        const must = "it is a number, and it must be a 12-digit AWS account ID written as text";

        it("is told to quote it, when the number is the whole ID", () => {
            assert.deepStrictEqual(consumerAccount(222222222222), [
                `${path} is 222222222222, but ${must}. Write it in quotes in ${DB}, as "222222222222".`,
            ]);
        });

        it("keeps the leading zero YAML dropped (012345678901 unquoted arrives as 12345678901)", () => {
            assert.deepStrictEqual(consumerAccount(12345678901), [
                `${path} is 12345678901, but ${must}: unquoted, YAML reads 012345678901 as the number ` +
                    `12345678901, so the text as written is lost before this program sees it. Write it in quotes ` +
                    `in ${DB}, as "012345678901".`,
            ]);
        });

        it("gives back the digits of an ID YAML read as octal (011111111111 unquoted arrives as 1227133513)", () => {
            assert.strictEqual(parseInt("011111111111", 8), 1227133513);
            assert.deepStrictEqual(consumerAccount(1227133513), [
                `${path} is 1227133513, but ${must}: unquoted, YAML reads 011111111111 as an octal number, ` +
                    `1227133513, so the text as written is lost before this program sees it. Write it in quotes ` +
                    `in ${DB}, as "011111111111".`,
            ]);
        });

        it("names both texts when either could have been written", () => {
            assert.deepStrictEqual(consumerAccount(1234567890), [
                `${path} is 1234567890, but ${must}: unquoted, YAML reads 001234567890 as the number ` +
                    `1234567890, and 011145401322 as an octal number, 1234567890, so the text as written is lost ` +
                    `before this program sees it. Write it in quotes in ${DB}, as "001234567890" or ` +
                    `"011145401322", whichever you meant.`,
            ]);
        });

        it("keeps the plain message for a number that is no account ID with one or two zeros dropped", () => {
            assert.deepStrictEqual(consumerAccount(2222), [
                `${path} is 2222, but it must be a 12-digit AWS account ID. Set 'consumers[0].accountId' in ${DB} ` +
                    `to such a value, for example "222222222222".`,
            ]);
        });

        it("gives no quoting advice where any text would do (a database user of 7)", () => {
            assert.deepStrictEqual(
                dbMessagesOf({ consumers: [{ name: "app", accountId: "222222222222", databaseUser: 7 }] }),
                [
                    `Config 'rds-cross-account:consumers[0].databaseUser' is 7, but it must be a database user name (a ` +
                        `string). Set 'consumers[0].databaseUser' in ${DB} to such a value, for example "orders_app".`,
                ],
            );
        });

        it("accepts a top-level accountId with a leading zero: the CLI passes a top-level key's text as written", () => {
            assert.deepStrictEqual(dbMessagesOf({ accountId: "011111111111" }), []);
            assert.deepStrictEqual(appMessagesOf({ accountId: "012345678901" }), []);
        });

        it("lists the unquoted texts YAML reads as a number: decimal, with one or two zeros only before an 8 or 9, and octal", () => {
            const { decimal, octal } = unquotedTextsOf(83);
            assert.deepStrictEqual(decimal, ["83", "083", "0083"]);
            assert.deepStrictEqual(octal, ["0123", "00123"]);
            assert.deepStrictEqual(unquotedTextsOf(1), { decimal: ["1"], octal: ["01", "001"] });
            assert.deepStrictEqual(unquotedTextsOf(7).decimal, ["7"]);
            assert.deepStrictEqual(unquotedTextsOf(-1), { decimal: [], octal: [] });
            assert.deepStrictEqual(unquotedTextsOf(1.5), { decimal: [], octal: [] });
        });
    });

    describe("the bad entry of a list, named at its index", () => {
        it("names an invalid principal of the third consumer by both indexes", () => {
            const consumers = [
                { name: "a", accountId: "222222222222" },
                { name: "b", accountId: "333333333333" },
                {
                    name: "c",
                    accountId: "444444444444",
                    principals: ["arn:aws:iam::444444444444:role/app", "*"],
                },
            ];
            assert.deepStrictEqual(dbMessagesOf({ consumers }), [
                `Config 'rds-cross-account:consumers[2].principals[1]' is "*", but it must be an IAM ARN of an ` +
                    `account root, role or user (a known partition; names of 1-64 characters; never "*"). Set ` +
                    `'consumers[2].principals[1]' in ${DB} to such a value, for example ` +
                    `"arn:aws:iam::222222222222:role/app".`,
            ]);
        });

        it("names every bad subnet: an invalid one and a repeat of an earlier one", () => {
            const network = {
                vpcId: "vpc-0a000000000000001",
                subnetIds: [subnetA, "subnet-1", subnetB, subnetA],
            };
            assert.deepStrictEqual(appMessagesOf({ network }), [
                `Config 'rds-cross-account:network.subnetIds[1]' is "subnet-1", but it must be a subnet ID. Set ` +
                    `'network.subnetIds[1]' in ${APP} to such a value, for example "subnet-0123456789abcdef0".`,
                `Config 'rds-cross-account:network.subnetIds[3]' is "${subnetA}", but that is ` +
                    `network.subnetIds[0] as well, and 'network.subnetIds' must be a list of at least two distinct ` +
                    `subnet IDs, in at least two AZs. Remove one of the two from ${APP}.`,
            ]);
        });

        it("names the first subnet when it is the bad one", () => {
            const network = { vpcId: "vpc-0a000000000000001", subnetIds: ["subnet-x", subnetB] };
            assert.deepStrictEqual(dbMessagesOf({ network }), [
                `Config 'rds-cross-account:network.subnetIds[0]' is "subnet-x", but it must be a subnet ID. Set ` +
                    `'network.subnetIds[0]' in ${DB} to such a value, for example "subnet-0123456789abcdef0".`,
            ]);
        });

        it("names the entry of a list whose entries have no words of their own, pointing at the list's rule", () => {
            assert.deepStrictEqual(
                dbMessagesOf({ endpointService: { supportedRegions: ["eu-west-1", "Ireland"] } }),
                [
                    `Config 'rds-cross-account:endpointService.supportedRegions[1]' is "Ireland", but it is not a valid ` +
                        `entry of a list that must be a non-empty list of distinct AWS region codes. Fix ` +
                        `'endpointService.supportedRegions' in ${DB}.`,
                ],
            );
        });

        it("keeps one message for the whole list when it is too short or not a list", () => {
            assert.deepStrictEqual(appMessagesOf({ clientSecurityGroupIds: "sg-0d000000000000001" }), [
                `Config 'rds-cross-account:clientSecurityGroupIds' is "sg-0d000000000000001", but it must be a list ` +
                    `of distinct security group IDs (an empty list makes the stack create a client security group). ` +
                    `Set 'clientSecurityGroupIds' in ${APP} to such a value, for example ["sg-0123456789abcdef0"].`,
            ]);
            assert.deepStrictEqual(
                appMessagesOf({ network: { vpcId: "vpc-0a000000000000001", subnetIds: ["subnet-x"] } }),
                [
                    `Config 'rds-cross-account:network.subnetIds' is ["subnet-x"], but it must be a list of at ` +
                        `least two distinct subnet IDs, in at least two AZs. Set 'network.subnetIds' in ${APP} to such ` +
                        `a value, for example ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"].`,
                ],
            );
        });
    });

    describe("a role that does not fit the stack", () => {
        const halves =
            "the role decides which half of the program runs (db-account runs the database, its proxy and the " +
            "PrivateLink service; app-account runs an application account's endpoint and private DNS)";
        const cases: ReadonlyArray<{
            name: string;
            role: string | undefined;
            stack: string;
            expected?: string;
        }> = [
            { name: "db-account in a stack named db-account", role: "db-account", stack: "db-account" },
            { name: "app-account in a stack of any other name", role: "app-account", stack: "prod-billing" },
            {
                name: "app-account in a stack named for both",
                role: "app-account",
                stack: "app-account-of-db-account",
            },
            {
                name: "app-account in the stack named db-account",
                role: "app-account",
                stack: "db-account",
                expected:
                    `Config 'rds-cross-account:role' is "app-account", but the stack's name "db-account" says ` +
                    `"db-account": ${halves}, and this stack would run the app-account half. Set it with: pulumi ` +
                    `config set rds-cross-account:role db-account --stack db-account. Or, if this stack is meant to ` +
                    `run the app-account half, give it a name without "db-account" (pulumi stack rename).`,
            },
            {
                name: "db-account in a stack named app-account-eu",
                role: "db-account",
                stack: "app-account-eu",
                expected:
                    `Config 'rds-cross-account:role' is "db-account", but the stack's name "app-account-eu" says ` +
                    `"app-account": ${halves}, and this stack would run the db-account half. Set it with: pulumi ` +
                    `config set rds-cross-account:role app-account --stack app-account-eu. Or, if this stack is ` +
                    `meant to run the db-account half, give it a name without "app-account" (pulumi stack rename).`,
            },
            {
                name: "the typo db_account",
                role: "db_account",
                stack: "db-account",
                expected:
                    `Config 'rds-cross-account:role' is "db_account", but it must be one of "db-account", ` +
                    `"app-account": ${halves}; "db_account" reads as "db-account", and so does the stack's name ` +
                    `"db-account". Set it with: pulumi config set rds-cross-account:role db-account --stack db-account.`,
            },
            {
                name: "the typo AppAccount in a stack of another name",
                role: "AppAccount",
                stack: "prod",
                expected:
                    `Config 'rds-cross-account:role' is "AppAccount", but it must be one of "db-account", ` +
                    `"app-account": ${halves}; "AppAccount" reads as "app-account". Set it with: pulumi config set ` +
                    `rds-cross-account:role app-account --stack prod.`,
            },
            {
                name: "no role, in a stack whose name suggests one",
                role: undefined,
                stack: "orders-db",
                expected:
                    `Config 'rds-cross-account:role' is not set, but it must be one of "db-account", "app-account": ` +
                    `${halves}; the stack's name "orders-db" suggests "db-account". Set it with: pulumi config set ` +
                    `rds-cross-account:role db-account --stack orders-db.`,
            },
            {
                name: "an unknown role in a stack whose name suggests none",
                role: "producer-consumer",
                stack: "prod",
                expected:
                    `Config 'rds-cross-account:role' is "producer-consumer", but it must be one of "db-account", ` +
                    `"app-account": ${halves}. Set it with: pulumi config set rds-cross-account:role ` +
                    `<db-account or app-account> --stack prod.`,
            },
        ];
        for (const c of cases) {
            it(`${c.expected === undefined ? "accepts" : "refuses"} ${c.name}`, () => {
                const parsed = parseRole(c.role, c.stack);
                assert.deepStrictEqual(
                    "problem" in parsed ? parsed.problem.message : parsed.role,
                    c.expected ?? c.role,
                );
            });
        }

        it("reads role values and stack names loosely, and only when they point at one role", () => {
            const table: Record<string, string | undefined> = {
                "DB-Account": "db-account",
                dbaccount: "db-account",
                "prod-database": "db-account",
                "orders-consumer": "app-account",
                "app-db": undefined,
                prod: undefined,
            };
            for (const [text, role] of Object.entries(table))
                assert.strictEqual(roleNamedBy(text), role, text);
        });

        it("stops the stack named db-account run with the role app-account before anything is registered", async () => {
            const run = await runStack({
                stack: "app-account",
                stackName: "db-account",
                config: appMinimal,
                calls: () => undefined,
            });
            assert.ok(run.error instanceof ConfigError, `expected a ConfigError, got ${String(run.error)}`);
            assert.deepStrictEqual(
                run.error.problems.map((p) => p.path),
                ["rds-cross-account:role"],
            );
            assert.deepStrictEqual(run.resources, []);
            assert.deepStrictEqual(run.calls, []);
        });
    });
});
