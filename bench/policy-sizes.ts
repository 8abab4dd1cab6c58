/**
 * The largest policy document of each kind that the db-account stack writes, next to AWS's limit, at the most
 * consumers each access mode accepts (1,000 in iam mode, 200 in password mode), with the longest names config
 * accepts, on each of the two databases of `MEASURED_DATABASES`. Planned under Pulumi's mocks; sizes are counted as AWS counts them (vocabulary/access/limits.ts). A
 * report: tests/unit/policy-sizes.test.ts asserts the limits.
 */
import { ACCESS_KINDS, ACCESS_MODES, POLICY_LIMITS } from "../vocabulary";
import {
    largestOfEachKind,
    measureApplicationPolicies,
    measurePolicies,
    MEASURED_DATABASES,
    runWithLongestConsumers,
} from "../tools/recording/policy-sizes";

export async function main(): Promise<void> {
    console.log("largest policy of each kind, db-account stack under mocks, longest names");
    console.log(
        "mode     | consumers | database               | kind               | largest | limit  | counted as                    | resource",
    );
    for (const kind of ACCESS_KINDS)
        for (const database of MEASURED_DATABASES) {
            const n = ACCESS_MODES[kind].maxConsumers.count;
            const run = await runWithLongestConsumers(kind, n, database);
            if (run.error) throw run.error;
            const largest = largestOfEachKind([
                ...measurePolicies(run.resources),
                ...measureApplicationPolicies(run),
            ]);
            for (const [policyKind, limit] of Object.entries(POLICY_LIMITS)) {
                const m = largest[policyKind as keyof typeof POLICY_LIMITS];
                console.log(
                    `${kind.padEnd(8)} | ${String(n).padStart(9)} | ${database.padEnd(22)} | ${policyKind.padEnd(18)} | ` +
                        `${(m ? String(m.size) : "-").padStart(7)} | ${String(limit.max).padStart(6)} | ` +
                        `${limit.counting.padEnd(29)} | ${m?.resource ?? "(none in this stack)"}`,
                );
            }
        }
}

if (require.main === module) {
    main().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
