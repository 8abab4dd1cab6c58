import * as assert from "node:assert/strict";
import { MOTO_INSTALL_HINT, startMoto } from "../../tools/local/moto";

describe("moto test support", () => {
    it("fails (never skips) with the install hint when moto_server is not on PATH", async () => {
        const saved = process.env.PATH;
        process.env.PATH = "";
        try {
            await assert.rejects(startMoto(), { message: MOTO_INSTALL_HINT });
        } finally {
            process.env.PATH = saved;
        }
        assert.equal(MOTO_INSTALL_HINT.includes("pip install 'moto[server]'"), true);
    });
});
