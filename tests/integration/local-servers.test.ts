import * as assert from "node:assert/strict";
import { MARIADB_INSTALL_HINT, mariadbBinaries } from "../../tools/local/mariadb";
import { POSTGRES_INSTALL_HINT, postgresBinaries } from "../../tools/local/postgres";
import { OPENSSL_INSTALL_HINT, makeTestTls } from "../../tools/local/tls";

describe("local database servers for the tests", () => {
    function withoutPath(f: () => void): void {
        const saved = process.env.PATH;
        process.env.PATH = "";
        try {
            f();
        } finally {
            process.env.PATH = saved;
        }
    }

    it("fail (never skip) with the install command when a server or openssl is missing", () => {
        withoutPath(() => {
            assert.throws(() => postgresBinaries([]), { message: POSTGRES_INSTALL_HINT });
            assert.throws(() => mariadbBinaries([]), { message: MARIADB_INSTALL_HINT });
            assert.throws(() => makeTestTls({ id: "c1a2b3", region: "eu-west-1" }), {
                message: OPENSSL_INSTALL_HINT,
            });
        });
        assert.match(POSTGRES_INSTALL_HINT, /apt-get install -y postgresql postgresql-client$/);
        assert.match(MARIADB_INSTALL_HINT, /apt-get install -y mariadb-server$/);
    });

    it("find the installed servers (the run needs them: .ci/run installs them)", () => {
        assert.ok(postgresBinaries().initdb);
        assert.ok(mariadbBinaries().mariadbd);
    });
});
