/**
 * The sync's IAM policies against moto with IAM enforcement on (DESIGN.md §6, "IAM" row): the scheduled Lambda's
 * handler runs with credentials holding exactly the policy `syncPolicy` generates (the same document, with this
 * test's ARNs), and the dynamic provider, serialized as Pulumi ships it, runs with exactly the deployer policy
 * documented in docs/target-sync.md. Each is shown sufficient (a full sync that registers, keeps a missing address
 * and then deregisters it succeeds), and each statement, and each action of it, needed: without it the run fails
 * with AccessDenied for that action.
 *
 * What moto checks: the action of every request (after the administrator's setup) against the Action elements of
 * the caller's policies, with explicit Deny; and, through tools/local/moto_server.py, the resource of the
 * resource-level actions the sync makes (RegisterTargets, DeregisterTargets, AddTags, RemoveTags: the target
 * group; GetItem, PutItem: the table). It does not evaluate conditions, permission boundaries, SCPs, session or
 * resource-based policies (see docs/target-sync.md, "What the IAM tests prove").
 *
 * Statements the handler cannot exercise here (the Lambda service's own calls) are proven by what can be:
 * - `Logs` (logs:CreateLogStream, PutLogEvents) is used by the Lambda runtime to ship the function's output, never
 *   by the handler's code;
 * - `RunInsideVpc` (dns source) is used by the Lambda service to attach the function to the VPC; the handler
 *   itself makes no EC2 call in dns mode.
 * For both, the test shows that removing them does not change the run and that the handler, with every API call
 * recorded by the project's call observer, never makes a call outside the policy's actions.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ENV, runScheduledSync } from "../../components/target-sync/handler";
import { syncPolicy } from "../../components/target-sync/policy";
import {
    targetRegistrationProvider,
    type TargetRegistrationInputs,
    type TargetRegistrationOutputs,
} from "../../components/target-sync/provider";
import type { IpSource } from "../../components/target-sync/sources";
import type { DnsServer } from "../../tools/local/dns-server";
import type { AccessKey, Moto } from "../../tools/local/moto";
import {
    addProxyEni,
    attachLoadBalancer,
    createNetwork,
    createStateTable,
    createTargetGroup,
    deleteEni,
    fixtureClients,
    ipOf,
    REGION,
    registeredIps,
    type Network,
} from "../../tools/local/sync-fixtures";
import { useMoto } from "../support/moto";

type Provider = Required<pulumi.dynamic.ResourceProvider>;

interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string | string[];
    readonly Resource: string | string[];
}
interface PolicyDocument {
    readonly Version: string;
    readonly Statement: Statement[];
}

const DOCS = path.resolve(__dirname, "..", "..", "docs", "target-sync.md");

/** Statements of the Lambda's policy used only by the Lambda service, never by the handler's code (see above). */
const LAMBDA_SERVICE_STATEMENTS: Record<string, string> = {
    Logs: "the Lambda runtime ships the function's output to CloudWatch Logs with it; the handler never calls Logs",
    RunInsideVpc:
        "the Lambda service creates and deletes the function's VPC interfaces with it; the handler makes no EC2 call in dns mode",
};

/** The IAM service prefix of each client the sync creates (`createClients`). */
const IAM_PREFIX: Record<string, string> = {
    ec2: "ec2",
    elbv2: "elasticloadbalancing",
    dynamodb: "dynamodb",
};

function actionsOf(statement: Statement): string[] {
    return typeof statement.Action === "string" ? [statement.Action] : statement.Action;
}

function allActions(policy: PolicyDocument): Set<string> {
    return new Set(policy.Statement.flatMap(actionsOf));
}

/** The policy without one statement. */
function without(policy: PolicyDocument, sid: string): PolicyDocument {
    return { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== sid) };
}

/** The policy without one action (a statement left with none is dropped). */
function withoutAction(policy: PolicyDocument, action: string): PolicyDocument {
    return {
        ...policy,
        Statement: policy.Statement.map((s) => ({
            ...s,
            Action: actionsOf(s).filter((a) => a !== action),
        })).filter((s) => s.Action.length > 0),
    };
}

/** The action moto denied, when `err` is an AccessDenied answer (ELBv2, EC2: AccessDenied; DynamoDB: ...Exception). */
function deniedAction(err: unknown): string | undefined {
    const e = err as { name?: string; message?: string };
    if (e?.name !== "AccessDenied" && e?.name !== "AccessDeniedException") {
        return undefined;
    }
    return /is not authorized to perform: (\S+)/.exec(e.message ?? "")?.[1];
}

