// policy-pack/lib/load-balancers.ts in-process: which load balancer a listener belongs to and which target groups it
// forwards to, through the engine's property dependencies, by ARN, and by the stack's only load balancer.
import * as assert from "node:assert/strict";
import type { PolicyResource } from "@pulumi/policy";
import {
    databaseTargetGroupOf,
    loadBalancerOf,
    TARGET_GROUP_TYPES,
    targetGroupsOf,
} from "../../policy-pack/lib/load-balancers";

function resource(
    name: string,
    props: Record<string, unknown>,
    propertyDependencies: Record<string, PolicyResource[]> = {},
): PolicyResource {
    return { name, props, propertyDependencies } as unknown as PolicyResource;
}

const names = (rs: readonly PolicyResource[]): string[] => rs.map((r) => r.name);

describe("policy lib load balancers: target group types", () => {
    it("are the lb and alb tokens", () => {
        assert.deepEqual(TARGET_GROUP_TYPES, [
            "aws:lb/targetGroup:TargetGroup",
            "aws:alb/targetGroup:TargetGroup",
        ]);
    });
});

describe("policy lib load balancers: loadBalancerOf", () => {
    const a = resource("a", { arn: "arn:a" });
    const b = resource("b", { arn: "arn:b" });
    it("follows the dependency of loadBalancerArn, even when the ARN names another", () => {
        assert.equal(
            loadBalancerOf(resource("l", { loadBalancerArn: "arn:a" }, { loadBalancerArn: [b] }), [a, b]),
            b,
        );
    });
    it("finds nothing when the dependency is on a resource that is not a load balancer of the list", () => {
        const other = resource("other", {});
        assert.equal(
            loadBalancerOf(resource("l", { loadBalancerArn: "arn:a" }, { loadBalancerArn: [other] }), [a]),
            undefined,
        );
    });
    it("falls back to the ARN when there is no dependency information", () => {
        assert.equal(
            loadBalancerOf(resource("l", { loadBalancerArn: "arn:b" }, { loadBalancerArn: [] }), [a, b]),
            b,
        );
        assert.equal(loadBalancerOf(resource("l", { loadBalancerArn: "arn:a" }), [a, b]), a);
    });
    it("takes the only load balancer when the ARN matches none", () => {
        assert.equal(loadBalancerOf(resource("l", { loadBalancerArn: "arn:x" }), [a]), a);
        assert.equal(loadBalancerOf(resource("l", {}), [b]), b);
    });
    it("finds nothing among several when the ARN matches none or is not a string", () => {
        assert.equal(loadBalancerOf(resource("l", { loadBalancerArn: "arn:x" }), [a, b]), undefined);
        const noArn = resource("n", {});
        assert.equal(loadBalancerOf(resource("l", {}), [noArn, resource("m", {})]), undefined);
        assert.equal(loadBalancerOf(resource("l", {}), []), undefined);
    });
});

describe("policy lib load balancers: targetGroupsOf and databaseTargetGroupOf", () => {
    const pg = resource("pg", { arn: "arn:pg", port: 5432 });
    const web = resource("web", { arn: "arn:web", port: 443 });
    const my = resource("my", { arn: "arn:my", port: 3306 });
    const noArn = resource("noarn", { port: 5432 });
    const all = [web, pg, my, noArn];
    it("follows the dependency of defaultActions", () => {
        const listener = resource(
            "l",
            { defaultActions: [{ targetGroupArn: "arn:web" }] },
            { defaultActions: [pg] },
        );
        assert.deepEqual(names(targetGroupsOf(listener, all)), ["pg"]);
    });
    it("falls back to ARNs when the dependencies name no target group", () => {
        const other = resource("other", {});
        const listener = resource(
            "l",
            { defaultActions: [{ targetGroupArn: "arn:web" }] },
            { defaultActions: [other] },
        );
        assert.deepEqual(names(targetGroupsOf(listener, all)), ["web"]);
    });
    it("reads targetGroupArn and forward.targetGroups[].arn of every action", () => {
        const listener = resource("l", {
            defaultActions: [
                { targetGroupArn: "arn:my" },
                { forward: { targetGroups: [{ arn: "arn:pg" }, { arn: 1 }, "arn:web", null] } },
                null,
                "arn:web",
                { targetGroupArn: 7, forward: "arn:web" },
            ],
        });
        assert.deepEqual(names(targetGroupsOf(listener, all)), ["pg", "my"]);
    });
    it("finds nothing without actions, and never a target group without an ARN", () => {
        assert.deepEqual(targetGroupsOf(resource("l", {}), all), []);
        assert.deepEqual(
            targetGroupsOf(resource("l", {}), [resource("odd", { arn: "Stryker was here" })]),
            [],
        );
        assert.deepEqual(targetGroupsOf(resource("l", { defaultActions: "arn:pg" }), all), []);
        assert.deepEqual(
            targetGroupsOf(resource("l", { defaultActions: [{ targetGroupArn: "arn:pg" }] }), [noArn]),
            [],
        );
    });
    it("picks the first forwarded target group on a watched port", () => {
        const listener = resource("l", {
            defaultActions: [
                { forward: { targetGroups: [{ arn: "arn:web" }, { arn: "arn:pg" }, { arn: "arn:my" }] } },
            ],
        });
        assert.equal(databaseTargetGroupOf(listener, all, [3306, 5432])?.name, "pg");
        assert.equal(databaseTargetGroupOf(listener, all, [3306])?.name, "my");
        assert.equal(databaseTargetGroupOf(listener, all, [443])?.name, "web");
        assert.equal(databaseTargetGroupOf(listener, all, [1433]), undefined);
        const textPort = resource("text", { arn: "arn:text", port: "5432" });
        const toText = resource("l", { defaultActions: [{ targetGroupArn: "arn:text" }] });
        assert.equal(databaseTargetGroupOf(toText, [textPort], [5432]), undefined);
    });
});
