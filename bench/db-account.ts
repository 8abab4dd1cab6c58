/**
 * Benchmark of the db-account program under Pulumi's mocks: how long the program takes to build its resource
 * graph, and how many resources it registers, for 1, 10 and 100 consumer accounts. This measures our code and
 * the SDK's registration path, not AWS (nothing is deployed). A report, never a test.
 */
import { performance } from "perf_hooks";
import { offlineAwsAnswers } from "../tools/recording/aws-answers";
import { dbAccountStateIn } from "../tools/recording/computed-state";
import { defaultRegion, runStack } from "../tools/recording/harness";

const RUNS = 7;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function consumers(n: number) {
    return Array.from({ length: n }, (_, i) => ({ name: `team-${i}`, accountId: String(300000000000 + i) }));
}

export async function main(): Promise<void> {
    console.log("db-account program under mocks (median of %d runs after one warm-up run)", RUNS);
    console.log("consumers | resources | allowed principals | median ms | min ms | max ms");
    for (const n of [1, 10, 100]) {
        const config = {
            accountId: "111111111111",
            network: { cidrBlock: "10.20.0.0/16", azCount: 3 },
            consumers: consumers(n),
        };
        const times: number[] = [];
        let resources = 0;
        let principals = 0;
        for (let i = 0; i <= RUNS; i++) {
            const start = performance.now();
            const run = await runStack({
                stack: "db-account",
                config,
                calls: offlineAwsAnswers({ region: defaultRegion }),
                state: dbAccountStateIn(defaultRegion),
            });
            const elapsed = performance.now() - start;
            if (run.error) throw run.error;
            if (i === 0) continue;
            times.push(elapsed);
            resources = run.resources.length;
            const service = run.resources.find(
                (r) => r.type === "aws:ec2/vpcEndpointService:VpcEndpointService",
            );
            principals = (service?.inputs.allowedPrincipals as string[]).length;
        }
        console.log(
            `${String(n).padStart(9)} | ${String(resources).padStart(9)} | ${String(principals).padStart(18)} | ` +
                `${median(times).toFixed(1).padStart(9)} | ${Math.min(...times)
                    .toFixed(1)
                    .padStart(6)} | ` +
                `${Math.max(...times)
                    .toFixed(1)
                    .padStart(6)}`,
        );
    }
}

if (require.main === module) {
    main().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
