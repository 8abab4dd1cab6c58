/** `npm run bench`: every benchmark of the project, one after the other. Numbers are printed, never asserted. */
import * as dbAccount from "./db-account";
import * as policySizes from "./policy-sizes";
import * as targetSync from "./target-sync";

async function main(): Promise<void> {
    for (const [name, bench] of [
        ["db-account", dbAccount],
        ["policy-sizes", policySizes],
        ["target-sync", targetSync],
    ] as const) {
        console.log(`\n== ${name}`);
        await bench.main();
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