/** The deployer policy for the dynamic resource, as documented (the JSON block naming `<targetGroupArn>`). */
function documentedDeployerPolicy(): PolicyDocument {
    const text = fs.readFileSync(DOCS, "utf8");
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
    const found = blocks.filter((b) => b.includes("<targetGroupArn>") && b.includes('"Statement"'));
    assert.equal(
        found.length,
        1,
        "docs/target-sync.md has exactly one JSON deployer policy naming <targetGroupArn>",
    );
    return JSON.parse(found[0]) as PolicyDocument;
}

/** The documented deployer policy for one source and this test's ARNs. */
function deployerPolicy(source: IpSource, targetGroupArn: string, tableArn: string): PolicyDocument {
    const doc = JSON.parse(
        JSON.stringify(documentedDeployerPolicy())
            .replaceAll("<targetGroupArn>", targetGroupArn)
            .replaceAll("<stateTableArn>", tableArn),
    ) as PolicyDocument;
    // The dns source never looks at the proxy's interfaces: the documented policy says to drop the statement.
    return source === "dns" ? without(doc, "FindProxyInterfaces") : doc;
}

describe("target-sync IAM policies, under moto's IAM enforcement", function () {
    this.timeout(600_000);
    // Fixture clients are created with the administrator's key (the environment's), which they keep.
    const servers = useMoto({ iam: true });
    let moto: Moto;
    let dns: DnsServer;
    let fx: ReturnType<typeof fixtureClients>;
    let provider: Provider;
    let identities = 0;

    before(async () => {
        ({ moto, dns, fx } = servers());
        const sf = await pulumi.runtime.serializeFunction(() => targetRegistrationProvider, {
            allowSecrets: true,
        });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const requireFromString = require("require-from-string") as (code: string) => { handler(): Provider };
        provider = requireFromString(sf.text).handler();
    });

    function iam() {
        assert.ok(moto.iam, "moto runs with IAM enforcement");
        return moto.iam;
    }

    /** A new IAM user holding exactly `policy`. */
    async function identity(policy: PolicyDocument): Promise<AccessKey> {
        identities += 1;
        return iam().createIdentity(`target-sync-${identities}`, policy);
    }

    /** Runs `fn` with `key` as the environment's credentials (what the Lambda and `pulumi up` read). */
    async function as<T>(key: AccessKey, fn: () => Promise<T>): Promise<T> {
        const admin = iam().admin;
        process.env.AWS_ACCESS_KEY_ID = key.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = key.secretAccessKey;
        try {
            return await fn();
        } finally {
            process.env.AWS_ACCESS_KEY_ID = admin.accessKeyId;
            process.env.AWS_SECRET_ACCESS_KEY = admin.secretAccessKey;
        }
    }

    interface World {
        readonly source: IpSource;
        readonly net: Network;
        readonly enis: string[];
        readonly tg: string;
        readonly table: string;
        readonly tableArn: string;
        readonly host: string;
    }

    /**
     * A proxy with two addresses, an empty target group behind an internal network load balancer (so every run reads
     * the load balancer too) and a state table (made by the administrator).
     */
    async function world(source: IpSource): Promise<World> {
        const net = await createNetwork(fx.ec2);
        const enis = [
            await addProxyEni(fx.ec2, net, "app", ipOf(net, 0)),
            await addProxyEni(fx.ec2, net, "app", ipOf(net, 1)),
        ];
        const table = await createStateTable(fx.dynamodb);
        const host = `${table}.proxy-abc123.${REGION}.rds.amazonaws.com`;
        dns.set(host, { ips: [ipOf(net, 0), ipOf(net, 1)] });
        const tg = await createTargetGroup(fx.elbv2, net.vpcId);
        await attachLoadBalancer(fx.elbv2, net, tg);
        return {
            source,
            net,
            enis,
            tg,
            table,
            tableArn: `arn:aws:dynamodb:${REGION}:${iam().accountId}:table/${table}`,
            host,
        };
    }

    /** The proxy loses its first address (its interface is deleted, its name stops resolving to it). */
    async function loseFirstAddress(w: World): Promise<void> {
        await deleteEni(fx.ec2, w.enis[0]);
        dns.set(w.host, { ips: [ipOf(w.net, 1)] });
    }

    describe("the scheduled Lambda's policy (syncPolicy)", () => {
        function lambdaPolicy(w: World): PolicyDocument {
            const logGroupArn = `arn:aws:logs:${REGION}:${iam().accountId}:log-group:/aws/lambda/target-sync`;
            return syncPolicy(w.source, w.tg, w.tableArn, logGroupArn) as PolicyDocument;
        }

        function lambdaEnv(w: World): Record<string, string> {
            const env: Record<string, string> = {
                AWS_REGION: REGION,
                [ENV.targetGroupArn]: w.tg,
                [ENV.proxyName]: "app",
                [ENV.vpcId]: w.net.vpcId,
                [ENV.proxySubnetIds]: w.net.subnetId,
                [ENV.proxySubnetCidrs]: w.net.subnetCidr,
                [ENV.source]: w.source,
                [ENV.port]: "5432",
                [ENV.missesBeforeDeregister]: "2",
                [ENV.stateTableName]: w.table,
            };
            if (w.source === "eni") {
                env[ENV.proxySecurityGroupIds] = w.net.securityGroupId;
            } else {
                env[ENV.proxyEndpoint] = w.host;
                env[ENV.dnsServer] = dns.address;
            }
            return env;
        }

        /**
         * Three scheduled runs as `key`: the first registers both addresses, the second keeps the lost one (one
         * miss, saved), the third deregisters it. Returns the IAM actions of every API call, in order.
         */
        async function scheduledRuns(w: World, key: AccessKey): Promise<string[]> {
            const calls: string[] = [];
            const observe = (service: string, command: string) =>
                calls.push(`${IAM_PREFIX[service] ?? service}:${command.replace(/Command$/, "")}`);
            const run = () => as(key, () => runScheduledSync(lambdaEnv(w), () => undefined, observe));
            const first = await run();
            assert.deepEqual(first.registered, [ipOf(w.net, 0), ipOf(w.net, 1)]);
            await loseFirstAddress(w);
            const second = await run();
            assert.deepEqual(second.kept, [{ ip: ipOf(w.net, 0), misses: 1 }]);
            const third = await run();
            assert.deepEqual(third.deregistered, [{ ip: ipOf(w.net, 0), reason: "missed" }]);
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), [ipOf(w.net, 1)]);
            return calls;
        }

        /** Runs the three runs under `policy` and returns the action denied (fails when none is). */
        async function denied(
            w: World,
            policy: PolicyDocument,
            removed: string,
        ): Promise<{ action: string; error: Error }> {
            const key = await identity(policy);
            try {
                await scheduledRuns(w, key);
            } catch (err) {
                const action = deniedAction(err);
                if (action) return { action, error: err as Error };
                throw err;
            }
            assert.fail(`without ${removed}, the runs succeeded: no AccessDenied`);
        }

        for (const source of ["eni", "dns"] as const) {
            describe(`${source} source`, () => {
                it("the exact generated policy is sufficient: register, keep a missing address, deregister", async () => {
                    const w = await world(source);
                    const policy = lambdaPolicy(w);
                    const calls = await scheduledRuns(w, await identity(policy));
                    // Every call the handler makes is one of the policy's actions (moto allowed them all; this
                    // also names them, independently of moto's evaluation).
                    const allowed = allActions(policy);
                    assert.deepEqual(
                        calls.filter((c) => !allowed.has(c)),
                        [],
                        "the handler made calls outside the policy",
                    );
                    const used = new Set(calls);
                    const expected = [
                        "elasticloadbalancing:DescribeTargetGroups",
                        "elasticloadbalancing:DescribeLoadBalancers",
                        "elasticloadbalancing:DescribeTargetHealth",
                        "elasticloadbalancing:RegisterTargets",
                        "elasticloadbalancing:DeregisterTargets",
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        ...(source === "eni" ? ["ec2:DescribeNetworkInterfaces"] : []),
                    ];
                    assert.deepEqual([...used].sort(), expected.sort());
                    // The Lambda service's statements are never used by the handler.
                    for (const sid of Object.keys(LAMBDA_SERVICE_STATEMENTS)) {
                        const statement = policy.Statement.find((s) => s.Sid === sid);
                        if (!statement || (sid === "RunInsideVpc" && source === "eni")) continue;
                        for (const action of actionsOf(statement)) {
                            assert.equal(used.has(action), false, `${sid}: ${action} is not the handler's`);
                        }
                    }
                });

                it("the policy allows no other target group and no other table", async () => {
                    const w = await world(source);
                    const other = await world(source);
                    const key = await identity(lambdaPolicy(w));
                    // The same identity pointed at another sync's target group (its state table is its own).
                    await assert.rejects(
                        as(key, () =>
                            runScheduledSync(
                                { ...lambdaEnv(other), [ENV.stateTableName]: w.table },
                                () => undefined,
                            ),
                        ),
                        (err: Error) => deniedAction(err) === "elasticloadbalancing:RegisterTargets",
                    );
                    await assert.rejects(
                        as(key, () =>
                            runScheduledSync(
                                { ...lambdaEnv(w), [ENV.stateTableName]: other.table },
                                () => undefined,
                            ),
                        ),
                        (err: Error) => deniedAction(err) === "dynamodb:GetItem",
                    );
                    assert.deepEqual(await registeredIps(fx.elbv2, other.tg), []);
                });

                describe("each statement is needed", () => {
                    const sids = ["ChangeThisTargetGroupOnly", "ReadTargetGroup", "MissState", "Logs"].concat(
                        source === "eni" ? ["FindProxyInterfaces"] : ["RunInsideVpc"],
                    );
                    for (const sid of sids) {
                        if (LAMBDA_SERVICE_STATEMENTS[sid]) {
                            it(`without ${sid}: the handler's runs are unchanged (${LAMBDA_SERVICE_STATEMENTS[sid]})`, async () => {
                                const w = await world(source);
                                const policy = lambdaPolicy(w);
                                assert.ok(
                                    policy.Statement.some((s) => s.Sid === sid),
                                    `the policy has ${sid}`,
                                );
                                await scheduledRuns(w, await identity(without(policy, sid)));
                            });
                            continue;
                        }
                        it(`without ${sid}: AccessDenied for one of its actions`, async () => {
                            const w = await world(source);
                            const policy = lambdaPolicy(w);
                            const statement = policy.Statement.find((s) => s.Sid === sid);
                            assert.ok(statement, `the policy has ${sid}`);
                            const { action, error } = await denied(w, without(policy, sid), sid);
                            assert.ok(
                                actionsOf(statement).includes(action),
                                `without ${sid}, ${action} was denied (${error.message}); expected one of ${actionsOf(statement).join(", ")}`,
                            );
                        });
                    }
                });

                describe("each action the handler calls is needed", () => {
                    const actions = [
                        "elasticloadbalancing:RegisterTargets",
                        "elasticloadbalancing:DeregisterTargets",
                        "elasticloadbalancing:DescribeTargetGroups",
                        "elasticloadbalancing:DescribeLoadBalancers",
                        "elasticloadbalancing:DescribeTargetHealth",
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        ...(source === "eni" ? ["ec2:DescribeNetworkInterfaces"] : []),
                    ];
                    for (const action of actions) {
                        it(`without ${action}: AccessDenied for it`, async () => {
                            const w = await world(source);
                            const result = await denied(w, withoutAction(lambdaPolicy(w), action), action);
                            assert.equal(result.action, action, `without ${action}: ${result.error.message}`);
                        });
                    }
                });
            });
        }
    });

    describe("the deployer's policy for the dynamic resource (docs/target-sync.md)", () => {
        function inputs(w: World): TargetRegistrationInputs {
            const common = {
                targetGroupArn: w.tg,
                port: 5432,
                proxyName: "app",
                vpcId: w.net.vpcId,
                proxySubnetIds: [w.net.subnetId],
                missesBeforeDeregister: 2,
                region: REGION,
                stateTableName: w.table,
            };
            return w.source === "eni"
                ? { ...common, source: "eni", proxySecurityGroupIds: [w.net.securityGroupId] }
                : {
                      ...common,
                      source: "dns",
                      proxyEndpoint: w.host,
                      dnsServer: dns.address,
                      lookupWaitSeconds: 1,
                  };
        }

        /**
         * Every provider method as `key`: create registers; diff shows nothing, then the lost address; update
         * keeps it (one miss), the next update deregisters it; read shows the target; delete deregisters it.
         */
        async function lifecycle(w: World, key: AccessKey): Promise<void> {
            const args = inputs(w);
            await as(key, async () => {
                assert.deepEqual((await provider.check({}, args)).failures, []);
                const created = await provider.create(args);
                assert.deepEqual((created.outs as TargetRegistrationOutputs).targets, [
                    ipOf(w.net, 0),
                    ipOf(w.net, 1),
                ]);
                assert.equal((await provider.diff(created.id, created.outs, args)).changes, false);
                await loseFirstAddress(w);
                assert.equal((await provider.diff(created.id, created.outs, args)).changes, true);
                const u1 = (await provider.update(created.id, created.outs, args))
                    .outs as TargetRegistrationOutputs;
                assert.deepEqual(u1.targets, [ipOf(w.net, 0), ipOf(w.net, 1)]);
                const u2 = (await provider.update(created.id, u1, args)).outs as TargetRegistrationOutputs;
                assert.deepEqual(u2.targets, [ipOf(w.net, 1)]);
                const read = await provider.read(created.id, u2);
                assert.deepEqual((read.props as TargetRegistrationOutputs).targets, [ipOf(w.net, 1)]);
                await provider.delete(created.id, u2);
            });
            assert.deepEqual(await registeredIps(fx.elbv2, w.tg), []);
        }

        async function denied(
            w: World,
            policy: PolicyDocument,
            removed: string,
        ): Promise<{ action: string; error: Error }> {
            const key = await identity(policy);
            try {
                await lifecycle(w, key);
            } catch (err) {
                const action = deniedAction(err);
                if (action) return { action, error: err as Error };
                throw err;
            }
            assert.fail(`without ${removed}, every method succeeded: no AccessDenied`);
        }

        it("is documented as JSON: statements, actions and resources", () => {
            const doc = documentedDeployerPolicy();
            assert.deepEqual(
                doc.Statement.map((s) => [s.Sid, s.Resource]),
                [
                    ["ChangeThisTargetGroupOnly", "<targetGroupArn>"],
                    ["ReadTargetGroup", "*"],
                    ["ReadProxySubnets", "*"],
                    ["FindProxyInterfaces", "*"],
                    ["MissState", "<stateTableArn>"],
                ],
            );
            // No STS statement: GetCallerIdentity (the account check) needs no permission and cannot be denied.
            assert.equal(
                [...allActions(doc)].some((a) => a.startsWith("sts:")),
                false,
            );
        });

        for (const source of ["eni", "dns"] as const) {
            describe(`${source} source`, () => {
                it("is sufficient: check, create, diff, update, read and delete all succeed", async () => {
                    const w = await world(source);
                    await lifecycle(w, await identity(deployerPolicy(source, w.tg, w.tableArn)));
                });

                describe("each statement is needed", () => {
                    const sids = [
                        "ChangeThisTargetGroupOnly",
                        "ReadTargetGroup",
                        "ReadProxySubnets",
                        "MissState",
                    ].concat(source === "eni" ? ["FindProxyInterfaces"] : []);
                    for (const sid of sids) {
                        it(`without ${sid}: AccessDenied for one of its actions`, async () => {
                            const w = await world(source);
                            const policy = deployerPolicy(source, w.tg, w.tableArn);
                            const statement = policy.Statement.find((s) => s.Sid === sid);
                            assert.ok(statement, `the policy has ${sid}`);
                            const { action, error } = await denied(w, without(policy, sid), sid);
                            assert.ok(
                                actionsOf(statement).includes(action),
                                `without ${sid}, ${action} was denied (${error.message}); expected one of ${actionsOf(statement).join(", ")}`,
                            );
                        });
                    }
                });

                describe("each action is needed", () => {
                    const actions = [
                        "elasticloadbalancing:RegisterTargets",
                        "elasticloadbalancing:DeregisterTargets",
                        "elasticloadbalancing:AddTags",
                        "elasticloadbalancing:RemoveTags",
                        "elasticloadbalancing:DescribeTargetGroups",
                        "elasticloadbalancing:DescribeLoadBalancers",
                        "elasticloadbalancing:DescribeTargetHealth",
                        "elasticloadbalancing:DescribeTags",
                        "ec2:DescribeSubnets",
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        ...(source === "eni" ? ["ec2:DescribeNetworkInterfaces"] : []),
                    ];
                    for (const action of actions) {
                        it(`without ${action}: AccessDenied for it`, async () => {
                            const w = await world(source);
                            const result = await denied(
                                w,
                                withoutAction(deployerPolicy(source, w.tg, w.tableArn), action),
                                action,
                            );
                            assert.equal(result.action, action, `without ${action}: ${result.error.message}`);
                        });
                    }
                });
            });
        }
    });
});
