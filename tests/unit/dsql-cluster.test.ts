/**
 * What the DSQL component's names and policies need of AWS's limits: the DSQL connect role's auto-name within IAM's
 * 64 characters for the longest stack and consumer names, and the cluster, connect and admin policies (one statement
 * and one ARN each, whatever the number of consumers) within IAM's inline role policy limit at the longest cluster
 * ARN; and the component's arguments checked before any child exists. The policies' exact content is tested with
 * the stack (tests/unit/db-account-dsql.test.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import {
    DsqlCluster,
    dsqlAdminPolicy,
    dsqlClusterPolicy,
    dsqlConnectPolicy,
    dsqlConnectRoleResourceName,
} from "../../components/dsql";
import { dsqlComponentName } from "../../stacks/config/db-account-dsql";
import { AUTONAME_SUFFIX_LENGTH, IAM_ROLE_NAME_MAX_LENGTH, MAX_STACK_NAME_LENGTH } from "../../stacks/names";
import { dsqlClusterArn, PARTITIONS, policySize, POLICY_LIMITS } from "../../vocabulary";

/** The consumer name rule's longest: a letter and 31 more (stacks/config/db-account-consumers.ts). */
const LONGEST_CONSUMER_NAME = 32;

describe("DSQL component limits", () => {
    it("auto-names the longest consumer's DSQL connect role within IAM's 64 characters", () => {
        const name = dsqlConnectRoleResourceName(
            dsqlComponentName("s".repeat(MAX_STACK_NAME_LENGTH)),
            "c".repeat(LONGEST_CONSUMER_NAME),
        );
        assert.strictEqual(name.length + AUTONAME_SUFFIX_LENGTH, 61);
        assert.ok(name.length + AUTONAME_SUFFIX_LENGTH <= IAM_ROLE_NAME_MAX_LENGTH);
    });

    it("keeps each DSQL policy within IAM's inline role policy limit at the longest cluster ARN", () => {
        const longestPartition = [...PARTITIONS].sort((a, b) => b.length - a.length)[0];
        // The ARN pattern allows regions of up to 20 characters ("ClusterSummary", vocabulary/dsql.ts).
        const arn = dsqlClusterArn(longestPartition, "a".repeat(20), "111111111111", "a".repeat(26));
        const limit = POLICY_LIMITS.roleInlinePolicies;
        for (const document of [dsqlConnectPolicy(arn), dsqlAdminPolicy(arn), dsqlClusterPolicy(arn)]) {
            const size = policySize(document, limit);
            assert.ok(size < 400 && size <= limit.max, `${size}: ${document}`);
        }
    });
});

describe("DsqlCluster arguments", () => {
    const registered: string[] = [];
    before(() =>
        pulumi.runtime.setMocks(
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
            "components",
        ),
    );

    it("refuses a consumer without principals and an account root as admin, at once, registering no child", async () => {
        let err: unknown;
        try {
            new DsqlCluster("d1", {
                consumers: [{ name: "orders", principals: [] }],
                adminPrincipals: ["arn:aws:iam::111111111111:root"],
            });
        } catch (e) {
            err = e;
        }
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        assert.deepStrictEqual(
            (err as pulumi.InputPropertiesError).errors?.map((e) => e.propertyPath),
            ["consumers", "adminPrincipals"],
        );
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepStrictEqual(
            registered.filter((t) => !t.startsWith("rds-cross-account:")),
            [],
        );
    });
});
