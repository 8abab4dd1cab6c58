/** `npm run bench`: every benchmark of the project, one after the other. Numbers are printed, never asserted. */
import * as fs from "fs";
import * as path from "path";

async function main(): Promise<void> {
    const benches = ["db-account", "target-sync"].filter((name) =>
        fs.existsSync(path.join(__dirname, `${name}.ts`)),
    );
    for (const name of benches) {
        console.log(`\n== ${name}`);
        const mod = (await import(`./${name}`)) as { main(): Promise<void> };
        await mod.main();
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
