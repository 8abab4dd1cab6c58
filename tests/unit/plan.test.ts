// `npm run plan` end to end, as a newcomer runs it: a separate process, no cloud credentials, no Pulumi CLI.
//
// What this cannot prove: that AWS would create exactly this. The plan is the program's graph under mocks;
// lookups are synthesized and values only AWS computes are placeholders (the output says so).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

const NOTE =
    "Planned offline under Pulumi's mocks: no AWS account and no Pulumi CLI were used. Lookups (AZs, subnets, " +
    "VPCs, route tables, security groups) were synthesized offline; values only AWS computes (IDs, ARNs, " +
    "endpoint names) are placeholders in each stack file's account, region and partition.";

function plan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
        if (key.startsWith("AWS_") || key === "PULUMI_ACCESS_TOKEN") {
            delete env[key];
        }
    }
    const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join("tools", "plan.ts"), ...args],
        { cwd: ROOT, env, encoding: "utf8" },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of an example stack file with `from` replaced by `to`, in a temporary directory. */
function variant(stack: string, from: string, to: string): { file: string; cleanup(): void } {
    return variantOf(stack, [[from, to]]);
}

/** A copy of an example stack file with each `[from, to]` replaced (every occurrence), in a temporary directory. */
function variantOf(stack: string, changes: Array<[string, string]>): { file: string; cleanup(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    let text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
    for (const [from, to] of changes) {
        assert.ok(text.includes(from), `${stack} example holds ${from}`);
        text = text.split(from).join(to);
    }
    fs.writeFileSync(file, text);
    return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

interface JsonPlan {
    note: string;
    stacks: Array<{
        stack: string;
        file: string;
        contractFrom?: string;
        resources: Array<{
            type: string;
            name: string;
            parent: string | null;
            inputs: Record<string, unknown>;
        }>;
        warnings: Array<{ message: string; fromOfflineLookups: boolean }>;
        outputs: Record<string, unknown>;
    }>;
}

describe("npm run plan", function () {
    this.timeout(180_000);

    it("shows both stacks' trees, security-relevant inputs, warnings and outputs, db-account first", () => {
        const result = plan();
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stderr, "");
        const lines = result.stdout.trimEnd().split("\n");
        assert.equal(lines[0], NOTE);
        assert.equal(lines[1], "");
        assert.match(lines[2], /^== db-account \(Pulumi\.db-account\.yaml\): 99 resources$/);
        const app = lines.findIndex((l) =>
            /^== app-account \(Pulumi\.app-account\.yaml\): 40 resources$/.test(l),
        );
        assert.ok(app > 2, "app-account follows db-account");
        const db = lines.slice(2, app);
        const consumer = lines.slice(app);
        /** The lines under a resource line, up to the next resource or section. */
        const block = (section: string[], header: string): string[] => {
            const at = section.indexOf(header);
            assert.ok(at >= 0, `${header} is in the plan`);
            const rest = section.slice(at + 1);
            const end = rest.findIndex((l) => !/^ +[a-zA-Z]+: /.test(l) || !l.startsWith(" ".repeat(4)));
            return rest.slice(0, end < 0 ? rest.length : end);
        };
        assert.deepEqual(block(db, "pulumi:providers:aws db-account-aws"), [
            '    allowedAccountIds: ["111111111111"]',
            "    region: eu-west-1",
        ]);
        assert.ok(db.includes("rds-cross-account:proxy:RdsProxy db-account-proxy"));
        assert.deepEqual(block(db, "  aws:rds/proxy:Proxy db-account-proxy"), [
            "      requireTls: true",
            // End-to-end IAM: no secret behind the proxy at all.
            "      defaultAuthScheme: IAM_AUTH",
            // A fixed name: a replaced proxy keeps its hostname.
            "      name: db-account-proxy",
        ]);
        assert.deepEqual(
            block(db, "  aws:ec2/vpcEndpointService:VpcEndpointService db-account-link-service"),
            [
                "      acceptanceRequired: false",
                '      allowedPrincipals: ["arn:aws:iam::222222222222:root"]',
            ],
        );
        assert.deepEqual(block(db, "  aws:lb/loadBalancer:LoadBalancer db-account-link-nlb"), [
            "      internal: true",
            "      loadBalancerType: network",
        ]);
        assert.deepEqual(block(db, "  aws:rds/clusterInstance:ClusterInstance db-account-aurora-writer"), [
            "      engine: aurora-postgresql",
            "      publiclyAccessible: false",
        ]);
        assert.deepEqual(block(db, "  aws:rds/cluster:Cluster db-account-aurora-cluster"), [
            "      engine: aurora-postgresql",
            "      storageEncrypted: true",
            "      iamDatabaseAuthenticationEnabled: true",
            "      deletionProtection: true",
            "      port: 5432",
        ]);
        assert.deepEqual(
            block(db, "  aws:rds/clusterParameterGroup:ClusterParameterGroup db-account-aurora-params"),
            ['      parameters: [{"applyMethod":"immediate","name":"rds.force_ssl","value":"1"}]'],
        );
        assert.equal(db[db.indexOf("Warnings: none") + 1], "Outputs:");
        assert.ok(
            db.some((l) =>
                l.startsWith(
                    '  contract: {"version":1,"producerAccountId":"111111111111","region":"eu-west-1","engine":"aurora-postgresql","port":5432,' +
                        '"endpointServiceName":"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",' +
                        '"availabilityZoneIds":["euw1-az3","euw1-az1","euw1-az2"]',
                ),
            ),
        );
        assert.deepEqual(block(consumer, "  aws:ec2/vpcEndpoint:VpcEndpoint app-account-endpoint-vpce"), [
            "      serviceName: com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            "      vpcEndpointType: Interface",
            "      privateDnsEnabled: false",
        ]);
        assert.ok(consumer.includes("rds-cross-account:consumer:ProxyDns app-account-dns"));
        assert.ok(consumer.includes("      name: db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com"));
        assert.equal(consumer[1], "Contract: the db-account stack above");
        assert.ok(consumer.includes("Warnings: none"));
        // The consumer's own resources are in the consumer's account, IAM ARNs without a region.
        assert.ok(
            consumer.includes(
                "  applicationPolicyArn: arn:aws:iam::222222222222:policy/app-account-access-policy",
            ),
        );
        assert.ok(consumer.includes('  endpointAzIds: ["euw1-az2","euw1-az3","euw1-az1"]'));
        assert.ok(consumer.includes("  vpcId: vpc-0f000000000000001"));
    });

    it("gives one stack as JSON with --stack and --json, its contract's source and the warnings, marked when they name made-up lookups", () => {
        const producer = variant("db-account", "azCount: 3", "azCount: 2");
        const consumer = variantOf("app-account", [
            [
                "  rds-cross-account:network:\n    cidrBlock: 10.30.0.0/16\n    azCount: 3\n",
                "  rds-cross-account:network:\n    vpcId: vpc-0123456789abcdef0\n" +
                    "    subnetIds: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]\n",
            ],
            ["rds-cross-account:privateDns: true", "rds-cross-account:privateDns: false"],
        ]);
        try {
            const result = plan(
                "--stack",
                "app-account",
                "--stack-config",
                `db-account=${producer.file}`,
                "--stack-config",
                `app-account=${consumer.file}`,
                "--json",
            );
            assert.equal(result.status, 0, result.stderr);
            const doc = JSON.parse(result.stdout) as JsonPlan;
            assert.deepEqual(Object.keys(doc), ["note", "stacks"]);
            assert.equal(doc.note, NOTE);
            assert.equal(doc.stacks.length, 1);
            const [stack] = doc.stacks;
            assert.deepEqual(Object.keys(stack), [
                "stack",
                "file",
                "contractFrom",
                "resources",
                "warnings",
                "outputs",
            ]);
            assert.equal(stack.stack, "app-account");
            assert.equal(stack.file, consumer.file);
            assert.equal(stack.contractFrom, `the db-account stack of ${producer.file}`);
            assert.deepEqual(stack.warnings, [
                {
                    // The AZ IDs are the offline lookups' (of both stacks): in AWS the subnets may share more AZs.
                    message:
                        "The interface endpoint to com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0 is in one AZ " +
                        "only (euw1-az3): the path to the database has no AZ redundancy. The service is offered in " +
                        "euw1-az3, euw1-az1; add subnets in more of those AZ IDs to 'network.subnetIds', or offer the " +
                        "service in more AZs from the db-account stack.",
                    fromOfflineLookups: true,
                },
                {
                    message:
                        "privateDns is false: db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com does not " +
                        "resolve to the interface endpoint in this VPC until your own DNS answers it with the endpoint " +
                        "(output endpointDnsName). Clients must still connect to the proxy hostname: the endpoint's own " +
                        "name fails certificate verification.",
                    fromOfflineLookups: false,
                },
                {
                    message:
                        "Applications in vpc-0123456789abcdef0 call sts.eu-west-1.amazonaws.com to assume the connect " +
                        "role: the VPC needs an interface endpoint to com.amazonaws.eu-west-1.sts with private DNS that " +
                        "admits HTTPS from the client security groups, or a route out. This stack creates that endpoint " +
                        "only in a VPC it builds.",
                    fromOfflineLookups: false,
                },
            ]);
            assert.equal(stack.resources.filter((r) => r.type === "aws:route53/zone:Zone").length, 0);
            assert.deepEqual(
                stack.resources.find((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint"),
                {
                    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                    name: "app-account-endpoint-vpce",
                    parent: "rds-cross-account:consumer:InterfaceEndpoint::app-account-endpoint",
                    inputs: {
                        serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: false,
                    },
                },
            );
            for (const r of stack.resources) {
                assert.deepEqual(Object.keys(r), ["type", "name", "parent", "inputs"]);
            }
            assert.equal(stack.outputs.vpcId, "vpc-0123456789abcdef0");
        } finally {
            producer.cleanup();
            consumer.cleanup();
        }
    });

    it("puts every placeholder in each stack file's account and region, and reads keys written without the namespace", () => {
        // The producer's keys are written as `accountId:`, which the Pulumi CLI reads as rds-cross-account:accountId.
        const producer = variantOf("db-account", [
            ["111111111111", "333333333333"],
            ["222222222222", "444444444444"],
            ["eu-west-1", "us-west-2"],
            ["  rds-cross-account:", "  "],
        ]);
        const consumer = variantOf("app-account", [
            ["222222222222", "444444444444"],
            ["eu-west-1", "us-west-2"],
        ]);
        try {
            const result = plan(
                "--stack-config",
                `db-account=${producer.file}`,
                "--stack-config",
                `app-account=${consumer.file}`,
            );
            assert.equal(result.status, 0, result.stderr);
            for (const example of [
                "111111111111",
                "222222222222",
                "eu-west-1",
                "euw1-",
                "amazonaws.com.cn",
            ]) {
                assert.ok(!result.stdout.includes(example), `no ${example} in the plan`);
            }
            const lines = result.stdout.split("\n");
            assert.equal(lines[2], `== db-account (${producer.file}): 99 resources`);
            for (const line of [
                '    allowedAccountIds: ["333333333333"]',
                "    region: us-west-2",
                '    allowedAccountIds: ["444444444444"]',
                "  masterSecretArn: arn:aws:secretsmanager:us-west-2:333333333333:secret:rds!cluster-db-account-aurora-cluster",
                "  targetGroupArn: arn:aws:lb:us-west-2:333333333333:db-account-link-rw",
                "      serviceName: com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0",
                "      name: db-account-proxy.proxy-c1a2b3.us-west-2.rds.amazonaws.com",
                "  applicationPolicyArn: arn:aws:iam::444444444444:policy/app-account-access-policy",
                "  endpointDnsName: vpce-0a1b2c3d-abcdefgh.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com",
            ]) {
                assert.ok(lines.includes(line), line);
            }
            assert.ok(
                result.stdout.includes(
                    '"Resource":"arn:aws:rds-db:us-west-2:333333333333:dbuser:prx-0123456789abcdef0/app"',
                ),
            );
            assert.ok(
                result.stdout.includes(
                    '"connectRoleArn":"arn:aws:iam::333333333333:role/db-account-access-app-connect"',
                ),
            );
            assert.ok(result.stdout.includes('"availabilityZoneIds":["usw2-az3","usw2-az1","usw2-az2"]'));
        } finally {
            producer.cleanup();
            consumer.cleanup();
        }
    });

    it("refuses --stack db-account in a region whose RDS CA the bootstrap does not carry, naming aws:region", () => {
        const cn = variantOf("db-account", [
            ["111111111111", "333333333333"],
            ["eu-west-1", "cn-north-1"],
            ["arn:aws:", "arn:aws-cn:"],
        ]);
        try {
            const result = plan("--stack", "db-account", "--stack-config", `db-account=${cn.file}`);
            assert.equal(result.status, 1);
            assert.equal(result.stdout, "");
            assert.match(
                result.stderr,
                /^The config of stack "db-account" has 1 problem; nothing was created:\n {2}- Config 'aws:region' is "cn-north-1", but the bootstrap verifies the database's TLS certificate against the RDS certificate authorities it carries/,
            );
        } finally {
            cn.cleanup();
        }
    });

    it("plans --stack app-account alone against the example db-account stack moved to its region and account, and says so", () => {
        const consumer = variantOf("app-account", [
            ["222222222222", "444444444444"],
            ["eu-west-1", "us-west-2"],
        ]);
        try {
            const result = plan("--stack", "app-account", "--stack-config", `app-account=${consumer.file}`);
            assert.equal(result.status, 0, result.stderr);
            const lines = result.stdout.split("\n");
            assert.deepEqual(
                lines.filter((l) => l.startsWith("== ")),
                [`== app-account (${consumer.file}): 40 resources`],
            );
            assert.equal(
                lines[3],
                "Contract: the example db-account stack (Pulumi.db-account.yaml, account 111111111111), placed in " +
                    "us-west-2 (aws:region) and with account 444444444444 as its only consumer (consumers); give your " +
                    "own with --stack-config db-account=<file>",
            );
            assert.ok(
                lines.includes("      serviceName: com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0"),
            );
            assert.ok(!result.stdout.includes("eu-west-1"));
        } finally {
            consumer.cleanup();
        }
    });

    it("refuses a stack file without aws:region, as pulumi up does, instead of planning it in eu-west-1", () => {
        const noRegion = variant("db-account", "  aws:region: eu-west-1\n", "");
        try {
            const result = plan("--stack-config", `db-account=${noRegion.file}`);
            assert.equal(result.status, 1);
            assert.equal(result.stdout, "");
            assert.equal(
                result.stderr.trim(),
                'The config of stack "db-account" has 1 problem; nothing was created:\n' +
                    "  - Config 'aws:region' is not set, but it must be an AWS region code. Set it with: pulumi config " +
                    "set aws:region eu-west-1 --stack db-account.",
            );
        } finally {
            noRegion.cleanup();
        }
    });

    it("refuses a key of a namespace nothing reads, naming the key and the fix", () => {
        const typo = variant("db-account", "rds-cross-account:accountId:", "rds-cross-acount:accountId:");
        try {
            const result = plan("--stack-config", `db-account=${typo.file}`);
            assert.equal(result.status, 2);
            assert.equal(result.stdout, "");
            assert.equal(
                result.stderr.trim(),
                `Config key 'rds-cross-acount:accountId' in ${typo.file} is in namespace 'rds-cross-acount', which ` +
                    "nothing in this project reads (the program reads rds-cross-account: keys and aws:region; pulumi: " +
                    "keys configure the engine), so pulumi up would ignore it. If it is a setting of this program, " +
                    "write it as rds-cross-account:accountId; otherwise remove it.",
            );
        } finally {
            typo.cleanup();
        }
    });

    it("plans a db-account stack with an existing VPC and arbitrary subnet IDs", () => {
        const existing = variant(
            "db-account",
            "  rds-cross-account:network:\n    cidrBlock: 10.20.0.0/16\n    azCount: 3\n",
            "  rds-cross-account:network:\n    vpcId: vpc-0123456789abcdef0\n" +
                "    subnetIds: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]\n",
        );
        try {
            const result = plan(
                "--stack",
                "db-account",
                "--stack-config",
                `db-account=${existing.file}`,
                "--json",
            );
            assert.equal(result.status, 0, result.stderr);
            const [stack] = (
                JSON.parse(result.stdout) as {
                    stacks: Array<{
                        outputs: { contract: { availabilityZoneIds: string[] } };
                        resources: Array<{ type: string }>;
                    }>;
                }
            ).stacks;
            // By position: the first subnet is in the region's first AZ, the second in its second.
            assert.deepEqual(stack.outputs.contract.availabilityZoneIds, ["euw1-az3", "euw1-az1"]);
            assert.equal(stack.resources.filter((r) => r.type === "awsx:ec2:Vpc").length, 0);
        } finally {
            existing.cleanup();
        }
    });

    it("plans a db-account stack publishing an existing cluster, marking the made-up facts of its lookup", () => {
        const existing = variantOf("db-account", [
            [
                "  rds-cross-account:network:\n    cidrBlock: 10.20.0.0/16\n    azCount: 3\n",
                "  rds-cross-account:network:\n    vpcId: vpc-0123456789abcdef0\n" +
                    "    subnetIds: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]\n",
            ],
            [
                "    engine: aurora-postgresql        # or aurora-mysql\n" +
                    '    engineVersion: "16.6"            # aurora-mysql: "8.0.mysql_aurora.3.08.2"\n' +
                    "    instanceClass: db.r6g.large\n    readers: 1\n    databaseName: app\n" +
                    "    deletionProtection: true\n    backupRetentionDays: 7\n",
                "    existing:\n      clusterIdentifier: orders-db\n",
            ],
        ]);
        try {
            const result = plan(
                "--stack",
                "db-account",
                "--stack-config",
                `db-account=${existing.file}`,
                "--json",
            );
            assert.equal(result.status, 0, result.stderr);
            const [stack] = (JSON.parse(result.stdout) as JsonPlan).stacks;
            const types = new Set(stack.resources.map((r) => r.type));
            assert.ok(
                !types.has("aws:rds/cluster:Cluster") &&
                    !types.has("aws:rds/clusterInstance:ClusterInstance"),
            );
            assert.ok(types.has("aws:rds/proxyTarget:ProxyTarget"));
            const lookedUp = stack.warnings.filter((w) =>
                w.message.startsWith("the cluster orders-db was not looked up"),
            );
            assert.equal(lookedUp.length, 1, JSON.stringify(stack.warnings));
            assert.equal(lookedUp[0].fromOfflineLookups, true);
        } finally {
            existing.cleanup();
        }
    });

    it("prints the program's message and exits 1 on a config error", () => {
        const broken = variant("db-account", "azCount: 3", "azCount: 9");
        try {
            const result = plan("--stack-config", `db-account=${broken.file}`);
            assert.equal(result.status, 1);
            assert.equal(result.stdout, "");
            assert.equal(
                result.stderr.trim(),
                'The config of stack "db-account" has 1 problem; nothing was created:\n' +
                    "  - Config 'rds-cross-account:network.azCount' is 9, but it must be a whole number from 2 to 6. " +
                    "Set 'network.azCount' in Pulumi.db-account.yaml to such a value, for example 3.",
            );
        } finally {
            broken.cleanup();
        }
    });

    it("prints its usage on --help and exits 0", () => {
        const result = plan("--help");
        assert.equal(result.status, 0, result.stderr);
        assert.match(
            result.stdout,
            /^Usage: npm run plan -- \[--stack db-account\|app-account\] \[--stack-config <stack>=<file>\]\.\.\. \[--json\]\n/,
        );
        for (const option of ["--stack <stack>", "--stack-config <stack>=<file>", "--json", "-h, --help"]) {
            assert.ok(result.stdout.includes(`  ${option}`), option);
        }
        assert.ok(result.stdout.includes("without an AWS account and without the Pulumi CLI"));
    });

    const usageErrors: Array<[string, string[], string]> = [
        ["an unknown option", ["--yaml"], "Unknown option --yaml. Run npm run plan -- --help for usage."],
        [
            "--stack without a value",
            ["--stack"],
            "Option --stack needs a value. Run npm run plan -- --help for usage.",
        ],
        [
            "--stack-config without a value",
            ["--stack-config", "--json"],
            "Option --stack-config needs a value. Run npm run plan -- --help for usage.",
        ],
        ["an unknown stack", ["--stack", "prod"], '--stack is "prod"; use db-account or app-account.'],
        [
            "a malformed --stack-config",
            ["--stack-config", "Pulumi.db-account.yaml"],
            '--stack-config needs <stack>=<file> with stack db-account or app-account; received "Pulumi.db-account.yaml".',
        ],
        [
            "--stack db-account with an app-account stack file",
            ["--stack", "db-account", "--stack-config", "app-account=Pulumi.app-account.yaml"],
            "--stack-config app-account=Pulumi.app-account.yaml is not used: --stack db-account plans the " +
                "db-account stack alone, which reads no app-account stack file. Drop --stack to plan both, or drop " +
                "that --stack-config.",
        ],
        [
            "a missing --stack-config file",
            ["--stack-config", "app-account=Pulumi.no-such.yaml"],
            "--stack-config names Pulumi.no-such.yaml, which cannot be read (ENOENT).",
        ],
    ];
    for (const [what, args, message] of usageErrors) {
        it(`exits 2 naming the option on ${what}`, () => {
            const result = plan(...args);
            assert.equal(result.status, 2);
            assert.equal(result.stderr.trim(), message);
            assert.equal(result.stdout, "");
        });
    }
});
