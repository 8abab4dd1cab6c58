// policy-pack/lib/load-balancers.ts in-process: which load balancer a listener belongs to and which target groups it
// forwards to, through the engine's property dependencies and by ARN (never by guessing), and target-group
// attachments that override a target group's port.
import * as assert from "node:assert/strict";
import type { PolicyResource } from "@pulumi/policy";
import {
    CLASSIC_LOAD_BALANCER_TYPE,
    databaseTargetGroupOf,
    databaseTargetOf,
    loadBalancerOf,
    TARGET_GROUP_ATTACHMENT_TYPES,
    TARGET_GROUP_TYPES,
    targetGroupOfAttachment,
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
    it("finds nothing when the ARN matches none, also when the stack has a single load balancer", () => {
        assert.equal(loadBalancerOf(resource("l", { loadBalancerArn: "arn:x" }), [a]), undefined);
        assert.equal(loadBalancerOf(resource("l", {}), [b]), undefined);
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
        assert.equal(databaseTargetGroupOf(toText, [textPort], [5432]), textPort);
        assert.equal(databaseTargetGroupOf(toText, [textPort], [3306]), undefined);
    });
});

describe("policy lib load balancers: attachments and classic load balancers", () => {
    const pg = resource("pg", { arn: "arn:pg", port: 5432 });
    const web = resource("web", { arn: "arn:web", port: 443 });
    const lambda = resource("lambda", { arn: "arn:lambda" });
    it("names the attachment and classic load balancer tokens", () => {
        assert.deepEqual(TARGET_GROUP_ATTACHMENT_TYPES, [
            "aws:lb/targetGroupAttachment:TargetGroupAttachment",
            "aws:alb/targetGroupAttachment:TargetGroupAttachment",
        ]);
        assert.equal(CLASSIC_LOAD_BALANCER_TYPE, "aws:elb/loadBalancer:LoadBalancer");
    });
    it("links an attachment to its target group by dependency, else by ARN, never to another", () => {
        assert.equal(
            targetGroupOfAttachment(resource("t", { targetGroupArn: "arn:web" }, { targetGroupArn: [pg] }), [
                web,
                pg,
            ]),
            pg,
        );
        assert.equal(targetGroupOfAttachment(resource("t", { targetGroupArn: "arn:web" }), [pg, web]), web);
        assert.equal(targetGroupOfAttachment(resource("t", { targetGroupArn: "arn:x" }), [pg]), undefined);
        assert.equal(targetGroupOfAttachment(resource("t", { targetGroupArn: 7 }), [pg]), undefined);
    });
    it("finds a database port set by an attachment of a forwarded target group, as written", () => {
        const listener = resource("l", {
            defaultActions: [{ forward: { targetGroups: [{ arn: "arn:web" }, { arn: "arn:lambda" }] } }],
        });
        const onWeb = resource("a", { targetGroupArn: "arn:web", port: "5432" });
        const onOther = resource("b", { targetGroupArn: "arn:pg", port: 3306 });
        const harmless = resource("c", { targetGroupArn: "arn:lambda", port: 8080 });
        assert.deepEqual(databaseTargetOf(listener, [pg, web, lambda], [onOther, harmless, onWeb], [5432]), {
            targetGroup: web,
            port: "5432",
            attachment: onWeb,
        });
        assert.equal(
            databaseTargetOf(listener, [pg, web, lambda], [onOther, harmless], [3306, 5432]),
            undefined,
        );
        assert.equal(databaseTargetOf(listener, [pg, web, lambda], [onWeb], [3306]), undefined);
    });
    it("prefers the target group's own database port, and finds nothing without a forwarded target group", () => {
        const listener = resource("l", { defaultActions: [{ targetGroupArn: "arn:pg" }] });
        const attachment = resource("a", { targetGroupArn: "arn:pg", port: 3306 });
        assert.deepEqual(databaseTargetOf(listener, [pg], [attachment], [3306, 5432]), {
            targetGroup: pg,
            port: 5432,
        });
        assert.equal(databaseTargetOf(resource("l", {}), [pg], [attachment], [3306]), undefined);
    });
});
