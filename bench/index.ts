/**
 * `npm run bench`: every benchmark of the project, one after the other, the path costs on the example stack files.
 * `npm run bench -- --stack-config <file>` (repeatable: a db-account stack file and its consumers' app-account
 * files): only the path costs, of that config. Numbers are printed, never asserted.
 */
import { BenchArgsError, parseBenchArgs, type BenchArgs } from "./args";
import * as dbAccount from "./db-account";
import * as pathCosts from "./path-costs";
import * as policySizes from "./policy-sizes";
import { StackFileError } from "./stack-config";
import * as targetSync from "./target-sync";

async function main(args: BenchArgs): Promise<void> {
    if (args.stackConfigs.length > 0) {
        await pathCosts.main(args.stackConfigs);
        return;
    }
    for (const [name, bench] of [
        ["db-account", dbAccount],
        ["policy-sizes", policySizes],
        ["path-costs", pathCosts],
        ["target-sync", targetSync],
    ] as const) {
        console.log(`\n== ${name}`);
        await bench.main();
    }
}

if (require.main === module) {
    Promise.resolve()
        .then(() => main(parseBenchArgs(process.argv.slice(2))))
        .catch((err: unknown) => {
            // A bad argument or stack file is the user's to fix: its message says how; anything else keeps its trace.
            console.error(err instanceof StackFileError || err instanceof BenchArgsError ? err.message : err);
            process.exit(1);
        });
}
