/**
 * Every policy document of the db-account stack, at the largest config each access mode accepts, within AWS's
 * size limits as AWS counts them (vocabulary/access/limits.ts): each role's inline policies together, each trust
 * policy, each KMS key policy, each secret policy, and the consumers' managed policy (the mode's application
 * policy for the contract's references). Then the refusal one consumer above each mode's limit, and the warning
 * of IAM's default roles-per-account quota.
 *
 * The consumers have the longest names and database users config accepts, and a role principal of the longest
 * name besides the account root. What these tests cannot prove: that IAM counts exactly as documented (the sizes
 * are measured on compact JSON, which counts white space inside strings and so errs on the safe side).
 */
import * as assert from "assert";
import { ROLE_NAME_SUFFIXES } from "../../components/access";
import { ConfigError } from "../../stacks/config/kit";
import { runStack, type StackRun } from "../../tools/recording/harness";
import { awsCalls, dbAccountState } from "../support/fixtures";
import {
    measureApplicationPolicies,
    measurePolicies,
    runWithLongestConsumers,
    type PolicyMeasure,
} from "../../tools/recording/policy-sizes";
import {
    ACCESS_KINDS,
    ACCESS_MODES,
    admittedPrincipals,
    longestCanaryRoleArn,
    POLICY_LIMITS,
    policySize,
    type AccessKind,
} from "../../vocabulary";

const run = runWithLongestConsumers;

describe("policySize", () => {
    it("counts IAM documents without the white space between tokens, and the white space inside strings", () => {
        const compact = '{"Version":"2012-10-17","Statement":[{"Sid":"A","Resource":"a b"}]}';
        const spaced = JSON.stringify(JSON.parse(compact), null, 4);
        assert.ok(spaced.length > compact.length);
        assert.strictEqual(policySize(spaced, POLICY_LIMITS.roleInlinePolicies), compact.length);
        assert.strictEqual(policySize(compact, POLICY_LIMITS.managedPolicy), compact.length);
    });

    it("counts a key policy in UTF-8 bytes, and a secret policy in characters, white space included", () => {
        const doc = '{ "Sid": "é" }';
        assert.strictEqual(policySize(doc, POLICY_LIMITS.kmsKeyPolicy), doc.length + 1);
        assert.strictEqual(policySize(doc, POLICY_LIMITS.secretPolicy), doc.length);
    });
});

for (const kind of ACCESS_KINDS) {
    const max = ACCESS_MODES[kind].maxConsumers.count;

    describe(`policy sizes in ${kind} mode, at ${max} consumers (the most it accepts)`, function () {
        this.timeout(900_000);
        let r: StackRun;
        let measures: PolicyMeasure[];
        before(async () => {
            r = await run(kind, max);
            if (r.error) throw r.error;
            measures = measurePolicies(r.resources);
        });

        it("keeps every role's inline policies, trust policy, key policy and secret policy within AWS's limits", async () => {
            assert.ok(measures.length > max, `measured ${measures.length} documents`);
            // The other database of the two the sizes are measured with (tools/recording/policy-sizes.ts): a new
            // cluster with a reader has the second sync role, whose inline policy is the largest in iam mode.
            const other = await run(kind, max, "new-cluster");
            if (other.error) throw other.error;
            measures = [...measures, ...measurePolicies(other.resources)];
            const over = measures.filter((m) => m.size > POLICY_LIMITS[m.kind].max);
            assert.deepStrictEqual(over, []);
            // The proxy's and the bootstrap's roles name no consumer: the same size as for one consumer would be
            // is asserted by their being far below the limit with the longest names.
            for (const role of ["db-account-proxy-role", "db-account-users-role"]) {
                const m = measures.find((x) => x.kind === "roleInlinePolicies" && x.resource === role);
                assert.ok(m && m.size < 2_000, `${role}: ${m?.size}`);
            }
        });

        it("warns of IAM's default roles per account when the mode's roles come near it, naming the quota", () => {
            const roles = ROLE_NAME_SUFFIXES[kind].length * max;
            const warned = r.warnings.filter((w) => w.includes('"Roles per account"'));
            if (roles === 0) {
                assert.deepStrictEqual(warned, []);
                return;
            }
            assert.deepStrictEqual(warned, [
                `This stack creates ${roles} IAM roles for its consumers (besides its own few), and AWS's default ` +
                    `quota "Roles per account" (AWS Identity and Access Management (IAM)) is 1000, counting those ` +
                    `the account already has: pulumi up fails where the quota applied is passed. Check it in the ` +
                    `Service Quotas console (AWS Identity and Access Management (IAM), "Roles per account") and ` +
                    `request an increase before pulumi up if it is too low.`,
            ]);
        });

        it("keeps the consumers' managed policy (the mode's application policy) within AWS's limit", () => {
            const managed = measureApplicationPolicies(r);
            assert.strictEqual(managed.length, max);
            assert.deepStrictEqual(
                managed.filter((m) => m.size > POLICY_LIMITS.managedPolicy.max),
                [],
            );
        });
    });

    describe(`consumers in ${kind} mode, one above its limit`, function () {
        this.timeout(300_000);
        it(`is refused, naming consumers and the limit of ${max}`, async () => {
            const r = await run(kind, max + 1);
            assert.ok(r.error instanceof ConfigError, String(r.error));
            const messages = (r.error as ConfigError).problems.map((p) => p.message);
            assert.deepStrictEqual(messages, [
                `Config 'rds-cross-account:consumers' lists ${max + 1} consumers, but applicationAuth "${kind}" ` +
                    `serves at most ${max}: ${ACCESS_MODES[kind].maxConsumers.reason}. List at most ${max} in ` +
                    `Pulumi.db-account.yaml, and serve the others from another db-account stack.`,
            ]);
            assert.deepStrictEqual(
                r.resources.filter((x) => x.type.startsWith("aws:")).map((x) => x.type),
                [],
            );
        });
    });
}

