/**
 * How the CLI's RDS look-up reads RDS's answers that moto cannot give: a denial (credentials without
 * rds:DescribeDBProxies) and a server error. The answers moto gives (a proxy, its endpoints, an unknown proxy, no
 * answer at all) are proven end to end in tests/integration/target-sync-cli.test.ts.
 */
import * as assert from "node:assert/strict";
import { lookupPlacement } from "../../components/target-sync/rds";

type RDSClient = Parameters<typeof lookupPlacement>[0];

/** An RDS client whose every call fails with `name` and HTTP `status`. */
function failing(name: string, status: number): RDSClient {
    const err = Object.assign(new Error(`${name} from RDS`), { name, $metadata: { httpStatusCode: status } });
    return { send: () => Promise.reject(err) } as unknown as RDSClient;
}

describe("target-sync CLI: RDS answers moto cannot give", () => {
    for (const [name, status] of [
        ["AccessDenied", 403],
        ["AccessDeniedException", 400],
    ] as const) {
        it(`${name} (HTTP ${status}) means RDS cannot be asked: the options are used`, async () => {
            assert.deepEqual(await lookupPlacement(failing(name, status), "app", undefined, "eu-west-1"), {
                unreachable: `the credentials may not read the proxy (${name}: ${name} from RDS)`,
            });
        });
    }

    it("any other error answer fails the run (it is not read as 'unreachable')", async () => {
        await assert.rejects(
            lookupPlacement(failing("InternalFailure", 500), "app", undefined, "eu-west-1"),
            {
                name: "InternalFailure",
            },
        );
    });
});
