// How the tools read a stack file's keys: as the Pulumi CLI reads them (LoadProjectStackBytes and config.ParseKey
// in pulumi/pulumi), and stricter where the CLI would silently ignore a key or keep one of two at random.
import * as assert from "node:assert/strict";
import { namespacedKey, parseStackConfig } from "../../tools/recording/stack-files";

const F = "Pulumi.prod.yaml";

describe("stack files: keys as the Pulumi CLI reads them", () => {
    const keys: Array<[string, string]> = [
        ["accountId", "rds-cross-account:accountId"],
        ["rds-cross-account:accountId", "rds-cross-account:accountId"],
        ["aws:region", "aws:region"],
        ["rds-cross-account:config:accountId", "rds-cross-account:accountId"],
        ["aws:config:region", "aws:region"],
    ];
    for (const [written, read] of keys) {
        it(`reads '${written}' as ${read}`, () => {
            assert.equal(namespacedKey(written, F), read);
        });
    }

    it("hands a key without a namespace to the program as the project's, and other namespaces' values as strings", () => {
        const parsed = parseStackConfig(
            [
                "config:",
                "  aws:region: us-west-2",
                "  accountId: '333333333333'",
                "  network:",
                "    cidrBlock: 10.20.0.0/16",
                "  rds-cross-account:privateDns: true",
                "  aws:assumeRole:",
                "    roleArn: arn:aws:iam::333333333333:role/deployer",
                "  pulumi:disable-default-providers: ['*']",
            ].join("\n"),
            F,
        );
        assert.deepEqual(parsed, {
            config: { accountId: "333333333333", network: { cidrBlock: "10.20.0.0/16" }, privateDns: true },
            extra: {
                "aws:region": "us-west-2",
                // Objects as JSON, as the CLI stores them.
                "aws:assumeRole": '{"roleArn":"arn:aws:iam::333333333333:role/deployer"}',
                "pulumi:disable-default-providers": '["*"]',
            },
        });
    });

    const refused: Array<[string, string[], string]> = [
        [
            "a key written with and without the namespace",
            ["  accountId: '333333333333'", "  rds-cross-account:accountId: '444444444444'"],
            `Config key 'rds-cross-account:accountId' in ${F} is rds-cross-account:accountId, which 'accountId' ` +
                "already sets; the Pulumi CLI would keep either one. Keep one of them, written as " +
                "rds-cross-account:accountId.",
        ],
        [
            "a namespace nothing reads",
            ["  rds-cross-acount:accountId: '333333333333'"],
            `Config key 'rds-cross-acount:accountId' in ${F} is in namespace 'rds-cross-acount', which nothing in ` +
                "this project reads (the program reads rds-cross-account: keys and aws:region; pulumi: keys configure " +
                "the engine), so pulumi up would ignore it. If it is a setting of this program, write it as " +
                "rds-cross-account:accountId; otherwise remove it.",
        ],
        [
            "a key the CLI cannot parse",
            ["  rds-cross-account:network:cidrBlock: 10.20.0.0/16"],
            `Config key 'rds-cross-account:network:cidrBlock' in ${F} cannot be read: a key is <namespace>:<name>, ` +
                "or <name> alone for this project's keys, and a name has no ':'. Write it as rds-cross-account:<name> " +
                "(for example rds-cross-account:accountId); a nested value goes under its key as YAML, not into the key.",
        ],
    ];
    for (const [what, lines, message] of refused) {
        it(`refuses ${what}, naming the key and the fix`, () => {
            assert.throws(
                () => parseStackConfig(["config:", "  aws:region: eu-west-1", ...lines].join("\n"), F),
                (err: Error) => {
                    assert.equal(err.message, message);
                    return true;
                },
            );
        });
    }
});
