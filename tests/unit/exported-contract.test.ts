/**
 * The producer checks the contract it exports with the rules its consumers read it with (vocabulary/contract-rules,
 * whose verdicts app-account-contract.test.ts tables): here, that the db-account stack really runs that check on
 * what it exports, and how a failure reads. What a mock cannot prove: the values AWS computes; the mocked proxy
 * below answers a hostname of another region, as a defect of this program could produce.
 */
import * as assert from "assert";
import { checkExportedContract, ExportedContractError } from "../../stacks/exported-contract";
import { runStack } from "../../tools/recording/harness";
import { awsCalls, dbAccountState, exampleConfig } from "../support/fixtures";
import { fromV1, type ContractV1 } from "../../vocabulary";

const FIX =
    "This is a defect of rds-cross-account, not of your config: report it with the stack's config (no secrets).";

describe("the contract the db-account stack exports", () => {
    it("is exported when it meets every contract rule, as the stack built it", async () => {
        const r = await runStack({
            stack: "db-account",
            config: exampleConfig("db-account").config,
            calls: awsCalls(),
            state: dbAccountState,
        });
        assert.strictEqual(r.error, undefined, String(r.error));
        const contract = r.outputs.contract as ContractV1;
        // The stack's PrivateLink contract, read into the model and written again, is what it exported.
        assert.deepStrictEqual(checkExportedContract(fromV1(contract)), contract);
    });

    it("fails the producer's own run, naming the field, when it breaks a rule consumers apply", async () => {
        const r = await runStack({
            stack: "db-account",
            config: exampleConfig("db-account").config,
            calls: awsCalls(),
            state: (type, name, inputs) => {
                const state = dbAccountState(type, name, inputs);
                return type === "aws:rds/proxy:Proxy"
                    ? { ...state, endpoint: `${name}.proxy-c1a2b3.us-east-1.rds.amazonaws.com` }
                    : state;
            },
        });
        assert.ok(
            r.error instanceof ExportedContractError,
            `expected an ExportedContractError, got ${r.error}`,
        );
        const HOST = "db-account-proxy.proxy-c1a2b3.us-east-1.rds.amazonaws.com";
        const ALIAS = "db-account-proxy-ro.proxy-c1a2b3.us-east-1.rds.amazonaws.com";
        // The real name is 74 characters: a message about the contract shows 63 of them (64 with the quote), and
        // its length.
        const REAL = '"db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazona…" (69 characters)';
        const inRegion =
            "the contract's 'region' is eu-west-1; the proxy and what publishes it must be in the same region";
        assert.deepStrictEqual(r.error.problems, [
            {
                path: "contract.proxyEndpoint",
                message: `Field 'proxyEndpoint' of the exported contract is "${HOST}", but that host is in region us-east-1, and ${inRegion}. ${FIX}`,
            },
            {
                path: "contract.readOnlyEndpoint",
                message: `Field 'readOnlyEndpoint' of the exported contract is "${ALIAS}", but that host is in region us-east-1, and ${inRegion}. ${FIX}`,
            },
            {
                path: "contract.readOnlyProxyEndpoint",
                message:
                    `Field 'readOnlyProxyEndpoint' of the exported contract is ${REAL}, but that host belongs to proxy-c1a2b3 ` +
                    `in eu-west-1, and 'proxyEndpoint' to proxy-c1a2b3 in us-east-1; both must be endpoints of the same proxy. ${FIX}`,
            },
        ]);
        assert.match(
            r.error.message,
            /^The contract this db-account stack would export has 3 problems, which every consumer would refuse:\n {2}- Field 'proxyEndpoint'/,
        );
    });

    it("is refused by the producer as the consumers refuse it: MySQL's user limit, sizes and own keys", async () => {
        const r = await runStack({
            stack: "db-account",
            config: exampleConfig("db-account").config,
            calls: awsCalls(),
            state: dbAccountState,
        });
        const contract = r.outputs.contract as ContractV1;
        const problemsOf = (value: unknown) => {
            try {
                checkExportedContract(fromV1(value as ContractV1));
                return [];
            } catch (err) {
                assert.ok(err instanceof ExportedContractError, String(err));
                return err.problems.map((p) => p.message);
            }
        };
        const user = "orders_reporting_service_account_eu";
        const consumers = (contract.consumers ?? []).map((c) => ({ ...c, databaseUser: user }));
        assert.deepStrictEqual(
            problemsOf({ ...contract, engine: "aurora-mysql", consumers: consumers.slice(0, 1) }),
            [
                `Field 'consumers[0].databaseUser' of the exported contract is "${user}", but the contract's engine is ` +
                    `aurora-mysql, and its users must be a database user name of 1-32 lowercase letters, digits and ` +
                    `underscores, starting with a letter, not starting with "rds" or "rcx_bootstrap_" and not "root" or ` +
                    `"mysql". ${FIX}`,
            ],
        );
        assert.deepStrictEqual(problemsOf({ ...contract, region: "r".repeat(1_000_000) }), [
            `Field 'region' of the exported contract is "${"r".repeat(63)}…" (1000000 characters), but it must be at ` +
                `most 255 characters long (far longer than any valid value of the field). ${FIX}`,
        ]);
        assert.deepStrictEqual(
            problemsOf(JSON.parse(`{"constructor": 1, ${JSON.stringify(contract).slice(1)}`)),
            [
                `Field 'constructor' of the exported contract is 1, but that key is refused: "__proto__", "constructor", ` +
                    `"prototype" name JavaScript's object machinery, never data. ${FIX}`,
            ],
        );
    });
});
