/**
 * How the path cost bench reads stack files (bench/stack-config.ts): through the stacks' own config readers, so a
 * key is read and refused as `pulumi up` would; the example files; an app-account file narrowing its consumer's AZs;
 * the refusals of files the bench cannot cost; and that docs/benchmarks.md shows what the bench prints for the
 * examples. The arithmetic is tests/unit/path-cost.test.ts's.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main as printPathCosts } from "../../bench/path-costs";
import {
    pathCostInputOf,
    readStackFile,
    stackFileOf,
    StackFileError,
    type StackFile,
} from "../../bench/stack-config";

const db = (extra = "", network = "  rds-cross-account:network: { cidrBlock: 10.20.0.0/16, azCount: 3 }\n") =>
    stackFileOf(
        "Pulumi.db-account.yaml",
        "config:\n" +
            "  aws:region: eu-west-1\n" +
            "  rds-cross-account:role: db-account\n" +
            '  rds-cross-account:accountId: "111111111111"\n' +
            network +
            "  rds-cross-account:consumers:\n" +
            '    - { name: orders, accountId: "222222222222" }\n' +
            '    - { name: billing, accountId: "333333333333" }\n' +
            extra,
    );

const app = (accountId: string, network: string) =>
    stackFileOf(
        "Pulumi.app-account.yaml",
        "config:\n" +
            "  aws:region: eu-west-1\n" +
            "  rds-cross-account:role: app-account\n" +
            `  rds-cross-account:accountId: "${accountId}"\n` +
            "  rds-cross-account:producerStack: organization/rds-cross-account/db-account\n" +
            `  rds-cross-account:network: ${network}\n`,
    );

function refusal(files: StackFile[]): string {
    try {
        pathCostInputOf(files);
    } catch (err) {
        assert.ok(err instanceof StackFileError, String(err));
        return err.message;
    }
    assert.fail("the files were accepted");
}

describe("path cost: stack files", () => {
    it("reads the example stack files", () => {
        const input = pathCostInputOf(
            ["Pulumi.db-account.yaml", "Pulumi.app-account.yaml"].map(readStackFile),
        );
        assert.deepStrictEqual(input, {
            region: "eu-west-1",
            assumed: [],
            azCount: 3,
            readOnlyEndpoint: true,
            sync: { source: "dns", schedule: "rate(1 minute)", reusesElbEndpoint: false },
            database: { kind: "provisioned", instanceClass: "db.r6g.large", instances: 2 },
            consumers: [
                {
                    name: "app",
                    azCount: 3,
                    azSource: "Pulumi.app-account.yaml: network.azCount, within the database's 3 AZs",
                },
            ],
        });
    });

    it("applies defaults as the stack does, and counts every database AZ for a consumer without its file", () => {
        const input = pathCostInputOf([db()]);
        // One reader by default, so a read-only endpoint, and the dns source that tells the endpoints' IPs apart.
        assert.strictEqual(input.readOnlyEndpoint, true);
        assert.deepStrictEqual(input.sync, {
            source: "dns",
            schedule: "rate(1 minute)",
            reusesElbEndpoint: false,
        });
        assert.deepStrictEqual(input.database, {
            kind: "provisioned",
            instanceClass: "db.r6g.large",
            instances: 2,
        });
        const single = pathCostInputOf([db("  rds-cross-account:database: { readers: 0 }\n")]);
        assert.strictEqual(single.readOnlyEndpoint, false);
        assert.strictEqual(single.sync.source, "eni");
        assert.deepStrictEqual(single.database, {
            kind: "provisioned",
            instanceClass: "db.r6g.large",
            instances: 1,
        });
        assert.deepStrictEqual(
            input.consumers.map((c) => [c.name, c.azCount]),
            [
                ["orders", 3],
                ["billing", 3],
            ],
        );
    });

    it("narrows a consumer to the AZs of its app-account file, never beyond the database's", () => {
        const input = pathCostInputOf([
            db(),
            app(
                "222222222222",
                "{ vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0123456789abcdef0, subnet-0fedcba9876543210] }",
            ),
            app("333333333333", "{ cidrBlock: 10.30.0.0/16, azCount: 4 }"),
        ]);
        assert.deepStrictEqual(
            input.consumers.map((c) => [c.name, c.azCount]),
            [
                ["orders", 2],
                ["billing", 3],
            ],
        );
    });

    it("counts an existing VPC's subnets, its reused ELB endpoint, and assumes a read-only endpoint of an existing database", () => {
        const input = pathCostInputOf([
            db(
                "  rds-cross-account:database: { existing: { clusterIdentifier: orders-db } }\n" +
                    "  rds-cross-account:targetSync: { source: dns }\n",
                "  rds-cross-account:network:\n" +
                    "    vpcId: vpc-0123456789abcdef0\n" +
                    "    subnetIds: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]\n" +
                    "    apiEndpoints: { elasticloadbalancing: vpce-0123456789abcdef0 }\n",
            ),
        ]);
        assert.strictEqual(input.azCount, 2);
        assert.deepStrictEqual(input.sync, {
            source: "dns",
            schedule: "rate(1 minute)",
            reusesElbEndpoint: true,
        });
        assert.strictEqual(input.database.kind, "unknown");
        assert.strictEqual(input.readOnlyEndpoint, true);
        assert.strictEqual(input.assumed.length, 1);
    });

    it("refuses a bad key with the stack's own message, naming the file", () => {
        const message = refusal([
            db("", "  rds-cross-account:network: { cidrBlock: 10.20.0.0/16, azCount: 0 }\n"),
        ]);
        assert.match(
            message,
            /^Stack file Pulumi\.db-account\.yaml: The config of stack "db-account" has 1 problem/,
        );
        assert.match(message, /Config 'rds-cross-account:network\.azCount' is 0, but/);
    });

    it("refuses files it cannot cost, saying what to pass instead", () => {
        assert.match(
            refusal([app("222222222222", "{ cidrBlock: 10.30.0.0/16, azCount: 2 }")]),
            /given 0 stack files with 'rds-cross-account:role' "db-account" \(none\)/,
        );
        assert.match(refusal([db(), db()]), /given 2 stack files .*Pass exactly one db-account stack file/);
        assert.strictEqual(
            refusal([db(), app("444444444444", "{ cidrBlock: 10.30.0.0/16, azCount: 2 }")]),
            "Config 'rds-cross-account:accountId' in Pulumi.app-account.yaml is \"444444444444\", but the bench applies " +
                "an app-account file to the consumer of that account in Pulumi.db-account.yaml, whose consumers are in " +
                "222222222222, 333333333333. Pass the app-account file of one of them, or add the account to " +
                "'rds-cross-account:consumers' in Pulumi.db-account.yaml.",
        );
        assert.match(
            refusal([stackFileOf("Pulumi.x.yaml", "config:\n  rds-cross-account:role: other\n")]),
            /^Config 'rds-cross-account:role' in Pulumi\.x\.yaml is "other", but the bench reads "db-account" and "app-account"/,
        );
        assert.throws(() => stackFileOf("db.yaml", "config: {}"), /is not named Pulumi\.<stack>\.yaml/);
        assert.throws(() => stackFileOf("Pulumi.x.yaml", "name: x"), /has no 'config' map/);
        assert.throws(() => stackFileOf("Pulumi.x.yaml", "config: [\n"), /is not YAML/);
        assert.throws(() => readStackFile("Pulumi.absent.yaml"), /cannot be read .*Check the path\./);
    });
});

describe("path cost: docs/benchmarks.md", () => {
    it("shows exactly what the bench prints for the example stack files", async () => {
        const printed: string[] = [];
        const log = console.log;
        console.log = (...args: unknown[]) => void printed.push(args.join(" "));
        try {
            await printPathCosts();
        } finally {
            console.log = log;
        }
        const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "benchmarks.md"), "utf8");
        const block = /## Path costs\n[\s\S]*?```\n([\s\S]*?)\n```/.exec(doc);
        assert.ok(block, "docs/benchmarks.md has no output block under '## Path costs'");
        assert.strictEqual(
            block[1],
            printed.join("\n"),
            "run npm run bench and paste its path costs into docs/benchmarks.md",
        );
    });
});
