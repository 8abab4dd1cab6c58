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
    "endpoint names) are placeholders.";

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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const example = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
    assert.ok(example.includes(from), `${stack} example holds ${from}`);
    fs.writeFileSync(file, example.replace(from, to));
    return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
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
        assert.match(lines[2], /^== db-account \(Pulumi\.db-account\.yaml\): 80 resources$/);
        const app = lines.findIndex((l) =>
            /^== app-account \(Pulumi\.app-account\.yaml\): 18 resources$/.test(l),
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
                    '  contract: {"version":1,"region":"eu-west-1","engine":"aurora-postgresql","port":5432,' +
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
        assert.ok(
            consumer.includes("      name: db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com"),
        );
        assert.ok(consumer.includes("Warnings: none"));
        assert.ok(consumer.includes('  endpointAzIds: ["euw1-az2","euw1-az3","euw1-az1"]'));
        assert.ok(consumer.includes("  vpcId: vpc-0f000000000000001"));
    });

    it("gives one stack as JSON with --stack and --json, including the program's warnings", () => {
        const noDns = variant(
            "app-account",
            "rds-cross-account:privateDns: true",
            "rds-cross-account:privateDns: false",
        );
        try {
            const result = plan(
                "--stack",
                "app-account",
                "--stack-config",
                `app-account=${noDns.file}`,
                "--json",
            );
            assert.equal(result.status, 0, result.stderr);
            const doc = JSON.parse(result.stdout) as {
                note: string;
                stacks: Array<{
                    stack: string;
                    file: string;
                    resources: Array<{
                        type: string;
                        name: string;
                        parent: string | null;
                        inputs: Record<string, unknown>;
                    }>;
                    warnings: string[];
                    outputs: Record<string, unknown>;
                }>;
            };
            assert.deepEqual(Object.keys(doc), ["note", "stacks"]);
            assert.equal(doc.note, NOTE);
            assert.equal(doc.stacks.length, 1);
            const [stack] = doc.stacks;
            assert.deepEqual(Object.keys(stack), ["stack", "file", "resources", "warnings", "outputs"]);
            assert.equal(stack.stack, "app-account");
            assert.equal(stack.file, noDns.file);
            assert.deepEqual(stack.warnings, [
                "privateDns is false: db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com does not resolve " +
                    "to the interface endpoint in this VPC until your own DNS answers it with the endpoint (output " +
                    "endpointDnsName). Clients must still connect to the proxy hostname: the endpoint's own name fails " +
                    "certificate verification.",
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
            assert.equal(stack.outputs.vpcId, "vpc-0f000000000000001");
        } finally {
            noDns.cleanup();
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