describe("one consumer's principals, at and just above what its mode's policies hold", function () {
    this.timeout(600_000);
    const account = "222222222222";
    /** `n` role principals of the longest name (64 characters), distinct. */
    const principals = (n: number) =>
        Array.from(
            { length: n },
            (_, j) => `arn:aws:iam::${account}:role/${"r".repeat(60)}${String(j).padStart(4, "0")}`,
        );
    /**
     * What the policies name for them: narrowed principals admit the consumer's canary role too, measured by config at
     * the longest ARN it can have (vocabulary/access/principals.ts).
     */
    const admitted = (n: number) => admittedPrincipals(principals(n), longestCanaryRoleArn(principals(n)));
    const config = (kind: AccessKind, n: number) => ({
        accountId: "111111111111",
        network: { cidrBlock: "10.20.0.0/16", azCount: 3 },
        applicationAuth: kind,
        consumers: [{ name: "app", accountId: account, principals: principals(n) }],
    });

    for (const kind of ACCESS_KINDS) {
        it(`${kind}: accepts the most that fit, measured on the plan, and refuses one more naming the policy`, async () => {
            const [policy] = ACCESS_MODES[kind].principalPolicies(principals(1));
            const limit = POLICY_LIMITS[policy.limit];
            // The first count whose document would not fit.
            let over = 1;
            while (
                policySize(ACCESS_MODES[kind].principalPolicies(admitted(over))[0].document, limit) <=
                limit.max
            )
                over++;

            const fits = await runStack({
                stack: "db-account",
                config: config(kind, over - 1),
                calls: awsCalls(),
                state: dbAccountState,
            });
            if (fits.error) throw fits.error;
            const measured = measurePolicies(fits.resources).filter(
                (m) => m.kind === policy.limit && m.resource.includes("-access-app"),
            );
            assert.strictEqual(measured.length, 1);
            assert.ok(
                measured[0].size <= limit.max && measured[0].size > limit.max - 120,
                `${measured[0].size}`,
            );
            // Every other document listing the principals (the key policy in password mode) fits too.
            assert.deepStrictEqual(
                measurePolicies(fits.resources).filter((m) => m.size > POLICY_LIMITS[m.kind].max),
                [],
            );

            const refused = await runStack({
                stack: "db-account",
                config: config(kind, over),
                calls: awsCalls(),
                state: dbAccountState,
            });
            assert.ok(refused.error instanceof ConfigError, String(refused.error));
            const size = policySize(ACCESS_MODES[kind].principalPolicies(admitted(over))[0].document, limit);
            assert.deepStrictEqual(
                (refused.error as ConfigError).problems.map((p) => p.message),
                [
                    `Config 'rds-cross-account:consumers[0].principals' lists ${over} principals, but ${policy.what} ` +
                        `would be ${size} characters, and AWS allows ${limit.max} (${limit.what}). List fewer ` +
                        `principals in Pulumi.db-account.yaml, or the account root alone (the default), which admits ` +
                        `the principals of that account that its own IAM policies allow.`,
                ],
            );
        });
    }
});
