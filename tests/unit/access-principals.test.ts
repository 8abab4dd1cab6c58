/**
 * How the database account's policies name a consumer's principals (vocabulary/access/principals.ts), as pure
 * functions: the rule's two forms, the canary's admission, and the allowance config measures with. The stack tests
 * (db-account.test.ts, canary.test.ts) prove the documents each resource gets; what only AWS can prove is that IAM,
 * KMS and Secrets Manager evaluate `aws:PrincipalArn` for cross-account callers as documented.
 */
import * as assert from "node:assert/strict";
import { admittedPrincipals, longestCanaryRoleArn, principalClause } from "../../vocabulary";

const ROOT = "arn:aws:iam::222222222222:root";
const APP = "arn:aws:iam::222222222222:role/app";
const OPS = "arn:aws:iam::222222222222:user/ops";
const CANARY = "arn:aws:iam::222222222222:role/rcx-canary-orders-c2dcf2c0764f4646";

describe("a consumer's principals in the database account's policies", () => {
    it("names them as listed when the account root is among them, and admits nothing more", () => {
        assert.deepEqual(principalClause([ROOT]), { Principal: { AWS: [ROOT] } });
        assert.deepEqual(principalClause([APP, ROOT]), { Principal: { AWS: [APP, ROOT] } });
        assert.deepEqual(admittedPrincipals([ROOT, APP], CANARY), [ROOT, APP]);
        assert.equal(longestCanaryRoleArn([ROOT, APP]), undefined);
    });

    it("names narrowed principals' account root and lists them under ArnEquals aws:PrincipalArn", () => {
        assert.deepEqual(principalClause([APP, OPS]), {
            Principal: { AWS: ROOT },
            Condition: { ArnEquals: { "aws:PrincipalArn": [APP, OPS] } },
        });
        // Principals of two accounts (config allows one per consumer; the rule holds for any): each account's root.
        const other = "arn:aws-cn:iam::333333333333:role/app";
        assert.deepEqual(principalClause([APP, other]), {
            Principal: { AWS: [ROOT, "arn:aws-cn:iam::333333333333:root"] },
            Condition: { ArnEquals: { "aws:PrincipalArn": [APP, other] } },
        });
        assert.throws(() => principalClause(["*"]), /"\*" is not an IAM ARN of a role or user/);
    });

    it("admits the canary's role besides narrowed principals once, and none when there is none", () => {
        assert.deepEqual(admittedPrincipals([APP], CANARY), [APP, CANARY]);
        assert.deepEqual(admittedPrincipals([APP, CANARY], CANARY), [APP, CANARY]);
        assert.deepEqual(admittedPrincipals([APP]), [APP]);
    });

    it("measures narrowed principals with a canary role of the longest name IAM allows, in their account and partition", () => {
        assert.equal(
            longestCanaryRoleArn(["arn:aws-us-gov:iam::444444444444:role/app"]),
            `arn:aws-us-gov:iam::444444444444:role/${"x".repeat(64)}`,
        );
        assert.equal(longestCanaryRoleArn([]), undefined);
    });
});
