/**
 * The test harness itself: what the stack tests rely on it to report. A harness that waits forever on an unknown
 * value, or drops a warning, would make the stack tests prove less than they say.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { appAccountStateIn, dbAccountStateIn } from "../../tools/recording/computed-state";
import { resolveDeep } from "../../tools/recording/harness";
import { NO_ACCOUNT_ID, placementOf } from "../../tools/recording/placeholders";
import { exampleConfig } from "../../tools/recording/stack-files";
import { exampleProducerFor } from "../../tools/recording/stacks";

describe("test harness", () => {
    before(() =>
        pulumi.runtime.setMocks(
            { newResource: () => ({ id: "x", state: {} }), call: () => ({}) },
            "p",
            "s",
            true,
        ),
    );

    it("resolves known Outputs deeply and unknown ones (as in a preview) to undefined, without waiting", async () => {
        const unknown = pulumi.output("x").apply(() => pulumi.unknown as unknown as string);
        // `isKnown` is internal to the SDK's Output; it is what the harness asks too.
        assert.strictEqual(await (unknown as unknown as { isKnown: Promise<boolean> }).isKnown, false);
        const resolved = await resolveDeep({
            known: pulumi.output([pulumi.output("a"), 2]),
            unknown,
            nested: { promise: Promise.resolve(pulumi.output("b")) },
        });
        assert.deepStrictEqual(resolved, { known: ["a", 2], unknown: undefined, nested: { promise: "b" } });
    });
});

describe("recorded placeholders", () => {
    it("are placed in the stack's account, region, partition and DNS suffix", () => {
        assert.deepStrictEqual(placementOf("333333333333", "cn-north-1"), {
            accountId: "333333333333",
            region: "cn-north-1",
            partition: "aws-cn",
            dnsSuffix: "amazonaws.com.cn",
        });
        assert.deepStrictEqual(placementOf("333333333333", "us-gov-west-1").partition, "aws-us-gov");
        // The program refuses such a config before it creates anything; the placeholder only keeps ARNs well-formed.
        assert.strictEqual(placementOf(333333333333, "us-west-2").accountId, NO_ACCOUNT_ID);
    });

    it("give the db-account stack's computed values in its partition", () => {
        const state = dbAccountStateIn("cn-north-1", "333333333333");
        assert.deepStrictEqual(state("aws:rds/proxy:Proxy", "p", {}), {
            name: "p-7c1d",
            endpoint: "p-7c1d.proxy-c1a2b3.cn-north-1.rds.amazonaws.com.cn",
            arn: "arn:aws-cn:rds:cn-north-1:333333333333:db-proxy:prx-0123456789abcdef0",
        });
        assert.deepStrictEqual(state("aws:iam/role:Role", "r", {}), {
            arn: "arn:aws-cn:iam::333333333333:role/r",
        });
    });

    it("give the app-account stack's computed values in its account and partition", () => {
        const state = appAccountStateIn("cn-north-1", "444444444444");
        assert.deepStrictEqual(state("aws:iam/policy:Policy", "p", {}), {
            arn: "arn:aws-cn:iam::444444444444:policy/p",
        });
        assert.strictEqual(
            (state("aws:ec2/vpcEndpoint:VpcEndpoint", "e", {}).dnsEntries as { dnsName: string }[])[0]
                .dnsName,
            "vpce-0a1b2c3d-abcdefgh.vpce-svc-0123456789abcdef0.cn-north-1.vpce.amazonaws.com.cn",
        );
    });
});

describe("the example producer of an app-account stack planned alone", () => {
    it("is the example unchanged for the example consumer", () => {
        const { given, changes } = exampleProducerFor(exampleConfig("app-account"));
        assert.deepStrictEqual(given, exampleConfig("db-account"));
        assert.deepStrictEqual(changes, []);
    });

    it("moves to the consumer's region and serves the consumer's account, saying so", () => {
        const app = exampleConfig("app-account");
        const { given, changes } = exampleProducerFor({
            config: { ...app.config, accountId: "444444444444" },
            extra: { ...app.extra, "aws:region": "cn-north-1" },
        });
        assert.strictEqual(given.extra["aws:region"], "cn-north-1");
        assert.deepStrictEqual(given.config.consumers, [
            { name: "app", accountId: "444444444444", principals: ["arn:aws-cn:iam::444444444444:root"] },
        ]);
        assert.deepStrictEqual(changes, [
            "placed in cn-north-1 (aws:region)",
            "with account 444444444444 as its only consumer (consumers)",
        ]);
    });
});
