/**
 * The ApplicationAccess component: the exact IAM policy per authentication mode, and every invalid input reported
 * at once before the policy is registered.
 *
 * What a mock test cannot prove: that IAM accepts the document, that the producer's trust, resource and key
 * policies let this account in (a cross-account call needs both sides), or that kms:ViaService matches the calls
 * Secrets Manager makes on the application's behalf.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    ApplicationAccess,
    applicationAccessPolicy,
    type ApplicationAccessArgs,
} from "../../components/consumer/application-access";
import { secretsManagerViaService } from "../../vocabulary";

const ROLE = "arn:aws:iam::111111111111:role/db-account-connect-orders";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account-orders-AbCdEf";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

async function useMocks(): Promise<void> {
    registered.length = 0;
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                return {
                    id: `${args.name}-id`,
                    state: { ...args.inputs, arn: `arn:aws:iam::222222222222:policy/${args.name}` },
                };
            },
            call: (args) => {
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "rds-cross-account",
        "app-account",
        false,
    );
}

const iamPolicy = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "AssumeDatabaseConnectRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: ROLE },
    ],
};

const passwordPolicy = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "ReadDatabaseSecret",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: SECRET,
        },
        {
            Sid: "DecryptDatabaseSecret",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: KEY,
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
        },
    ],
};

describe("consumer ApplicationAccess policy documents", () => {
    it("iam: sts:AssumeRole on exactly the connect role, nothing else", () => {
        assert.deepStrictEqual(
            applicationAccessPolicy({ reference: { auth: "iam", connectRoleArn: ROLE } }),
            iamPolicy,
        );
    });

    it("password: GetSecretValue on exactly the secret, Decrypt on exactly the key through Secrets Manager", () => {
        assert.deepStrictEqual(
            applicationAccessPolicy({
                reference: { auth: "password", secretArn: SECRET, secretKeyArn: KEY },
            }),
            passwordPolicy,
        );
    });

    it("password: kms:ViaService names the secret's region and partition", () => {
        const secret = "arn:aws-cn:secretsmanager:cn-north-1:111111111111:secret:db-AbCdEf";
        const key = "arn:aws-cn:kms:cn-north-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001";
        const doc = applicationAccessPolicy({
            reference: { auth: "password", secretArn: secret, secretKeyArn: key },
        });
        assert.deepStrictEqual(doc.Statement[1].Condition, {
            StringEquals: { "kms:ViaService": "secretsmanager.cn-north-1.amazonaws.com.cn" },
        });
    });

    it("uses the one spelling of Secrets Manager's kms:ViaService that the producer's key policies use too", () => {
        assert.deepStrictEqual(
            ["eu-west-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1"].map(secretsManagerViaService),
            [
                "secretsmanager.eu-west-1.amazonaws.com",
                "secretsmanager.cn-north-1.amazonaws.com.cn",
                "secretsmanager.us-gov-west-1.amazonaws.com",
                "secretsmanager.eusc-de-east-1.amazonaws.eu",
            ],
        );
    });
});

describe("consumer ApplicationAccess component", () => {
    beforeEach(useMocks);

    for (const [mode, args, expected] of [
        ["iam", { reference: { auth: "iam", connectRoleArn: ROLE } }, iamPolicy],
        [
            "password",
            { reference: { auth: "password", secretArn: SECRET, secretKeyArn: KEY } },
            passwordPolicy,
        ],
    ] as const) {
        it(`${mode}: registers one IAM policy with that document and exports its ARN`, async () => {
            const access = new ApplicationAccess("app-access", args as ApplicationAccessArgs);
            const arn = await new Promise<string>((resolve) => access.policyArn.apply(resolve));
            assert.deepStrictEqual(
                registered.map((r) => [r.type, r.name]),
                [
                    ["rds-cross-account:consumer:ApplicationAccess", "app-access"],
                    ["aws:iam/policy:Policy", "app-access-policy"],
                ],
            );
            const policy = registered[1].inputs;
            assert.deepStrictEqual(JSON.parse(String(policy.policy)), expected);
            assert.strictEqual(
                policy.description,
                "Lets an application log in to the database in another account",
            );
            assert.strictEqual(arn, "arn:aws:iam::222222222222:policy/app-access-policy");
        });
    }

    const S = "ApplicationAccess argument";
    const ROLE_MUST =
        "it must be an IAM role ARN (a known partition, a 12-digit account, a role name of 1-64 characters). Pass " +
        'such a value, for example "arn:aws:iam::111111111111:role/rds-cross-account-deployer".';
    const cases: { name: string; reference: Record<string, unknown>; errors: [string, string][] }[] = [
        {
            name: "iam without a role, with a secret",
            reference: { auth: "iam", secretArn: SECRET },
            errors: [
                ["reference.connectRoleArn", `${S} 'reference.connectRoleArn' is not set, but ${ROLE_MUST}`],
                [
                    "reference.secretArn",
                    `${S} 'reference.secretArn' is "${SECRET}", but auth is "iam", which does not use it. Remove ` +
                        `secretArn.`,
                ],
            ],
        },
        {
            name: "password with a role and a malformed key",
            reference: {
                auth: "password",
                connectRoleArn: ROLE,
                secretArn: SECRET,
                secretKeyArn: "alias/db",
            },
            errors: [
                [
                    "reference.secretKeyArn",
                    `${S} 'reference.secretKeyArn' is "alias/db", but it must be a KMS key ARN (arn:<partition>:kms:` +
                        `<region>:<account>:key/<key-id>). Pass such a value, for example ` +
                        `"arn:aws:kms:eu-west-1:111111111111:key/0123abcd-0123-abcd-0123-0123456789ab".`,
                ],
                [
                    "reference.connectRoleArn",
                    `${S} 'reference.connectRoleArn' is "${ROLE}", but auth is "password", which does not use it. ` +
                        `Remove connectRoleArn.`,
                ],
            ],
        },
        {
            name: "password with the key in another region than the secret",
            reference: {
                auth: "password",
                secretArn: SECRET,
                secretKeyArn: KEY.replace("eu-west-1", "us-east-1"),
            },
            errors: [
                [
                    "reference.secretKeyArn",
                    `${S} 'reference.secretKeyArn' is "${KEY.replace("eu-west-1", "us-east-1")}", but the secret ` +
                        `is in eu-west-1, and Secrets Manager encrypts a secret only with a key of its own region. ` +
                        `Pass the key that encrypts the secret.`,
                ],
            ],
        },
        {
            name: "an unknown mode",
            reference: { auth: "token" },
            errors: [
                [
                    "reference.auth",
                    `${S} 'reference.auth' is "token", but it must be one of "iam", "password". Pass such a value, ` +
                        `for example "iam".`,
                ],
            ],
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}, before registering the policy`, () => {
            try {
                new ApplicationAccess("app-access", {
                    reference: c.reference,
                } as unknown as ApplicationAccessArgs);
            } catch (err) {
                assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
                assert.deepStrictEqual(
                    err.errors.map((e) => [e.propertyPath, e.reason]),
                    c.errors,
                );
                assert.ok(!registered.some((r) => r.type === "aws:iam/policy:Policy"));
                return;
            }
            assert.fail("expected the constructor to throw");
        });
    }
});
